"""The whole flow as plain functions, shared by the Dagster assets, the CLI, tests and benchmarks.

Layers: ``ingest`` (raw bytes to staged documents) and ``extract`` (staged documents to
candidate facts) work per document and keep their results in the staging store; ``publish``
builds every table from the staged results of the documents now in the raw folder, validates
and fuses the facts, and swaps the DuckDB file in; ``export`` writes the Parquet files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipelines.model import FACT_TABLES
from pipelines.pipeline import extract_document, list_raw_files, read_raw_file
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
    report = LayerReport()
    for name in names if names is not None else sorted(files):
        if name not in files:  # removed since the partition was registered: nothing to stage
            continue
        staged = read_raw_file(files[name])
        paths.store.write(INGEST, name, staged)
        report.processed += 1
        report.rejected += staged["document"] is None
        doc = staged["document"] or {}
        report.rows.append(
            {
                "doc_name": name,
                "doc_id": doc.get("doc_id"),
                "language": doc.get("language"),
                "encoding": doc.get("encoding"),
                "n_chars": doc.get("n_chars"),
                "n_sentences": len(staged.get("sentences", [])),
                "rejected": staged["rejections"][0]["reason"] if staged["document"] is None else None,
            }
        )
    return report


def extract(paths: Paths, names: list[str] | None = None) -> LayerReport:
    names = names if names is not None else [f.name for f in list_raw_files(paths.raw_dir)[0]]
    report = LayerReport()
    for name in names:
        staged = paths.store.read(INGEST, name)
        if staged is None:
            continue
        result = extract_document(staged)
        paths.store.write(EXTRACT, name, result)
        report.processed += 1
        for f in result["facts"]:
            report.facts[f.table] = report.facts.get(f.table, 0) + 1
        if result.get("unresolved_places"):
            report.unresolved_places[name] = result["unresolved_places"]
        per_table = {t: sum(f.table == t for f in result["facts"]) for t in FACT_TABLES}
        report.rows.append({"doc_name": name, **per_table, "extract_errors": len(result["rejections"])})
    return report


def views_sql() -> str:
    return resources.files("pipelines").joinpath("views.sql").read_text(encoding="utf-8")


def publish(paths: Paths) -> Tables:
    """Build, validate and fuse every table from the staged results, then swap the DuckDB file in."""
    from pipelines.places.gazetteer import places_frame

    files, refused = list_raw_files(paths.raw_dir)
    names = [f.name for f in files]
    store = paths.store
    staged_docs = [{"doc_name": r["doc_name"], "document": None, "rejections": [r]} for r in refused]
    staged_facts = []
    for name in names:
        doc = store.read(INGEST, name)
        facts = store.read(EXTRACT, name)
        if doc is not None:
            staged_docs.append(doc)
        if facts is not None:
            staged_facts.append(_facts_of(facts))
    store.prune(INGEST, set(names))
    store.prune(EXTRACT, set(names))
    tables = build_tables(staged_docs, staged_facts, places_frame())
    with run_lock(paths.warehouse_dir):
        write_database(tables.frames, paths.warehouse_dir, views_sql())
    return tables


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
