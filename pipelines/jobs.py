"""Jobs: per-document layers (partitioned) and the publish layers (whole warehouse)."""

import dagster as dg

from pipelines.partitions import documents_partitions

documents_job = dg.define_asset_job(
    "documents_job",
    selection=dg.AssetSelection.groups("ingest", "extract"),
    partitions_def=documents_partitions,
    description="Ingest and extract the selected documents (partitions).",
)
publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.groups("warehouse", "exports"),
    description="Validate, fuse and publish every table, then write the Parquet exports.",
)
