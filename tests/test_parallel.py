"""The per-document layers on several worker processes give what one process gives."""

from __future__ import annotations

import os
import time

from pipelines import runner
from pipelines.bench_corpus import generate_document
from pipelines.parallel import MIN_ITEMS, map_in_order, worker_count
from pipelines.runner import EXTRACT, INGEST, Paths


def _square(x: int) -> int:
    return x * x


def _pid(_: int) -> int:
    time.sleep(0.005)  # long enough that one worker cannot take every task
    return os.getpid()


def test_map_in_order_keeps_the_order_on_several_processes():
    items = list(range(200))
    assert list(map_in_order(_square, items, workers=2)) == [x * x for x in items]
    assert len(set(map_in_order(_pid, items, workers=2))) == 2  # really two workers


def test_worker_count_follows_coop_workers_and_small_inputs(monkeypatch):
    monkeypatch.setenv("COOP_WORKERS", "3")
    assert worker_count(1000) == 3
    assert worker_count(MIN_ITEMS - 1) == 1  # a pool costs more than it saves
    monkeypatch.setenv("COOP_WORKERS", "1")
    assert worker_count(1000) == 1


def _corpus(tmp_path, n: int) -> Paths:
    raw = tmp_path / "raw"
    raw.mkdir(parents=True)
    for i in range(n):
        name, text, _ = generate_document(i)
        (raw / name).write_text(text, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")  # a rejection travels back from a worker too
    return Paths(raw, tmp_path / "warehouse")


def _staged(paths: Paths) -> dict[str, str]:
    root = paths.warehouse_dir / "staging"
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*.json")}


def test_layers_on_two_workers_stage_what_one_process_stages(tmp_path, monkeypatch):
    n = MIN_ITEMS + 6
    serial, pooled = _corpus(tmp_path / "a", n), _corpus(tmp_path / "b", n)
    monkeypatch.setenv("COOP_WORKERS", "1")
    one = (runner.ingest(serial), runner.extract(serial))
    monkeypatch.setenv("COOP_WORKERS", "2")
    two = (runner.ingest(pooled), runner.extract(pooled))
    assert _staged(serial) == _staged(pooled)
    assert len(_staged(pooled)) == 2 * (n + 1)  # both layers, every document
    for a, b in zip(one, two, strict=True):
        assert a.rows == b.rows and a.facts == b.facts and a.unresolved_places == b.unresolved_places
    assert sum(two[1].facts.values()) > n  # a real corpus: facts found
    assert one[0].rejected == two[0].rejected == 1
    assert {INGEST, EXTRACT} == {p.name for p in (pooled.warehouse_dir / "staging").iterdir()}
