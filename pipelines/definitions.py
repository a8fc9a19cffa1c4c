"""The Dagster code location: `dagster dev -m pipelines.definitions` (or `make dev`)."""

import dagster as dg

from assets import extract, ingest, warehouse
from pipelines.jobs import documents_job, publish_job
from pipelines.resources import CoopPaths
from pipelines.sensors import publish_after_documents, raw_folder_sensor

all_assets = dg.load_assets_from_modules([ingest, extract, warehouse])

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=dg.load_asset_checks_from_modules([warehouse]),
    jobs=[documents_job, publish_job],
    sensors=[raw_folder_sensor, publish_after_documents],
    resources={"coop": CoopPaths.from_env()},
)
