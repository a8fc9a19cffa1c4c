"""From staged per-document results to the warehouse tables (pure, no I/O).

Candidate facts become one row per statement; the statements are validated against the
Pandera schemas (failures go to ``rejections`` with the rule's name); the valid statements'
parties are linked to the ``places`` dimension (``pipelines.linking``), and the statements of one
fact are fused into one fact row with one ``evidence`` row each, disagreeing statements listed
in ``conflicts`` (``pipelines.fusion``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
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
    staged_docs: list[dict], staged_facts: list[dict], places: pl.DataFrame | None = None
) -> Tables:
    """All warehouse tables from the staged results of the documents currently in the raw folder."""
    documents, zones, rejections = [], [], []
    seen_text: dict[str, str] = {}
    doc_by_name: dict[str, dict] = {}
    for staged in staged_docs:
        rejections.extend(staged.get("rejections", []))
        doc = staged.get("document")
        if doc is None:
            continue
        if doc["doc_id"] in seen_text:  # same text under two names: keep the first
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
            continue
        seen_text[doc["doc_id"]] = doc["doc_name"]
        doc_by_name[doc["doc_name"]] = doc
        documents.append({k: doc.get(k) for k in DOCUMENT_SCHEMA})
        zones.extend(
            {"doc_id": doc["doc_id"], "zone": z, "char_start": a, "char_end": b}
            for a, b, z in staged["zones"]
        )

    statements: dict[str, list[dict]] = defaultdict(list)
    for staged in staged_facts:
        rejections.extend(staged.get("rejections", []))
        doc = doc_by_name.get(staged["doc_name"])
        if doc is None or staged.get("doc_id") != doc["doc_id"]:
            continue
        for fact in staged["facts"]:
            statements[fact.table].append(_statement_row(fact, doc))

    frames: dict[str, pl.DataFrame] = {}
    failures: dict[str, dict[str, pl.DataFrame]] = {}
    evidence: list[dict] = []
    conflicts: list[dict] = []
    for table in FACT_TABLES:
        rows = statements.get(table, [])
        valid, failed, bad = _validate(table, rows)
        failures[table] = failed
        rejections.extend(bad)
        fused = fuse(table, link_places(valid, places), list(fact_schema(table)))
        evidence.extend(fused.evidence)
        conflicts.extend(fused.conflicts)
        frames[table] = pl.DataFrame(fused.facts, schema=fact_schema(table), orient="row")
        if table in CAMEO:
            frames[table] = frames[table].with_columns(pl.lit(CAMEO[table]).alias("cameo_code"))
    frames["documents"] = pl.DataFrame(documents, schema=DOCUMENT_SCHEMA)
    frames["zones"] = pl.DataFrame(zones, schema=ZONE_SCHEMA)
    frames["evidence"] = pl.DataFrame(evidence, schema=EVIDENCE_SCHEMA)
    frames["rejections"] = pl.DataFrame(rejections, schema=REJECTION_SCHEMA)
    frames["conflicts"] = pl.DataFrame(conflicts, schema=CONFLICT_SCHEMA, orient="row")
    # The views join places, so the table exists even before a gazetteer is passed.
    frames["places"] = places if places is not None else pl.DataFrame(schema=PLACES_SCHEMA)
    return Tables(frames, failures)


def _validate(table: str, rows: list[dict]) -> tuple[list[dict], dict[str, pl.DataFrame], list[dict]]:
    if not rows:
        return [], {}, []
    frame = pl.DataFrame(rows, infer_schema_length=None)
    fails = schemas.failures(table, frame)
    bad_index = set(fails["index"].to_list())
    failed: dict[str, pl.DataFrame] = {}
    rejections = []
    for rule, group in fails.group_by("rule"):
        idx = group["index"].to_list()
        failed[rule[0]] = frame[idx].select(
            [c for c in frame.columns if not c.startswith("_")] + ["_doc_name"]
        )
    by_index = defaultdict(list)
    for r in fails.iter_rows(named=True):
        by_index[r["index"]].append(r)
    for i, problems in by_index.items():
        row = rows[i]
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
    return [r for i, r in enumerate(rows) if i not in bad_index], failed, rejections


def _json(values: dict) -> str:
    import json

    return json.dumps(values, ensure_ascii=False, default=str)
