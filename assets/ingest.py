import dagster as dg

from pipelines import runner
from pipelines.metadata import table_metadata
from pipelines.partitions import documents_partitions
from pipelines.resources import CoopPaths


@dg.asset(
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="ingest",
    kinds={"python"},
    description="Each raw file decoded, normalised, zoned and cut into sentences (or rejected with a reason).",
)
def raw_documents(context: dg.AssetExecutionContext, coop: CoopPaths) -> dg.MaterializeResult:
    report = runner.ingest(coop.paths(), list(context.partition_keys))
    return dg.MaterializeResult(
        metadata={
            "documents": report.processed,
            "rejected": report.rejected,
            **table_metadata(report.frame()),
        }
    )
