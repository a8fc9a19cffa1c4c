import dagster as dg

from assets.ingest import raw_documents
from pipelines import runner
from pipelines.metadata import table_metadata
from pipelines.partitions import documents_partitions
from pipelines.resources import CoopPaths


@dg.asset(
    deps=[raw_documents],
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="extract",
    kinds={"python"},
    description="Candidate facts (agreements, visits, trade flows, twinnings) of each document, before validation.",
)
def candidate_facts(context: dg.AssetExecutionContext, coop: CoopPaths) -> dg.MaterializeResult:
    report = runner.extract(coop.paths(), list(context.partition_keys))
    unresolved = report.unresolved_places
    sample = "\n".join(f"- `{doc}`: {', '.join(p[:8])}" for doc, p in sorted(unresolved.items())[:20])
    return dg.MaterializeResult(
        metadata={
            "documents": report.processed,
            **{f"facts/{t}": n for t, n in sorted(report.facts.items())},
            # Place-like phrases the extractors met but the gazetteer does not know: reported, never guessed.
            "unresolved_place_mentions": sum(len(p) for p in unresolved.values()),
            "unresolved_sample": dg.MetadataValue.md(sample or "(none)"),
            **table_metadata(report.frame()),
        }
    )
