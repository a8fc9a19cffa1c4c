"""The `coop` console script: `coop run`, `coop resolve`, `coop explain`, `coop dev`, `coop bench`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

NEXT_STEPS = """\
Next:
  make dev           # the asset graph, lineage and checks in Dagster's UI
  duckdb {db}        # SQL, e.g. SELECT * FROM trade_flows
  .venv/bin/python -c "import polars as pl; print(pl.read_parquet('{exports}/trade_flows.parquet'))"
  .venv/bin/coop explain FACT_ID   # a fact and the passages that state it
"""


def _dagster_home(warehouse_dir: Path) -> Path:
    """Runs and materialisations are recorded in a Dagster instance beside the warehouse,
    so `make dev` shows the history of `make run`."""
    home = Path(os.environ.get("DAGSTER_HOME") or (warehouse_dir / ".dagster")).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():  # no telemetry: the machines reach only the package registries
        config.write_text("telemetry:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def materialize_all(raw_dir: Path, warehouse_dir: Path, quiet: bool = True) -> None:
    """Register one partition per raw document, materialise both per-document layers for all of
    them in a single run, then publish the warehouse and its exports."""
    import logging

    import dagster as dg

    from pipelines.definitions import all_assets
    from pipelines.partitions import documents_partitions
    from pipelines.pipeline import list_raw_files
    from pipelines.resources import CoopPaths

    run_config = {"loggers": {"console": {"config": {"log_level": "WARNING" if quiet else "DEBUG"}}}}
    if quiet:
        logging.getLogger("dagster").setLevel(logging.WARNING)
    _dagster_home(warehouse_dir)
    instance = dg.DagsterInstance.get()
    resources = {"coop": CoopPaths(raw_dir=str(raw_dir), warehouse_dir=str(warehouse_dir))}
    names = [f.name for f in list_raw_files(raw_dir)[0]]
    registered = instance.get_dynamic_partitions(documents_partitions.name)
    current, known = set(names), set(registered)
    gone = [n for n in registered if n not in current]
    for name in gone:  # removed from the raw folder since the last run
        instance.delete_dynamic_partition(documents_partitions.name, name)
    new = [n for n in names if n not in known]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)
    keys = instance.get_dynamic_partitions(documents_partitions.name)
    per_document = dg.AssetSelection.groups("ingest", "extract")
    whole = dg.AssetSelection.groups("warehouse", "exports")
    if keys:
        dg.materialize(
            all_assets,
            instance=instance,
            resources=resources,
            selection=per_document,
            run_config=run_config,
            tags={
                "dagster/asset_partition_range_start": keys[0],
                "dagster/asset_partition_range_end": keys[-1],
            },
        )
    dg.materialize(all_assets, instance=instance, resources=resources, selection=whole, run_config=run_config)


def summary(warehouse_dir: Path, seconds: float) -> str:
    import duckdb

    db = warehouse_dir / "cooperation.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    try:
        count = lambda t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: E731
        lines = [
            f"coop: published {db} in {seconds:.1f}s",
            f"  documents read: {count('documents')}   rejections: {count('rejections')}",
        ]
        for t in ("agreements", "visits", "trade_flows", "twinnings"):
            lines.append(f"  {t:<12} {count(t):>5} facts")
        lines.append(f"  evidence     {count('evidence'):>5} passages   places: {count('places')}")
        stages = con.execute(
            "SELECT stage, count(*) FROM rejections GROUP BY stage ORDER BY stage"
        ).fetchall()
        if stages:
            lines.append(
                "  rejections by stage: "
                + ", ".join(f"{s}={n}" for s, n in stages)
                + "  (SELECT * FROM rejections)"
            )
    finally:
        con.close()
    lines.append(NEXT_STEPS.format(db=db, exports=warehouse_dir / "exports"))
    return "\n".join(lines)


def cmd_run(args) -> int:
    from pipelines.runner import Paths

    paths = Paths.from_env(args.raw, args.warehouse)
    if not paths.raw_dir.is_dir():
        print(f"coop: the raw folder {paths.raw_dir} does not exist", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    materialize_all(paths.raw_dir, paths.warehouse_dir, quiet=not args.verbose)
    print(summary(paths.warehouse_dir, time.perf_counter() - t0))
    return 0


def cmd_resolve(args) -> int:
    from pipelines.places.resolver import resolve_json_lines

    text = " ".join(args.text) if args.text else sys.stdin.read()
    for obj in resolve_json_lines(text):
        print(json.dumps(obj, ensure_ascii=False))
    return 0


def cmd_explain(args) -> int:
    from pipelines.explain import explain
    from pipelines.runner import Paths

    paths = Paths.from_env(None, args.warehouse)
    out = explain(paths.warehouse_dir / "cooperation.duckdb", args.fact_id, context_chars=args.context)
    print(out)
    return 0 if not out.startswith("coop: no fact") else 1


def cmd_dev(args) -> int:
    from pipelines.runner import Paths

    paths = Paths.from_env(None, args.warehouse)
    _dagster_home(paths.warehouse_dir)
    rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    dagster = Path(sys.executable).with_name("dagster")  # the venv's, whether or not it is activated
    os.execv(dagster, [str(dagster), "dev", "-m", "pipelines.definitions", *rest])


def cmd_bench(args) -> int:
    from pipelines.bench import main as bench_main

    return bench_main(args)


def main(argv: list[str] | None = None) -> int:
    # Dagster marks backfill policies as beta; that is for us to track, not for every user run.
    warnings.filterwarnings("ignore", message=r".*currently in beta.*")
    parser = argparse.ArgumentParser(prog="coop", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="materialise every asset for every document of the raw folder")
    run.add_argument("--raw", help="raw folder (default: $COOP_RAW_DIR or ./raw)")
    run.add_argument("--warehouse", help="warehouse folder (default: $COOP_WAREHOUSE_DIR or ./warehouse)")
    run.add_argument("-v", "--verbose", action="store_true", help="show Dagster's event log")
    run.set_defaults(func=cmd_run)

    resolve = sub.add_parser("resolve", help="print each place found in TEXT, one JSON object a line")
    resolve.add_argument("text", nargs="*", help="the text (default: standard input)")
    resolve.set_defaults(func=cmd_resolve)

    explain = sub.add_parser("explain", help="print a fact and every passage that states it")
    explain.add_argument("fact_id")
    explain.add_argument("--warehouse", help="warehouse folder (default: $COOP_WAREHOUSE_DIR or ./warehouse)")
    explain.add_argument("--context", type=int, default=80, help="characters of context around each quote")
    explain.set_defaults(func=cmd_explain)

    dev = sub.add_parser("dev", help="dagster dev on the project (the asset graph, lineage, checks)")
    dev.add_argument("--warehouse", help="warehouse folder (default: $COOP_WAREHOUSE_DIR or ./warehouse)")
    dev.add_argument("rest", nargs=argparse.REMAINDER, help="further arguments for dagster dev")
    dev.set_defaults(func=cmd_dev)

    bench = sub.add_parser("bench", help="the benchmark of BENCHMARKS.md")
    bench.add_argument("--sizes", default="1,10,100", help="corpus sizes in MB (default 1,10,100)")
    bench.add_argument("--out", default="BENCHMARKS.md")
    bench.set_defaults(func=cmd_bench)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
