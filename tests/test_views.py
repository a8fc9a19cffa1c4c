"""The analyst's views (pipelines/views.sql) on a published warehouse of the small corpus."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from fusion_corpus import build, publish

from pipelines.runner import views_sql
from pipelines.warehouse import DB_NAME, write_database


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("warehouse")
    publish(warehouse)
    connection = duckdb.connect(str(warehouse / DB_NAME), read_only=True)
    yield connection
    connection.close()


def rows(con, sql: str, *params) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_facts_stacks_every_fact_table_once_with_a_searchable_summary(con):
    counts = dict(con.execute("SELECT table_name, count(*) FROM facts GROUP BY ALL").fetchall())
    tables = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in counts}
    assert counts == tables and set(counts) == {"agreements", "visits", "trade_flows", "twinnings"}
    found = rows(
        con, "SELECT table_name, summary, cameo_code FROM facts WHERE summary ILIKE '%pskov%' ORDER BY 1"
    )
    assert [r["table_name"] for r in found] == ["agreements"]
    assert found[0]["summary"] == "agreements: Vitebsk Oblast - Pskov Oblast cooperation_agreement 2019-05"
    assert found[0]["cameo_code"] == "057"
    (visit,) = rows(con, "SELECT * FROM facts WHERE table_name = 'visits' AND NOT aggregate")
    assert visit["cameo_code"] == "042" and visit["summary"].endswith("2023-05-12")


def test_party_summary_counts_each_partys_facts_and_its_latest_turnover(con):
    by_name = {r["name"]: r for r in rows(con, "SELECT * FROM party_summary")}
    bryansk = by_name["Bryansk Oblast"]
    assert (bryansk["trade_figures"], bryansk["visits_in"]) == (4, 0)  # the 12 delegations are an aggregate
    assert (bryansk["latest_trade_year"], bryansk["latest_trade_value"]) == (2022, 1.31e9)
    assert (bryansk["latest_trade_flow"], bryansk["latest_trade_partner"]) == ("turnover", "Belarus")
    smolensk = by_name["Smolensk Oblast"]
    assert (smolensk["visits_out"], smolensk["latest_trade_flow"], smolensk["latest_trade_value"]) == (
        1,
        "import",
        4.05e8,
    )
    belarus = by_name["Belarus"]
    assert (belarus["visits_in"], belarus["partners"], belarus["latest_trade_partner"]) == (
        1,
        2,
        "Bryansk Oblast",
    )
    # The places dimension is joined: the Russian name and the parent come from `places`.
    assert (by_name["Polotsk"]["twinnings"], by_name["Polotsk"]["name_ru"], by_name["Polotsk"]["parent"]) == (
        1,
        "Полоцк",
        "BY-VI",
    )
    assert by_name["Brest Oblast"]["agreements"] == 2
    assert "Belarusian regions" not in by_name  # a group appears only in aggregate lines


def test_trade_series_has_one_row_per_period_and_flags_the_disputed_one(con):
    series = rows(
        con,
        "SELECT * FROM trade_series WHERE b_name = ? AND flow = 'turnover' ORDER BY period_end",
        "Bryansk Oblast",
    )
    assert [r["year"] for r in series] == [2020, 2021, 2022]
    assert [r["months"] for r in series] == [12, 12, 12]
    disputed = series[1]
    assert disputed["disputed"] and {disputed["value"], *disputed["other_values"]} == {1.2e9, 1.5e9}
    assert not series[0]["disputed"] and series[0]["other_values"] == []
    last = series[2]
    assert last["previous_value"] == disputed["value"]
    assert last["change_from_previous_pct"] == round(100 * (1.31e9 / disputed["value"] - 1), 1)


def test_conflicts_is_exported_with_both_passages(con, tmp_path_factory):
    conflicts = rows(con, "SELECT * FROM conflicts ORDER BY table_name")
    assert [c["table_name"] for c in conflicts] == ["agreements", "trade_flows"]
    texts = dict(con.execute("SELECT doc_name, text FROM documents").fetchall())
    for c in conflicts:
        for n in (1, 2):
            assert texts[c[f"doc_name_{n}"]][c[f"char_start_{n}"] : c[f"char_end_{n}"]] == c[f"quote_{n}"]
    db = con.execute("PRAGMA database_list").fetchone()[2]
    exported = pl.read_parquet(f"{db.rsplit('/', 1)[0]}/exports/conflicts.parquet")
    assert exported.height == 2


def test_the_views_work_on_an_empty_warehouse(tmp_path):
    write_database(build({}).frames, tmp_path, views_sql())
    with duckdb.connect(str(tmp_path / DB_NAME), read_only=True) as empty:
        for view in ("facts", "party_summary", "trade_series", "conflicts"):
            assert empty.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)


def test_every_query_of_the_analysts_page_runs(con):
    page = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", page, flags=re.S)
    assert len(queries) >= 8
    for sql in queries:
        con.execute(sql).fetchall()
