"""Validation and fusion of candidate facts into warehouse tables (no Dagster, no DuckDB)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipelines import tables
from pipelines.model import Evidence, Fact, Party
from pipelines.staging import StagingStore
from pipelines.tables import build_tables

TEXT = (
    "In 2021 the trade turnover between Belarus and the Bryansk region amounted to $1.2 billion. "
    "The Vitebsk region signed an agreement with the Pskov region in May 2019."
)
BELARUS = Party("Belarus", "BY", "country", None, "BY")
BRYANSK = Party("Bryansk Oblast", "RU", "region", "RU-BRY", "RU-BRY")
VITEBSK = Party("Vitebsk Oblast", "BY", "region", "BY-VI", "BY-VI")
PSKOV = Party("Pskov Oblast", "RU", "region", "RU-PSK", "RU-PSK")


def staged(doc_name="d.txt", text=TEXT, doc_id="doc_1"):
    document = {
        "doc_id": doc_id,
        "doc_name": doc_name,
        "sha256": "x",
        "language": "en",
        "n_chars": len(text),
        "text": text,
        "encoding": "utf-8",
        "markup": "text",
        "n_bytes": len(text),
    }
    return {"doc_name": doc_name, "document": document, "zones": [[0, len(text), "body"]], "rejections": []}


def evidence(text, quote, rule="test.rule"):
    start = text.index(quote)
    return Evidence(start, start + len(quote), quote, start, start + len(quote), rule, "test@1", 0.9)


def trade(**over):
    attrs = {
        "flow": "turnover",
        "period_start": dt.date(2021, 1, 1),
        "period_end": dt.date(2021, 12, 1),
        "value": 1.2e9,
        "currency": "USD",
        "qualifier": "exact",
        "change_pct": None,
    }
    attrs.update(over.pop("attrs", {}))
    q = "In 2021 the trade turnover between Belarus and the Bryansk region amounted to $1.2 billion."
    return Fact(
        "trade_flows",
        over.pop("a", BELARUS),
        over.pop("b", BRYANSK),
        attrs,
        over.pop("evidence", evidence(TEXT, q)),
    )


def agreement(**attrs):
    base = {"kind": "cooperation_agreement", "year": 2019, "month": 5, "day": None, "place": None}
    base.update(attrs)
    q = "The Vitebsk region signed an agreement with the Pskov region in May 2019."
    return Fact("agreements", VITEBSK, PSKOV, base, evidence(TEXT, q))


def build(facts, docs=None):
    docs = docs or [staged()]
    return build_tables(
        (d, {"doc_name": d["doc_name"], "doc_id": d["document"]["doc_id"], "facts": f, "rejections": []})
        for d, f in zip(docs, facts, strict=True)
    )


def test_valid_facts_are_published_with_evidence():
    t = build([[trade(), agreement()]])
    assert t.frames["trade_flows"].height == 1
    assert t.frames["agreements"].height == 1
    ev = t.frames["evidence"]
    assert ev.height == 2
    for row in ev.iter_rows(named=True):
        assert TEXT[row["char_start"] : row["char_end"]] == row["quote"]
    assert t.frames["rejections"].height == 0


@pytest.mark.parametrize(
    ("fact", "rule"),
    [
        (agreement(month=13), "month_in_range"),
        (agreement(kind="treaty"), "kind_known"),
        (agreement(year=1066), "year_plausible"),
        (trade(attrs={"value": -5.0}), "value_positive"),
        (trade(attrs={"currency": "XYZ"}), "currency_iso"),
        (trade(attrs={"flow": "sideways"}), "flow_known"),
        (trade(attrs={"period_start": dt.date(2022, 1, 1)}), "period_ordered"),
        (trade(b=Party("Nowhere Oblast", "RU", "region", "RU-XXX")), "b_region_iso"),
        (trade(b=Party("Bryansk Oblast", "BY", "region", "RU-BRY")), "b_region_in_country"),
        (trade(evidence=Evidence(10, 99999, "x", 0, 1, "r", "t@1", 1.0)), "evidence_in_text"),
        (trade(evidence=Evidence(0, 7, "In 2022", 0, 7, "r", "t@1", 1.0)), "evidence_quote_matches"),
    ],
)
def test_each_broken_rule_lands_in_rejections_and_valid_rows_still_publish(fact, rule):
    t = build([[fact, agreement() if fact.table == "trade_flows" else trade()]])
    rej = t.frames["rejections"]
    assert rej.height == 1
    row = rej.row(0, named=True)
    assert row["stage"] == "validate" and rule in row["check"]
    assert row["doc_id"] == "doc_1" and json.loads(row["values"])
    assert t.failures[fact.table][rule].height == 1
    assert t.frames[fact.table].height == 0
    other = "agreements" if fact.table == "trade_flows" else "trade_flows"
    assert t.frames[other].height == 1


def test_same_fact_in_two_documents_is_one_row_with_two_evidence_rows():
    text2 = "Back in 2021, trade turnover between Belarus and the Bryansk region amounted to $1.2 billion."
    q2 = "trade turnover between Belarus and the Bryansk region amounted to $1.2 billion."
    t = build(
        [[trade()], [trade(evidence=evidence(text2, q2))]], docs=[staged(), staged("e.txt", text2, "doc_2")]
    )
    flows = t.frames["trade_flows"]
    assert flows.height == 1
    assert flows["n_sources"][0] == 2 and flows["n_mentions"][0] == 2
    assert sorted(t.frames["evidence"]["doc_id"].to_list()) == ["doc_1", "doc_2"]


def test_identical_documents_under_two_names_are_kept_once():
    t = build([[trade()], [trade()]], docs=[staged("a.txt"), staged("b.txt")])
    assert t.frames["documents"].height == 1
    assert t.frames["rejections"]["check"].to_list() == ["duplicate_document"]
    assert t.frames["evidence"].height == 1


def test_fact_ids_are_stable_and_unordered_for_symmetric_tables():
    one = build([[agreement()]]).frames["agreements"]["fact_id"][0]
    swapped = agreement()
    swapped.a, swapped.b = swapped.b, swapped.a
    assert build([[swapped]]).frames["agreements"]["fact_id"][0] == one


def test_documents_read_one_at_a_time_and_batched_keep_their_order_text_and_facts(monkeypatch):
    monkeypatch.setattr(tables, "DOCUMENTS_PER_BATCH", 2)  # several batches from five documents
    texts = [f"Document {i}. " + TEXT for i in range(5)]
    docs = [staged(f"d{i}.txt", text, f"doc_{i}") for i, text in enumerate(texts)]
    q = "The Vitebsk region signed an agreement with the Pskov region in May 2019."
    facts = [[Fact("agreements", VITEBSK, PSKOV, agreement().attrs, evidence(t, q))] for t in texts]
    t = build(facts, docs)  # build() hands build_tables a one-shot generator
    assert t.frames["documents"]["doc_id"].to_list() == [f"doc_{i}" for i in range(5)]
    assert t.frames["documents"]["text"].to_list() == texts
    assert t.frames["zones"].height == 5
    agreements = t.frames["agreements"]
    assert (agreements.height, agreements["n_sources"][0]) == (1, 5)
    ev = t.frames["evidence"].join(t.frames["documents"], on="doc_id")
    assert ev.height == 5
    assert all(r["text"][r["char_start"] : r["char_end"]] == r["quote"] for r in ev.iter_rows(named=True))


def test_a_staged_result_is_read_without_the_keys_the_reader_has_no_use_for(tmp_path):
    store = StagingStore(tmp_path)
    payload = {**staged(), "sentences": [[0, 10], [11, 20]], "when": dt.date(2021, 5, 1)}
    store.write("ingest", "d.txt", payload)
    assert store.read("ingest", "d.txt") == payload
    lean = store.read("ingest", "d.txt", without=("sentences",))
    assert (
        "sentences" not in lean and lean["document"]["text"] == TEXT and lean["when"] == dt.date(2021, 5, 1)
    )
    assert store.read("ingest", "missing.txt", without=("sentences",)) is None
