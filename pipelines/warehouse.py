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
import re
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
# Published beside them: statements that disagree, and the zones of each document.
PUBLISHED_TABLES = (*CONTRACT_TABLES, "conflicts", "zones")
# Writing a table and exporting it are compression bound, one table at a time: a second thread
# gains no time but buffers a second row group of the documents' texts (about 100 MB more at
# peak on the 100 MB benchmark corpus).
DUCKDB_CONFIG = {"threads": 1}


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
    remove_stale_temporaries(warehouse_dir)
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp), config=DUCKDB_CONFIG)
    try:
        for name, frame in frames.items():
            # Arrow string views are Polars' own layout: handed over without copying the texts.
            con.register("_frame", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
            con.execute(f"CREATE TABLE {sql_identifier(name)} AS SELECT * FROM _frame")
            con.unregister("_frame")
        if views_sql:
            con.execute(views_sql)
        con.execute("CHECKPOINT")
        con.close()
    except BaseException:
        con.close()
        for p in (tmp, Path(f"{tmp}.wal")):  # a failed build leaves the published file untouched
            p.unlink(missing_ok=True)
        raise
    os.replace(tmp, final)
    return final


def export_parquet(warehouse_dir: Path, tables: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Every table of the published warehouse as ``exports/<table>.parquet`` (zstd), each file
    replaced atomically. Reads the DuckDB file read-only, so it never blocks an analyst."""
    warehouse_dir = Path(warehouse_dir)
    out_dir = warehouse_dir / EXPORTS
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)
    # ATTACH from a fresh in-memory database, not duckdb.connect(path): within one process DuckDB
    # hands back the cached instance of a path while any connection to it (an analyst's) is
    # open, which is the file as it was before the swap.
    con = duckdb.connect(config=DUCKDB_CONFIG)
    written = {}
    try:
        con.execute(f"ATTACH {sql_literal(str(warehouse_dir / DB_NAME))} AS published (READ_ONLY)")
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'published' "
                "AND table_schema = 'main' AND table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        for name in names:
            if tables and name not in tables:
                continue
            target = out_dir / f"{name}.parquet"
            tmp = out_dir / f".{name}.parquet.tmp-{os.getpid()}"
            con.execute(
                f"COPY published.main.{sql_identifier(name)} TO {sql_literal(str(tmp))} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            os.replace(tmp, target)
            written[name] = target
    finally:
        con.close()
    for stale in out_dir.glob("*.parquet"):
        if stale.stem not in names:
            stale.unlink()
    return written


def sql_literal(text: str) -> str:
    """A file path as an SQL string literal (ATTACH and COPY take no parameters). Only paths
    of the warehouse folder go through here, never document content."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_TEMPORARY = re.compile(r"^\..+\.tmp-(\d+)(?:\.wal)?$")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the half-written files of runs that were killed (their process is gone)."""
    removed = []
    for p in Path(folder).glob(".*.tmp-*"):
        m = _TEMPORARY.match(p.name)
        if m and not _alive(int(m.group(1))):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
