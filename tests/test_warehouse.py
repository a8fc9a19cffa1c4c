"""Atomic publishing: readers keep a consistent view, failed runs lose nothing, runs serialise."""

from __future__ import annotations

import threading

import duckdb
import polars as pl
import pytest

from pipelines.warehouse import DB_NAME, WarehouseBusy, export_parquet, run_lock, write_database


def frames(n: int) -> dict[str, pl.DataFrame]:
    return {
        "documents": pl.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "n_chars": list(range(n))}),
        "evidence": pl.DataFrame(
            {"fact_id": [f"f{i}" for i in range(n)], "doc_id": [f"d{i}" for i in range(n)]}
        ),
    }


def test_an_open_reader_keeps_its_view_and_gets_no_lock_error(tmp_path):
    write_database(frames(2), tmp_path)
    reader = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    assert reader.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    write_database(frames(5), tmp_path)  # publishing while the analyst's connection is open
    # The open connection still sees the complete old warehouse: both tables agree.
    assert reader.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    assert reader.execute("SELECT count(*) FROM evidence").fetchone() == (2,)
    reader.close()
    fresh = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    assert fresh.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    fresh.close()


def test_a_run_that_fails_half_way_leaves_the_previous_warehouse_intact(tmp_path, monkeypatch):
    write_database(frames(3), tmp_path)
    broken = frames(7)
    broken["evidence"] = None  # registering this fails after the first table is written
    with pytest.raises(AttributeError):
        write_database(broken, tmp_path)
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    assert con.execute("SELECT count(*) FROM evidence").fetchone() == (3,)
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_NAME]


def test_parquet_exports_mirror_every_table(tmp_path):
    write_database(frames(4), tmp_path)
    written = export_parquet(tmp_path)
    assert set(written) == {"documents", "evidence"}
    assert pl.read_parquet(written["documents"]).height == 4
    write_database({"documents": frames(1)["documents"]}, tmp_path)
    export_parquet(tmp_path)
    assert not (tmp_path / "exports" / "evidence.parquet").exists()  # a table gone is an export gone


def test_a_second_run_waits_for_the_first_then_fails_clearly(tmp_path):
    entered = threading.Event()
    release = threading.Event()

    def first():
        with run_lock(tmp_path):
            entered.set()
            release.wait(5)

    t = threading.Thread(target=first)
    t.start()
    entered.wait(5)
    with pytest.raises(WarehouseBusy, match="another coop run"), run_lock(tmp_path, wait_seconds=0.3):
        pass
    release.set()
    t.join()
    with run_lock(tmp_path, wait_seconds=1):
        pass


def test_no_document_text_reaches_sql_text(tmp_path):
    hostile = "x'); DROP TABLE documents; --"
    write_database({"documents": pl.DataFrame({"doc_id": ["d"], "text": [hostile]})}, tmp_path)
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    assert con.execute("SELECT text FROM documents").fetchone() == (hostile,)
    con.close()
