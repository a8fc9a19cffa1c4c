"""Validation that bites: facts breaking a Pandera rule land in `rejections` and fail the matching
Dagster asset check of the published table, while the valid facts are published.

The per-document layers are bypassed: the document is ingested for real, its candidate facts are
written straight into the staging store (as the extract layer would), then the warehouse
multi-asset is materialised with Dagster.
"""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg
import duckdb
import pytest

from assets.warehouse import warehouse_tables
from pipelines import runner, schemas
from pipelines.model import FACT_TABLES, Evidence, Fact, Party
from pipelines.resources import CoopPaths
from pipelines.runner import EXTRACT, INGEST, Paths
from pipelines.warehouse import DB_NAME

TEXT = (
    "In 2021 the trade turnover between Belarus and the Bryansk region amounted to $1.2 billion.\n\n"
    "In 2022 the trade turnover between Belarus and the Bryansk region amounted to $1.5 billion.\n\n"
    "The Vitebsk region signed an agreement with the Pskov region in May 2019.\n\n"
    "A delegation of the Pskov region visited Vitebsk in June 2020.\n"
)
BELARUS = Party("Belarus", "BY", "country", None, "BY")
BRYANSK = Party("Bryansk Oblast", "RU", "region", "RU-BRY", "RU-BRY")
VITEBSK = Party("Vitebsk Oblast", "BY", "region", "BY-VI", "BY-VI")
PSKOV = Party("Pskov Oblast", "RU", "region", "RU-PSK", "RU-PSK")


def evidence(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(start, start + len(quote), quote, start, start + len(quote), "test.rule", "test@1", 0.9)


def trade(year: int, **attrs) -> Fact:
    quote = TEXT.splitlines()[0 if year == 2021 else 2]
    base = {
        "flow": "turnover",
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 1),
        "value": 1.2e9,
        "currency": "USD",
        "qualifier": "exact",
        "change_pct": None,
    }
    return Fact("trade_flows", BELARUS, attrs.pop("b", BRYANSK), {**base, **attrs}, evidence(quote))


def agreement(**attrs) -> Fact:
    base = {"kind": "cooperation_agreement", "year": 2019, "month": 5, "day": None, "place": None}
    quote = "The Vitebsk region signed an agreement with the Pskov region in May 2019."
    return Fact("agreements", VITEBSK, PSKOV, {**base, **attrs}, evidence(quote))


def visit(ev: Evidence) -> Fact:
    return Fact(
        "visits", PSKOV, VITEBSK, {"head": None, "year": 2020, "month": 6, "day": None, "place": None}, ev
    )


VALID = [trade(2021), agreement()]
# Each broken fact, and the rules (asset checks) it must fail.
BROKEN = [
    (agreement(month=13), {("agreements", "month_in_range")}),
    (trade(2022, value=-1.5e9), {("trade_flows", "value_positive")}),
    (trade(2022, currency="XYZ"), {("trade_flows", "currency_iso")}),
    (
        trade(2022, b=Party("Nowhere Oblast", "RU", "region", "RU-XXX", None)),
        {("trade_flows", "b_region_iso")},
    ),
    (
        visit(Evidence(len(TEXT) - 5, len(TEXT) + 40, "Vitebsk in June 2020.", 0, 1, "r", "test@1", 1.0)),
        {("visits", "evidence_in_text"), ("visits", "evidence_quote_matches")},
    ),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("checks")
    raw = root / "raw"
    raw.mkdir()
    (raw / "news.txt").write_text(TEXT, encoding="utf-8")
    paths = Paths(raw, root / "warehouse")
    runner.ingest(paths)
    doc_id = paths.store.read(INGEST, "news.txt")["document"]["doc_id"]
    facts = VALID + [fact for fact, _ in BROKEN]
    paths.store.write(
        EXTRACT, "news.txt", {"doc_name": "news.txt", "doc_id": doc_id, "facts": facts, "rejections": []}
    )
    result = dg.materialize(
        [warehouse_tables],
        resources={"coop": CoopPaths(raw_dir=str(raw), warehouse_dir=str(paths.warehouse_dir))},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    return result, paths, doc_id


def test_each_broken_rule_fails_its_asset_check_and_only_those(published):
    result, _, _ = published
    evaluations = {(e.asset_key.path[-1], e.check_name): e for e in result.get_asset_check_evaluations()}
    every_rule = {(table, rule.name) for table in FACT_TABLES for rule in schemas.rules()[table]}
    assert set(evaluations) == every_rule  # one check per rule, all evaluated
    expected_failures = set().union(*(rules for _, rules in BROKEN))
    failed = {key for key, e in evaluations.items() if not e.passed}
    assert failed == expected_failures
    for key in expected_failures:
        assert evaluations[key].metadata["failing_rows"].value == 1


def test_broken_facts_are_rejections_with_their_rule_and_values(published):
    _, paths, doc_id = published
    con = duckdb.connect(str(paths.warehouse_dir / DB_NAME), read_only=True)
    try:
        rows = con.execute(
            'SELECT table_name, "check", reason, "values", doc_id, stage FROM rejections ORDER BY table_name, "check"'
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == len(BROKEN)
    assert {r[5] for r in rows} == {"validate"} and {r[4] for r in rows} == {doc_id}
    by_check = {(table, check): (reason, json.loads(values)) for table, check, reason, values, _, _ in rows}
    assert set(by_check) == {
        (table, ",".join(sorted(rule for _, rule in rules)))
        for _, rules in BROKEN
        for table in {t for t, _ in rules}
    }
    assert by_check[("agreements", "month_in_range")][1]["month"] == 13
    assert by_check[("trade_flows", "value_positive")][1]["value"] == -1.5e9
    assert "currency=" in by_check[("trade_flows", "currency_iso")][0]
    assert "XYZ" in by_check[("trade_flows", "currency_iso")][0]
    assert by_check[("trade_flows", "b_region_iso")][1]["b_region"] == "RU-XXX"


def test_valid_facts_are_published_beside_the_broken_ones(published):
    _, paths, doc_id = published
    con = duckdb.connect(str(paths.warehouse_dir / DB_NAME), read_only=True)
    try:
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in FACT_TABLES}
        flow = con.execute("SELECT value, currency, b_region FROM trade_flows").fetchall()
        quotes = con.execute(
            "SELECT e.quote = substr(d.text, e.char_start + 1, e.char_end - e.char_start) "
            "FROM evidence e JOIN documents d USING (doc_id)"
        ).fetchall()
    finally:
        con.close()
    assert counts == {"agreements": 1, "visits": 0, "trade_flows": 1, "twinnings": 0}
    assert flow == [(1.2e9, "USD", "RU-BRY")]
    assert quotes == [(True,), (True,)]
