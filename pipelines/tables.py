"""From staged per-document results to the warehouse tables (pure, no I/O).

Candidate facts become one row per statement; the statements are validated against the
Pandera schemas (failures go to ``rejections`` with the rule's name); the valid statements'
parties are linked to the ``places`` dimension (``pipelines.linking``), and the statements of one
fact are fused into one fact row with one ``evidence`` row each, disagreeing statements listed
in ``conflicts`` (``pipelines.fusion``).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from pipelines import schemas
from pipelines.fusion import CONFLICT_COLUMNS, EVIDENCE_FIELDS, fuse
from pipelines.linking import link_places
from pipelines.model import FACT_TABLES, Fact
from pipelines.places.gazetteer import PLACES_SCHEMA

PARTY_COLUMNS = {
    f"{s}_{c}": pl.Utf8 for s in ("a", "b") for c in ("name", "country", "level", "region", "place_id")
}
OWN_COLUMNS: dict[str, dict[str, pl.DataType]] = {
    "agreements": {"kind": pl.Utf8, "year": pl.Int32, "month": pl.Int32, "day": pl.Int32, "place": pl.Utf8},
    "visits": {"head": pl.Utf8, "year": pl.Int32, "month": pl.Int32, "day": pl.Int32, "place": pl.Utf8},
    "trade_flows": {
        "flow": pl.Utf8,
        "period_start": pl.Date,
        "period_end": pl.Date,
        "value": pl.Float64,
        "currency": pl.Utf8,
        "qualifier": pl.Utf8,
        "change_pct": pl.Float64,
    },
    "twinnings": {"year": pl.Int32, "month": pl.Int32},
}
CAMEO = {"agreements": "057", "visits": "042"}  # CAMEO event codes: sign formal agreement, make a visit
DOCUMENTS_PER_BATCH = 2000  # documents gathered as Python objects before they become Arrow columns


def fact_schema(table: str) -> dict[str, pl.DataType]:
    return {
        "fact_id": pl.Utf8,
        **PARTY_COLUMNS,
        "aggregate": pl.Boolean,
        "count": pl.Int32,
        **OWN_COLUMNS[table],
        "n_sources": pl.Int32,
        "n_mentions": pl.Int32,
    }


EVIDENCE_SCHEMA = {
    "fact_id": pl.Utf8,
    "table_name": pl.Utf8,
    "doc_id": pl.Utf8,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
    "quote": pl.Utf8,
    "sentence_start": pl.Int64,
    "sentence_end": pl.Int64,
    "rule": pl.Utf8,
    "extractor": pl.Utf8,
    "confidence": pl.Float64,
    "note": pl.Utf8,
}
DOCUMENT_SCHEMA = {
    "doc_id": pl.Utf8,
    "doc_name": pl.Utf8,
    "sha256": pl.Utf8,
    "language": pl.Utf8,
    "n_chars": pl.Int64,
    "text": pl.Utf8,
    "encoding": pl.Utf8,
    "markup": pl.Utf8,
    "n_bytes": pl.Int64,
}
ZONE_SCHEMA = {"doc_id": pl.Utf8, "zone": pl.Utf8, "char_start": pl.Int64, "char_end": pl.Int64}
CONFLICT_TYPES = {
    "char_start_1": pl.Int64,
    "char_end_1": pl.Int64,
    "char_start_2": pl.Int64,
    "char_end_2": pl.Int64,
    "n_sources_1": pl.Int32,
    "n_sources_2": pl.Int32,
    "diff_pct": pl.Float64,
}
CONFLICT_SCHEMA = {c: CONFLICT_TYPES.get(c, pl.Utf8) for c in CONFLICT_COLUMNS}
REJECTION_SCHEMA = {
    "doc_id": pl.Utf8,
    "doc_name": pl.Utf8,
    "stage": pl.Utf8,
    "table_name": pl.Utf8,
    "check": pl.Utf8,
    "reason": pl.Utf8,
    "values": pl.Utf8,
}


@dataclass
class Tables:
    frames: dict[str, pl.DataFrame]
    # Per fact table, per rule name: the statement rows that broke it (for the asset checks).
    failures: dict[str, dict[str, pl.DataFrame]] = field(default_factory=dict)


def _statement_row(fact: Fact, doc: dict) -> dict:
    ev = fact.evidence
    text = doc["text"]
    row = {
        "_doc_id": doc["doc_id"],
        "_doc_name": doc["doc_name"],
        **{
            f"{side}_{c}": getattr(getattr(fact, side), c)
            for side in ("a", "b")
            for c in ("name", "country", "level", "region", "place_id")
        },
        "aggregate": bool(fact.aggregate),
        "count": fact.count,
        **{c: fact.attrs.get(c) for c in OWN_COLUMNS[fact.table]},
        **{f"_ev_{k}": getattr(ev, k) for k in EVIDENCE_FIELDS},
        "_span_in_text": 0 <= ev.char_start < ev.char_end <= len(text),
        "_quote_matches": text[ev.char_start : ev.char_end] == ev.quote,
    }
    for side in ("a", "b"):
        region, country = row[f"{side}_region"], row[f"{side}_country"]
        row[f"_{side}_region_in_country"] = region is None or (
            country is not None and region.startswith(country + "-")
        )
    if fact.table == "trade_flows":
        start, end = fact.attrs.get("period_start"), fact.attrs.get("period_end")
        row["_period_ordered"] = isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end
    return row


def build_tables(
    staged: Iterable[tuple[dict | None, dict | None]], places: pl.DataFrame | None = None
) -> Tables:
    """All warehouse tables from the staged results of the documents currently in the raw folder:
    ``staged`` gives, one document at a time, its ingest result and its extract result (either
    may be None). Read as a stream: a document's text is needed only while its facts are
    checked against it, and then lives on only in the ``documents`` table."""
    documents = _Columns(DOCUMENT_SCHEMA, DOCUMENTS_PER_BATCH)
    zones = _Columns(ZONE_SCHEMA, DOCUMENTS_PER_BATCH)
    doc_rejections: list[dict] = []
    fact_rejections: list[dict] = []
    seen_text: dict[str, str] = {}
    statements: dict[str, _Statements] = defaultdict(_Statements)
    for staged_doc, staged_facts in staged:
        doc = _document(staged_doc, seen_text, doc_rejections) if staged_doc is not None else None
        if doc is not None:
            documents.append(doc)
            for a, b, z in staged_doc["zones"]:
                zones.append({"doc_id": doc["doc_id"], "zone": z, "char_start": a, "char_end": b})
        if staged_facts is None:
            continue
        fact_rejections.extend(staged_facts.get("rejections", []))
        if doc is None or staged_facts.get("doc_id") != doc["doc_id"]:
            continue
        for fact in staged_facts["facts"]:
            statements[fact.table].append(_statement_row(fact, doc))

    frames: dict[str, pl.DataFrame] = {}
    failures: dict[str, dict[str, pl.DataFrame]] = {}
    evidence: list[pl.DataFrame] = []
    conflicts: list[pl.DataFrame] = []
    validation_rejections: list[dict] = []
    for table in FACT_TABLES:
        valid, failed, bad = _validate(table, statements.pop(table, _Statements()))  # freed table by table
        failures[table] = failed
        validation_rejections.extend(bad)
        fused = fuse(table, link_places(valid, places), list(fact_schema(table)))
        del valid
        evidence.append(pl.DataFrame(fused.evidence, schema=EVIDENCE_SCHEMA))
        conflicts.append(pl.DataFrame(fused.conflicts, schema=CONFLICT_SCHEMA, orient="row"))
        frames[table] = pl.DataFrame(fused.facts, schema=fact_schema(table), orient="row")
        del fused
        if table in CAMEO:
            frames[table] = frames[table].with_columns(pl.lit(CAMEO[table]).alias("cameo_code"))
    frames["documents"] = documents.frame()
    frames["zones"] = zones.frame()
    frames["evidence"] = pl.concat(evidence)
    rejections = doc_rejections + fact_rejections + validation_rejections
    frames["rejections"] = pl.DataFrame(rejections, schema=REJECTION_SCHEMA)
    frames["conflicts"] = pl.concat(conflicts)
    # The views join places, so the table exists even before a gazetteer is passed.
    frames["places"] = places if places is not None else pl.DataFrame(schema=PLACES_SCHEMA)
    return Tables(frames, failures)


def _document(staged: dict, seen_text: dict[str, str], rejections: list[dict]) -> dict | None:
    """The staged document, unless it is unreadable (its rejections are kept) or the same text
    as one already seen under another name (kept once)."""
    rejections.extend(staged.get("rejections", []))
    doc = staged.get("document")
    if doc is None:
        return None
    if doc["doc_id"] in seen_text:
        rejections.append(
            {
                "doc_id": doc["doc_id"],
                "doc_name": doc["doc_name"],
                "stage": "ingest",
                "table_name": None,
                "check": "duplicate_document",
                "reason": f"same text as {seen_text[doc['doc_id']]}: kept once",
                "values": None,
            }
        )
        return None
    seen_text[doc["doc_id"]] = doc["doc_name"]
    return doc


class _Columns:
    """Rows gathered as columns and turned into Arrow-backed frames every ``batch`` rows, so
    that a long table (the documents' texts) is never held as Python objects all at once."""

    def __init__(self, schema: dict[str, pl.DataType], batch: int):
        self.schema, self.batch = schema, batch
        self.columns: dict[str, list] = {c: [] for c in schema}
        self.chunks: list[pl.DataFrame] = []

    def append(self, row: dict) -> None:
        for c, values in self.columns.items():
            values.append(row.get(c))
        if len(values) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        self.chunks.append(pl.DataFrame(self.columns, schema=self.schema))
        self.columns = {c: [] for c in self.schema}

    def frame(self) -> pl.DataFrame:
        self._flush()
        return pl.concat(self.chunks, rechunk=False)


class _Statements:
    """A table's statement rows, kept as tuples in one key order with their repeated strings
    (names, codes, rules) interned: a fifth of the memory of a dict per row. They become dicts
    again, for fusion, one table at a time."""

    UNIQUE = frozenset({"_ev_quote", "_ev_note"})  # not worth interning

    def __init__(self):
        self.keys: tuple[str, ...] = ()
        self.rows: list[tuple] = []

    def append(self, row: dict) -> None:
        self.keys = self.keys or tuple(row)
        self.rows.append(tuple(self._compact(k, row.get(k)) for k in self.keys))

    @classmethod
    def _compact(cls, key: str, value):
        return sys.intern(value) if type(value) is str and key not in cls.UNIQUE else value

    def row(self, i: int) -> dict:
        return dict(zip(self.keys, self.rows[i], strict=True))

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=list(self.keys), orient="row", infer_schema_length=None)


def _validate(table: str, statements: _Statements) -> tuple[list[dict], dict[str, pl.DataFrame], list[dict]]:
    if not statements.rows:
        return [], {}, []
    frame = statements.frame()
    fails = schemas.failures(table, frame)
    bad_index = set(fails["index"].to_list())
    failed: dict[str, pl.DataFrame] = {}
    rejections = []
    for rule, group in fails.group_by("rule"):
        idx = group["index"].to_list()
        failed[rule[0]] = frame[idx].select(
            [c for c in frame.columns if not c.startswith("_")] + ["_doc_name"]
        )
    del frame
    by_index = defaultdict(list)
    for r in fails.iter_rows(named=True):
        by_index[r["index"]].append(r)
    for i, problems in by_index.items():
        row = statements.row(i)
        reason = "; ".join(f"{p['rule']}: {p['column']}={p['failure_case']!r}" for p in problems)
        values = {k: v for k, v in row.items() if not k.startswith("_")}
        values["quote"] = row["_ev_quote"]
        rejections.append(
            {
                "doc_id": row["_doc_id"],
                "doc_name": row["_doc_name"],
                "stage": "validate",
                "table_name": table,
                "check": ",".join(sorted({p["rule"] for p in problems})),
                "reason": reason,
                "values": _json(values),
            }
        )
    valid = [statements.row(i) for i in range(len(statements.rows)) if i not in bad_index]
    return valid, failed, rejections


def _json(values: dict) -> str:
    import json

    return json.dumps(values, ensure_ascii=False, default=str)
