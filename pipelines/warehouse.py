"""Publishing: the tables into ``cooperation.duckdb`` atomically, and the Parquet exports.

The DuckDB file is built under a temporary name in the same folder and renamed over the old
one only when complete, so a run that dies half-way leaves the previous warehouse intact, and
an analyst who holds the old file open read-only keeps a consistent view (the old inode) and
never meets a lock. An exclusive lock file serialises concurrent runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

DB_NAME = "cooperation.duckdb"
EXPORTS = "exports"
CONTRACT_TABLES = (
    "documents",
    "agreements",
    "visits",
    "trade_flows",
    "twinnings",
    "evidence",
    "rejections",
    "places",
)


class WarehouseBusy(RuntimeError):
    pass


@contextlib.contextmanager
def run_lock(warehouse_dir: Path, wait_seconds: float = 600.0) -> Iterator[None]:
    """One publisher at a time: a second run waits for the first (up to ``wait_seconds``), then fails clearly."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    with open(warehouse_dir / ".coop.lock", "w") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        f"another coop run holds {warehouse_dir / '.coop.lock'} for over {wait_seconds:.0f}s"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_database(frames: dict[str, pl.DataFrame], warehouse_dir: Path, views_sql: str = "") -> Path:
    """Write every frame as a table of a new DuckDB file, then swap it in atomically."""
    warehouse_dir = Path(warehouse_dir)
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    final = warehouse_dir / DB_NAME
    tmp = warehouse_dir / f".{DB_NAME}.tmp-{os.getpid()}"
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name, frame in frames.items():
            con.register("_frame", frame.to_arrow())
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")
        if views_sql:
            con.execute(views_sql)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, final)
    return final


def export_parquet(warehouse_dir: Path, tables: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Every table of the published warehouse as ``exports/<table>.parquet`` (zstd), each file
    replaced atomically. Reads the DuckDB file read-only, so it never blocks an analyst."""
    warehouse_dir = Path(warehouse_dir)
    out_dir = warehouse_dir / EXPORTS
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse_dir / DB_NAME), read_only=True)
    written = {}
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='main' AND table_type='BASE TABLE'"
            ).fetchall()
        ]
        for name in names:
            if tables and name not in tables:
                continue
            target = out_dir / f"{name}.parquet"
            tmp = out_dir / f".{name}.parquet.tmp-{os.getpid()}"
            con.execute(f"COPY \"{name}\" TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
            os.replace(tmp, target)
            written[name] = target
    finally:
        con.close()
    for stale in out_dir.glob("*.parquet"):
        if stale.stem not in names:
            stale.unlink()
    return written
