import dagster as dg
import polars as pl

from assets.extract import candidate_facts
from pipelines import runner, schemas
from pipelines.metadata import markdown_preview, table_metadata
from pipelines.model import FACT_TABLES
from pipelines.resources import CoopPaths
from pipelines.warehouse import PUBLISHED_TABLES

TABLE_DESCRIPTIONS = {
    "documents": "One row per readable document: its normalised text, language, hashes.",
    "agreements": "Signed agreements, plans, programmes, memorandums, protocols, roadmaps between two parties.",
    "visits": "Delegations and officials of one party visiting the other (a = visitor, b = host).",
    "trade_flows": "Stated trade values between two parties over a period.",
    "twinnings": "Twin-town (sister-city) relations.",
    "evidence": "One row per statement of a fact: the exact passage of its document.",
    "rejections": "Every document or candidate fact that failed, with the stage, the reason and the values.",
    "places": "The gazetteer: one row per canonical place with ISO 3166 codes.",
    "conflicts": "Facts contradicted by another (values over 2% apart, different dates), each against the best-attested one that contradicts it.",
    "zones": "The zone (body, footnote, bibliography, front matter) of each span of each document.",
}
CHECK_SPECS = [
    dg.AssetCheckSpec(rule.name, asset=table, description=rule.description)
    for table in FACT_TABLES
    for rule in schemas.rules()[table]
]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            name,
            deps=[candidate_facts],
            description=TABLE_DESCRIPTIONS[name],
            group_name="warehouse",
            kinds={"duckdb"},
        )
        for name in PUBLISHED_TABLES
    ],
    check_specs=CHECK_SPECS,
)
def warehouse_tables(context: dg.AssetExecutionContext, coop: CoopPaths):
    """Validate, fuse and publish every table into cooperation.duckdb in one atomic swap."""
    tables = runner.publish(coop.paths())
    for name in PUBLISHED_TABLES:
        yield dg.MaterializeResult(asset_key=name, metadata=table_metadata(tables.frames[name]))
    for table in FACT_TABLES:
        for rule in schemas.rules()[table]:
            failed = tables.failures.get(table, {}).get(rule.name)
            n = 0 if failed is None else failed.height
            yield dg.AssetCheckResult(
                asset_key=table,
                check_name=rule.name,
                passed=n == 0,
                metadata={
                    "failing_rows": n,
                    **({"sample": dg.MetadataValue.md(markdown_preview(failed))} if n else {}),
                },
            )


@dg.asset(
    deps=list(PUBLISHED_TABLES),
    group_name="exports",
    kinds={"parquet"},
    description="warehouse/exports/<table>.parquet (zstd) for every table, for notebooks.",
)
def parquet_exports(context: dg.AssetExecutionContext, coop: CoopPaths) -> dg.MaterializeResult:
    written = runner.export(coop.paths())
    files = pl.DataFrame(
        [
            {
                "table": t,
                "path": str(p),
                "rows": pl.scan_parquet(p).select(pl.len()).collect().item(),
                "bytes": p.stat().st_size,
            }
            for t, p in sorted(written.items())
        ],
        schema={"table": pl.Utf8, "path": pl.Utf8, "rows": pl.Int64, "bytes": pl.Int64},
    )
    return dg.MaterializeResult(metadata={"tables": len(written), **table_metadata(files)})
