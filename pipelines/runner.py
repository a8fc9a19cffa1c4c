"""The whole flow as plain functions, shared by the Dagster assets, the CLI, tests and benchmarks.

Layers: ``ingest`` (raw bytes to staged documents) and ``extract`` (staged documents to
candidate facts) work per document and keep their results in the staging store; ``publish``
builds every table from the staged results of the documents now in the raw folder, validates
and fuses the facts, and swaps the DuckDB file in; ``export`` writes the Parquet files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipelines.model import FACT_TABLES
from pipelines.parallel import map_in_order
from pipelines.pipeline import RawFile, extract_document, list_raw_files, read_raw_file
from pipelines.staging import StagingStore
from pipelines.tables import Tables, build_tables
from pipelines.warehouse import export_parquet, run_lock, write_database

INGEST, EXTRACT = "ingest", "extract"


@dataclass(frozen=True)
class Paths:
    raw_dir: Path
    warehouse_dir: Path

    @classmethod
    def from_env(cls, raw: str | None = None, warehouse: str | None = None) -> Paths:
        return cls(
            Path(raw or os.environ.get("COOP_RAW_DIR", "raw")),
            Path(warehouse or os.environ.get("COOP_WAREHOUSE_DIR", "warehouse")),
        )

    @property
    def store(self) -> StagingStore:
        return StagingStore(self.warehouse_dir / "staging")


@dataclass
class LayerReport:
    processed: int = 0
    rejected: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    unresolved_places: dict[str, list[str]] = field(default_factory=dict)  # doc_name -> phrases
    rows: list[dict] = field(default_factory=list)  # one per document, for the asset's metadata

    def frame(self):
        import polars as pl

        return pl.DataFrame(self.rows, infer_schema_length=None)


def ingest(paths: Paths, names: list[str] | None = None) -> LayerReport:
    files = {f.name: f for f in list_raw_files(paths.raw_dir)[0]}
    # A document removed since its partition was registered has nothing to stage.
    todo = [(paths, files[n]) for n in (names if names is not None else sorted(files)) if n in files]
    report = LayerReport()
    for row in _each_document(_ingest_one, todo):
        report.processed += 1
        report.rejected += row["rejected"] is not None
        report.rows.append(row)
    return report


def _ingest_one(job: tuple[Paths, RawFile]) -> dict:
    """Ingest one document into the staging store; the summary row for the asset's metadata."""
    paths, raw = job
    staged = read_raw_file(raw)
    paths.store.write(INGEST, raw.name, staged)
    doc = staged["document"] or {}
    return {
        "doc_name": raw.name,
        "doc_id": doc.get("doc_id"),
        "language": doc.get("language"),
        "encoding": doc.get("encoding"),
        "n_chars": doc.get("n_chars"),
        "n_sentences": len(staged.get("sentences", [])),
        "rejected": staged["rejections"][0]["reason"] if staged["document"] is None else None,
    }


def extract(paths: Paths, names: list[str] | None = None) -> LayerReport:
    names = names if names is not None else [f.name for f in list_raw_files(paths.raw_dir)[0]]
    report = LayerReport()
    for row, unresolved in _each_document(_extract_one, [(paths, n) for n in names]):
        if row is None:  # not ingested: nothing to extract
            continue
        report.processed += 1
        for t in FACT_TABLES:
            if row[t]:
                report.facts[t] = report.facts.get(t, 0) + row[t]
        if unresolved:
            report.unresolved_places[row["doc_name"]] = unresolved
        report.rows.append(row)
    return report


def _extract_one(job: tuple[Paths, str]) -> tuple[dict | None, list[str]]:
    """Extract one staged document into the staging store; its summary row and unresolved places."""
    paths, name = job
    staged = paths.store.read(INGEST, name)
    if staged is None:
        return None, []
    result = extract_document(staged)
    paths.store.write(EXTRACT, name, result)
    per_table = {t: sum(f.table == t for f in result["facts"]) for t in FACT_TABLES}
    row = {"doc_name": name, **per_table, "extract_errors": len(result["rejections"])}
    return row, result.get("unresolved_places") or []


def _each_document(work, jobs: list) -> Iterator:
    """``work`` over every job, in order, on every core when there are enough documents. The
    first document is done here, before the workers fork, so that they inherit the rules and
    gazetteers it loaded instead of each loading them again."""
    if not jobs:
        return
    yield work(jobs[0])
    yield from map_in_order(work, jobs[1:])


def views_sql() -> str:
    return resources.files("pipelines").joinpath("views.sql").read_text(encoding="utf-8")


def publish(paths: Paths) -> Tables:
    """Build, validate and fuse every table from the staged results, then swap the DuckDB file in."""
    from pipelines.places.gazetteer import places_frame

    files, refused = list_raw_files(paths.raw_dir)
    names = [f.name for f in files]
    paths.store.prune(INGEST, set(names))
    paths.store.prune(EXTRACT, set(names))
    tables = build_tables(_staged_results(paths.store, refused, names), places_frame())
    with run_lock(paths.warehouse_dir):
        write_database(tables.frames, paths.warehouse_dir, views_sql())
    return tables


def _staged_results(store: StagingStore, refused: list[dict], names: list[str]) -> Iterator[tuple]:
    """(ingest result, extract result) of each document, read one document at a time; the
    sentence offsets, which publishing never uses, are dropped as each file is read."""
    for r in refused:
        yield {"doc_name": r["doc_name"], "document": None, "rejections": [r]}, None
    for name in names:
        facts = store.read(EXTRACT, name)
        yield store.read(INGEST, name, without=("sentences",)), None if facts is None else _facts_of(facts)


def _facts_of(staged: dict) -> dict:
    from pipelines.staging import fact_from_dict

    return {**staged, "facts": [fact_from_dict(f) for f in staged["facts"]]}


def export(paths: Paths) -> dict[str, Path]:
    with run_lock(paths.warehouse_dir):
        return export_parquet(paths.warehouse_dir)


def run_direct(paths: Paths) -> Tables:
    """Every layer for every document, without Dagster (tests, benchmarks)."""
    ingest(paths)
    extract(paths)
    tables = publish(paths)
    export(paths)
    return tables
