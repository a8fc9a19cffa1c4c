"""The Dagster code location loads, and `coop run` materialises every asset end to end."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb
import polars as pl

from pipelines.cli import main as coop
from pipelines.definitions import defs
from pipelines.sensors import diff_folder
from pipelines.warehouse import CONTRACT_TABLES
from tests.conftest import RAW


def test_definitions_load_with_one_group_per_layer():
    repo = defs.get_repository_def()
    graph = repo.asset_graph
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw_documents"] == "ingest"
    assert groups["candidate_facts"] == "extract"
    assert groups["parquet_exports"] == "exports"
    assert all(groups[t] == "warehouse" for t in CONTRACT_TABLES)
    checks = {k.name for k in graph.asset_check_keys if k.asset_key == dg.AssetKey("trade_flows")}
    assert {"value_positive", "currency_iso", "evidence_quote_matches"} <= checks
    assert {j.name for j in repo.get_all_jobs()} >= {"documents_job", "publish_job"}
    assert {s.name for s in repo.sensor_defs} == {"raw_folder_sensor", "publish_after_documents"}


def test_sensor_diff_sees_new_changed_and_removed_files():
    assert diff_folder({"a": "1", "b": "2"}, {"b": "3", "c": "4"}) == (["c"], ["b"], ["a"])


def test_coop_run_materialises_every_table_and_export(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("001_e2f942cc9c2fafbe.txt", "002_3cbcf51496c0db5d.txt"):
        shutil.copy(RAW / name, raw / name)
    (raw / "empty.txt").write_bytes(b"")
    wh = tmp_path / "wh"
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert coop(["run", "--raw", str(raw), "--warehouse", str(wh)]) == 0
    out = capsys.readouterr().out
    assert "documents read: 2" in out and "make dev" in out
    con = duckdb.connect(str(wh / "cooperation.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(CONTRACT_TABLES) <= tables
    assert con.execute("SELECT count(*) FROM rejections WHERE doc_name = 'empty.txt'").fetchone() == (1,)
    bad = con.execute(
        "SELECT count(*) FROM evidence e JOIN documents d USING (doc_id) "
        "WHERE substr(d.text, e.char_start + 1, e.char_end - e.char_start) <> e.quote"
    ).fetchone()
    assert bad == (0,)
    con.close()
    for table in CONTRACT_TABLES:
        assert pl.read_parquet(wh / "exports" / f"{table}.parquet") is not None
    # The run is recorded in the Dagster instance beside the warehouse, one partition per document.
    instance = dg.DagsterInstance.get()
    assert sorted(instance.get_dynamic_partitions("documents")) == sorted(p.name for p in raw.iterdir())
    # Every asset reports its row count, column schema and a Markdown preview.
    for key in ("raw_documents", "candidate_facts", *CONTRACT_TABLES, "parquet_exports"):
        event = instance.get_latest_materialization_event(dg.AssetKey(key))
        metadata = event.asset_materialization.metadata
        assert {"dagster/row_count", "dagster/column_schema", "preview"} <= set(metadata), key
    # Removing a document removes its partition and its rows on the next run.
    (raw / "002_3cbcf51496c0db5d.txt").unlink()
    assert coop(["run", "--raw", str(raw), "--warehouse", str(wh)]) == 0
    con = duckdb.connect(str(wh / "cooperation.duckdb"), read_only=True)
    assert con.execute("SELECT list(doc_name) FROM documents").fetchone() == (["001_e2f942cc9c2fafbe.txt"],)
    con.close()
    assert "002_3cbcf51496c0db5d.txt" not in instance.get_dynamic_partitions("documents")


def test_raw_folder_sensor_requests_only_new_and_changed_documents(tmp_path):
    from pipelines.resources import CoopPaths
    from pipelines.sensors import raw_folder_sensor

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Minsk and Bryansk signed an agreement in 2020.")
    (raw / "b.txt").write_text("Делегация Брянской области посетила Минск.")
    coop_paths = CoopPaths(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    with dg.instance_for_test() as instance:
        ctx = dg.build_sensor_context(instance=instance, resources={"coop": coop_paths})
        first = raw_folder_sensor(ctx)
        assert sorted(r.partition_key for r in first.run_requests) == ["a.txt", "b.txt"]
        assert first.dynamic_partitions_requests[0].partition_keys == ["a.txt", "b.txt"]

        (raw / "b.txt").write_text("Делегация Брянской области посетила Минск в 2024 году.")
        (raw / "c.txt").write_text("Vitebsk and Pskov are twin towns.")
        ctx = dg.build_sensor_context(instance=instance, cursor=ctx.cursor, resources={"coop": coop_paths})
        second = raw_folder_sensor(ctx)
        assert sorted(r.partition_key for r in second.run_requests) == ["b.txt", "c.txt"]  # a.txt untouched

        (raw / "a.txt").unlink()
        ctx = dg.build_sensor_context(instance=instance, cursor=ctx.cursor, resources={"coop": coop_paths})
        third = raw_folder_sensor(ctx)
        assert third.dynamic_partitions_requests[0].partition_keys == ["a.txt"]
        assert [r.job_name for r in third.run_requests] == ["publish_job"]
