"""`coop explain FACT_ID`: the fact and each passage with document, offsets and context."""

from __future__ import annotations

import polars as pl
import pytest
from fusion_corpus import EN, RU, publish

from pipelines.cli import main
from pipelines.explain import explain, in_context
from pipelines.warehouse import DB_NAME


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("warehouse")
    tables = publish(folder)
    return folder, tables


def test_explain_prints_the_fact_and_each_passage_in_its_context(warehouse):
    folder, tables = warehouse
    fid = tables.frames["agreements"].filter(pl.col("a_name") == "Vitebsk Oblast")["fact_id"][0]
    out = explain(folder / DB_NAME, fid, context_chars=40)
    assert out.startswith(f"agreements {fid}  (2 documents, 2 statements)")
    assert "a: Vitebsk Oblast (region, BY, BY-VI) place BY-VI" in out and "month: 5" in out
    start = EN.text.index("signed a cooperation agreement in May 2019")
    assert f"- {EN.name} [{start}:{start + 42}] rule test.rule" in out
    assert "Vitebsk region and the Pskov region [[signed a cooperation agreement in May 2019]], the" in out
    assert f"- {RU.name} [" in out and "[[В 2019 году Витебская область подписала" in out


def test_explain_lists_the_conflicts_of_the_fact_with_the_other_passage(warehouse, capsys):
    folder, tables = warehouse
    flows = tables.frames["trade_flows"].filter(pl.col("value") == 1.2e9)
    fid = flows["fact_id"][0]
    assert main(["explain", fid[:8], "--warehouse", str(folder)]) == 0  # a unique prefix is enough
    out = capsys.readouterr().out
    assert "conflicts (1):" in out
    assert "value: 1,200,000,000 USD here, 1,500,000,000 USD in" in out
    assert "[[Товарооборот Беларуси с Брянской областью в 2021 году составил 1,5 млрд долларов]]" in out


def test_unknown_or_ambiguous_ids_are_reported_and_exit_non_zero(warehouse, capsys):
    folder, _ = warehouse
    assert main(["explain", "ag_0000", "--warehouse", str(folder)]) == 1
    assert "coop: no fact ag_0000" in capsys.readouterr().out
    assert main(["explain", "tr_", "--warehouse", str(folder)]) == 1
    assert "the prefix matches 5 facts" in capsys.readouterr().out
    assert main(["explain", "tr_", "--warehouse", str(folder / "missing")]) == 1


def test_context_is_whole_words_with_ellipses_where_the_text_goes_on():
    assert in_context("ion between Belarus and ", "Russia", " signed a trea", False, False) == (
        "…between Belarus and [[Russia]] signed a…"
    )
    assert in_context("Minsk, 5 May. ", "Q", ".", True, True) == "Minsk, 5 May. [[Q]]."
