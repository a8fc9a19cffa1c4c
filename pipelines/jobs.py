"""Jobs: per-document layers (partitioned) and the publish layers (whole warehouse)."""

import dagster as dg

documents_job = dg.define_asset_job(
    "documents_job",
    selection=dg.AssetSelection.groups("ingest", "extract"),
    description="Ingest and extract the selected documents (partitions).",
)
publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.groups("warehouse", "exports"),
    description="Validate, fuse and publish every table, then write the Parquet exports.",
)
