"""`coop bench` (`make bench`): throughput, memory, incremental cost and growth with the corpus.

For each corpus size (``--sizes``, MB = 10^6 bytes of raw files) a synthetic corpus is
generated (``pipelines.bench_corpus``) under ``<warehouse>/bench/<size>mb/`` and measured:

- the pure core (bytes to candidate facts: ``read_raw`` then ``extract_document``; no Dagster,
  no DuckDB, no staging files) in a pool of one process per core. MB/s per core is bytes over
  the CPU seconds the workers spent, which a busy machine does not distort;
- reference points on the same text: one pass of one compiled regular expression (a floor no
  extractor beats) and natasha's NER pipeline over the Russian documents (a real peer);
- full runs, each in a child process into a fresh warehouse (wall and CPU time from the
  parent, peak RSS from ``wait4``): the layers as plain functions (``runner.run_direct``), and
  the real Dagster path (``pipelines.cli.materialize_all``, what ``coop run`` does);
- publishing alone (``runner.publish`` + ``runner.export``) on the materialised warehouse;
- one new document added to the materialised corpus and materialised the way the raw-folder
  sensor does it: its partition, then the publish job.

The run keeps to a time budget (``COOP_BENCH_BUDGET`` seconds, default 560): a step whose cost,
scaled linearly from the previous size, would overrun what is left is skipped and said so; a
child step that overruns is stopped and reported as a lower bound. Figures are reported, never
asserted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pipelines.bench_corpus import Corpus, generate_corpus, generate_document

MB = 1_000_000
CHUNK_DOCS = 32  # documents per task of the worker pool
PROFILE_BYTES = 500_000
ADD_ONE_MAX_MB = 10  # the incremental step is measured up to the size its target names
CORE_SAMPLE_S = 10.0  # seconds of the core on every corpus but the first
SAFETY = 1.15  # a step starts only if its scaled cost, times this, fits in what is left
NOTES_MARK = "<!-- notes: everything below this line is kept when coop bench rewrites the file -->"
# The floor: one compiled expression, one pass over each document's decoded text.
FLOOR_PATTERN = re.compile(
    r"(?i)(?<!\w)(?:agreement|memorand|visit|delegation|twin|trade|turnover|export|"
    r"соглашени|меморандум|визит|делегаци|побратим|товарооборот|экспорт)\w*"
    r"|\d[\d\s.,]*\s?(?:million|billion|млн|млрд)"
)
TARGETS = {
    "core_mb_s": 2.0,  # MB/s per core
    "natasha_ratio": 20.0,
    "growth_ratio": 12.0,  # full run on 100 MB within 12 times the run on 10 MB
    "peak_rss_mb": 2000.0,  # on the 100 MB corpus
    "add_one_share": 0.10,  # one new document on the materialised 10 MB corpus
}
VERSIONS = (
    "dagster",
    "duckdb",
    "polars",
    "pyarrow",
    "pandera",
    "razdel",
    "py3langid",
    "pyinstrument",
    "natasha",
)
# Functions whose time, callees included, the profile reports: the stages of the core.
STAGES = (
    ("pipelines.pipeline", "read_raw"),
    ("pipelines.ingest", "read_document"),
    ("pipelines.ingest", "detect_language"),
    ("pipelines.zones", "find_zones"),
    ("pipelines.segment", "sentence_spans"),
    ("pipelines.document", "document_date"),
    ("pipelines.pipeline", "extract_document"),
    ("pipelines.pipeline", "document_of"),
    ("pipelines.extract.*", "extract"),
    ("pipelines.places.resolver", "scan"),
    ("pipelines.extract.dates", "find_dates"),
)


def _say(line: str) -> None:
    print(f"coop bench: {line}", flush=True)


# ----------------------------------------------------------------------------- the core


@dataclass
class CoreResult:
    workers: int
    n_docs: int = 0
    n_bytes: int = 0
    wall: float = 0.0
    cpu_ingest: float = 0.0
    cpu_extract: float = 0.0
    facts: dict[str, int] = field(default_factory=dict)
    bytes_by_lang: dict[str, int] = field(default_factory=dict)
    cpu_by_lang: dict[str, float] = field(default_factory=dict)
    per_doc: dict[str, float] = field(default_factory=dict)  # document -> CPU seconds
    complete: bool = True  # False when the time cap stopped it

    @property
    def cpu(self) -> float:
        return self.cpu_ingest + self.cpu_extract

    @property
    def mb_s_per_core(self) -> float:
        return self.n_bytes / MB / self.cpu if self.cpu else 0.0

    @property
    def mb_s_wall(self) -> float:
        return self.n_bytes / MB / self.wall if self.wall else 0.0


WARM_UP_DOCS = 40  # enough pages for every extractor to load its rules


def _warm_up() -> None:
    """Load every rule file, gazetteer and model of the core (English and Russian pages)."""
    from pipelines.pipeline import extract_document, read_raw

    for i in range(WARM_UP_DOCS):
        name, text, _ = generate_document(i)
        extract_document(read_raw(name, text.encode("utf-8")))


def _worker_init(barrier) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_up()
    barrier.wait()


def core_chunk(paths: list[str]) -> list[tuple[str, int, str, float, float, dict[str, int]]]:
    """The core over a few documents: per document its name, bytes, language, CPU seconds
    of ingest (``read_raw``) and of extraction (``extract_document``), facts by table."""
    from pipelines.pipeline import extract_document, read_raw

    out = []
    for p in paths:
        path = Path(p)
        data = path.read_bytes()
        t0 = time.process_time()
        staged = read_raw(path.name, data)
        t1 = time.process_time()
        result = extract_document(staged)
        t2 = time.process_time()
        facts: dict[str, int] = {}
        for f in result["facts"]:
            facts[f.table] = facts.get(f.table, 0) + 1
        doc = staged.get("document")
        out.append((path.name, len(data), doc["language"] if doc else "-", t1 - t0, t2 - t1, facts))
    return out


def _noop(_: int) -> None:
    return None


def _files(raw_dir: Path) -> list[Path]:
    return sorted(p for p in Path(raw_dir).iterdir() if p.is_file())


def measure_core(raw_dir: Path, workers: int, time_cap: float | None = None) -> CoreResult:
    """The core over the documents of ``raw_dir`` in name order, on ``workers`` processes
    (0: in this one), warmed up before the clock starts; stops after ``time_cap`` seconds."""
    paths = [str(p) for p in _files(raw_dir)]
    chunks = [paths[i : i + CHUNK_DOCS] for i in range(0, len(paths), CHUNK_DOCS)]
    result = CoreResult(workers=max(1, workers))

    def add(rows) -> None:
        for name, n_bytes, lang, cpu_in, cpu_ex, facts in rows:
            result.n_docs += 1
            result.n_bytes += n_bytes
            result.cpu_ingest += cpu_in
            result.cpu_extract += cpu_ex
            result.per_doc[name] = cpu_in + cpu_ex
            result.bytes_by_lang[lang] = result.bytes_by_lang.get(lang, 0) + n_bytes
            result.cpu_by_lang[lang] = result.cpu_by_lang.get(lang, 0.0) + cpu_in + cpu_ex
            for table, n in facts.items():
                result.facts[table] = result.facts.get(table, 0) + n

    def consume(rows_iter, t0: float) -> None:
        for rows in rows_iter:
            add(rows)
            if time_cap and time.perf_counter() - t0 > time_cap:
                break
        result.wall = time.perf_counter() - t0
        result.complete = result.n_docs == len(paths)

    if workers <= 0:
        _warm_up()
        consume(map(core_chunk, chunks), time.perf_counter())
        return result
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(workers)
    with ctx.Pool(workers, initializer=_worker_init, initargs=(barrier,)) as pool:
        pool.map(_noop, range(workers))  # returns once every worker is warm
        consume(pool.imap(core_chunk, chunks), time.perf_counter())
        pool.terminate()
    return result


# ----------------------------------------------------------------------------- references


@dataclass
class Reference:
    name: str
    n_docs: int = 0
    n_bytes: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    setup: float = 0.0  # loading models, before the clock
    found: int = 0
    names: list[str] = field(default_factory=list)
    complete: bool = True

    @property
    def mb_s_per_core(self) -> float:
        return self.n_bytes / MB / self.cpu if self.cpu else 0.0


def measure_floor(raw_dir: Path, time_cap: float | None = None) -> Reference:
    """One pass of one compiled regular expression over each document (read, decode, scan)."""
    ref = Reference("regex floor")
    paths = _files(raw_dir)
    w0, c0 = time.perf_counter(), time.process_time()
    for p in paths:
        data = p.read_bytes()
        ref.found += len(FLOOR_PATTERN.findall(data.decode("utf-8", errors="replace")))
        ref.n_bytes += len(data)
        ref.n_docs += 1
        if time_cap and time.perf_counter() - w0 > time_cap:
            break
    ref.cpu, ref.wall = time.process_time() - c0, time.perf_counter() - w0
    ref.complete = ref.n_docs == len(paths)
    return ref


def measure_natasha(paths: list[Path], time_cap: float) -> Reference:
    """natasha's segmenter, news embeddings and NER tagger over each document, until the cap."""
    ref = Reference("natasha NER")
    try:
        t0 = time.perf_counter()
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
        from threadpoolctl import threadpool_limits

        segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
        warm = Doc("Губернатор Брянской области посетил Минск.")
        warm.segment(segmenter)
        warm.tag_ner(tagger)
        ref.setup = time.perf_counter() - t0
    except ImportError:  # a dev dependency
        ref.complete = False
        return ref
    # One BLAS thread, as the core runs on one thread: OpenBLAS's second thread gains natasha
    # little wall time on these small matrices and spins, which would count against it per core.
    with threadpool_limits(limits=1):
        w0, c0 = time.perf_counter(), time.process_time()
        for p in paths:
            data = p.read_bytes()
            doc = Doc(data.decode("utf-8", errors="replace"))
            doc.segment(segmenter)
            doc.tag_ner(tagger)
            ref.found += len(doc.spans)
            ref.n_bytes += len(data)
            ref.n_docs += 1
            ref.names.append(p.name)
            if time.perf_counter() - w0 > time_cap:
                break
        ref.cpu, ref.wall = time.process_time() - c0, time.perf_counter() - w0
    ref.complete = ref.n_docs == len(paths)
    return ref


# ----------------------------------------------------------------------------- child processes


@dataclass
class ChildResult:
    what: str
    wall: float = 0.0  # seconds from start to exit, measured by the parent
    cpu: float = 0.0  # user + system seconds of the child
    peak_rss_mb: float = 0.0
    inner: dict = field(default_factory=dict)  # what the child reported
    error: str | None = None
    stopped: bool = False  # stopped at its time limit: the time is a lower bound

    @property
    def ok(self) -> bool:
        return self.error is None


def run_child(
    what: str, raw_dir: Path, warehouse_dir: Path, timeout: float, extra: tuple[str, ...] = ()
) -> ChildResult:
    """``python -m pipelines.bench child WHAT RAW WAREHOUSE OUT [...]`` with the warehouse's
    own Dagster home; its peak RSS and CPU time come from ``wait4``."""
    warehouse_dir.parent.mkdir(parents=True, exist_ok=True)
    out = warehouse_dir.parent / f"{what}.json"
    log = warehouse_dir.parent / f"{what}.log"
    out.unlink(missing_ok=True)
    env = {**os.environ, "DAGSTER_HOME": str((warehouse_dir / ".dagster").resolve())}
    cmd = [
        sys.executable,
        "-m",
        "pipelines.bench",
        "child",
        what,
        str(raw_dir),
        str(warehouse_dir),
        str(out),
        *extra,
    ]
    result = ChildResult(what)
    with open(log, "w") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                result.stopped = True
                result.error = f"stopped at its time limit, {timeout:.0f}s"
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
    result.wall = time.perf_counter() - t0
    result.cpu = usage.ru_utime + usage.ru_stime
    result.peak_rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    if out.exists():
        result.inner = json.loads(out.read_text())
    if proc.returncode and not result.error:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        result.error = f"exit {proc.returncode}: {' | '.join(tail)}"
    return result


def _materialize_new(raw_dir: Path, warehouse_dir: Path, names: list[str]) -> None:
    """What the sensors do for new files (``raw_folder_sensor``, then ``publish_after_documents``):
    the new partitions alone, then the warehouse and its exports."""
    import logging

    import dagster as dg

    from pipelines.cli import _dagster_home
    from pipelines.definitions import all_assets
    from pipelines.partitions import documents_partitions
    from pipelines.resources import CoopPaths

    logging.getLogger("dagster").setLevel(logging.WARNING)
    run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    _dagster_home(warehouse_dir)
    instance = dg.DagsterInstance.get()
    resources = {"coop": CoopPaths(raw_dir=str(raw_dir), warehouse_dir=str(warehouse_dir))}
    instance.add_dynamic_partitions(documents_partitions.name, names)
    for name in names:
        dg.materialize(
            all_assets,
            instance=instance,
            resources=resources,
            selection=dg.AssetSelection.groups("ingest", "extract"),
            partition_key=name,
            run_config=run_config,
        )
    dg.materialize(
        all_assets,
        instance=instance,
        resources=resources,
        selection=dg.AssetSelection.groups("warehouse", "exports"),
        run_config=run_config,
    )


def _table_counts(warehouse_dir: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse_dir / "cooperation.duckdb"), read_only=True)
    try:
        tables = ("documents", "agreements", "visits", "trade_flows", "twinnings", "evidence", "rejections")
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def child_main(argv: list[str]) -> int:
    """One measured step in this process: ``direct``, ``dagster``, ``publish`` or ``add_one``."""
    what, raw_dir, warehouse_dir, out = argv[0], Path(argv[1]), Path(argv[2]), Path(argv[3])
    t0 = time.perf_counter()
    report: dict = {}
    from pipelines.runner import Paths, export, extract, ingest, publish

    paths = Paths(raw_dir, warehouse_dir)
    if what == "direct":
        t1 = time.perf_counter()
        for name, step in (
            ("ingest", ingest),
            ("extract", extract),
            ("publish", publish),
            ("export", export),
        ):
            t = time.perf_counter()
            step(paths)
            report[f"{name}_s"] = time.perf_counter() - t
    elif what == "publish":
        t1 = time.perf_counter()
        publish(paths)
        report["publish_s"] = time.perf_counter() - t1
        export(paths)
    elif what == "dagster":
        from pipelines.cli import materialize_all

        t1 = time.perf_counter()  # materialize_all imports Dagster: on the clock, as in `coop run`
        materialize_all(raw_dir, warehouse_dir)
    elif what == "add_one":
        import dagster  # noqa: F401 - off the clock: a running `dagster dev` has it loaded

        from pipelines.definitions import defs  # noqa: F401

        t1 = time.perf_counter()
        _materialize_new(raw_dir, warehouse_dir, argv[4:])
    else:
        raise SystemExit(f"unknown step {what!r}")
    report.update(import_s=t1 - t0, work_s=time.perf_counter() - t1, tables=_table_counts(warehouse_dir))
    out.write_text(json.dumps(report))
    return 0


# ----------------------------------------------------------------------------- the profile


Shares = list[tuple[str, float]]


@dataclass
class Profile:
    n_bytes: int
    seconds: float
    stages: Shares  # time of each stage, callees included
    modules: Shares  # own time by module (a library counts as one)
    functions: Shares  # own time by function of the project


def profile_core(raw_dir: Path, max_bytes: int) -> Profile | None:
    """pyinstrument over the core on the first documents of ``raw_dir``. Own time of C code
    (a regular expression, a str method) counts to the Python function that called it."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    paths, total = [], 0
    for p in _files(raw_dir):
        paths.append(str(p))
        total += p.stat().st_size
        if total >= max_bytes:
            break
    _warm_up()
    profiler = Profiler(interval=0.001)
    profiler.start()
    core_chunk(paths)
    session = profiler.stop()
    root = session.root_frame()
    if root is None:
        return None
    modules: dict[str, float] = {}
    functions: dict[str, float] = {}
    stages: dict[str, float] = {}

    def walk(frame, parent_module: str, parent_function: str, open_stages: frozenset) -> None:
        path = frame.file_path or ""
        if path.startswith("<") or not path:
            module, function = parent_module, parent_function
        else:
            module = _module(path)
            function = f"{module}.{frame.function}" if module.startswith("pipelines") else module
        modules[module] = modules.get(module, 0.0) + frame.total_self_time
        functions[function] = functions.get(function, 0.0) + frame.total_self_time
        stage = _stage(module, frame.function)
        if stage and stage not in open_stages:  # a stage inside itself counts once
            stages[stage] = stages.get(stage, 0.0) + frame.time
            open_stages = open_stages | {stage}
        for child in frame.children:
            if not child.is_synthetic:
                walk(child, module, function, open_stages)

    walk(root, "other", "other", frozenset())
    whole = sum(modules.values()) or 1.0

    def share(d: dict[str, float]) -> Shares:
        return sorted(((k, t / whole) for k, t in d.items()), key=lambda x: -x[1])

    order = {f"{m}.{f}": i for i, (m, f) in enumerate(STAGES)}
    stage_shares = sorted(
        share(stages), key=lambda x: (order.get(x[0], order["pipelines.extract.*.extract"]), -x[1])
    )
    return Profile(total, whole, stage_shares, share(modules), share(functions))


def _module(path: str) -> str:
    path = path.replace("\\", "/")
    if "/pipelines/" in path:
        return "pipelines." + path.rsplit("/pipelines/", 1)[1].removesuffix(".py").replace("/", ".")
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    return Path(path).stem


def _stage(module: str, function: str) -> str | None:
    for m, f in STAGES:
        if function == f and (module == m or (m.endswith(".*") and module.startswith(m[:-1]))):
            return f"{module}.{function}"
    return None


# ----------------------------------------------------------------------------- the run


@dataclass
class SizeResult:
    size_mb: float
    corpus: Corpus
    generate_s: float
    core: CoreResult | None = None
    floor: Reference | None = None
    direct: ChildResult | None = None
    publish: ChildResult | None = None
    add_one: ChildResult | None = None
    dagster: ChildResult | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Bench:
    budget: float = 560.0
    workers: int = 1
    started: float = field(default_factory=time.perf_counter)
    sizes: list[SizeResult] = field(default_factory=list)
    natasha: Reference | None = None
    natasha_core_cpu: float | None = None  # CPU seconds of the core on natasha's documents, alone
    natasha_pool_cpu: float | None = None  # ... and in the worker pool of the throughput run
    profile: Profile | None = None

    def left(self) -> float:
        return self.budget - (time.perf_counter() - self.started)


def _scaled(bench: Bench, size: SizeResult, pick) -> float | None:
    """A step's cost on ``size``: a straight line through its cost on the two largest smaller
    corpora (fixed costs and cost per byte), or, with one, in proportion to the bytes."""
    known = [
        (s.corpus.n_bytes, value) for s in bench.sizes if s.size_mb < size.size_mb and (value := pick(s))
    ]
    if not known:
        return None
    (b2, t2), n = known[-1], size.corpus.n_bytes
    if len(known) > 1 and known[-2][0] < b2 and known[-2][1] < t2:
        b1, t1 = known[-2]
        return t2 + (t2 - t1) / (b2 - b1) * (n - b2)
    return t2 * n / max(1, b2)


def _step(bench: Bench, size: SizeResult, name: str, pick, run_it, reserve: float = 8.0):
    """Run a child step unless its scaled cost overruns the budget or ``COOP_BENCH_SKIP`` names
    it (``direct``, ``publish``, ``add_one``, ``dagster``); note what was skipped."""
    if _step_key(name) in os.environ.get("COOP_BENCH_SKIP", "").replace(",", " ").split():
        size.notes.append(f"{name} not run (COOP_BENCH_SKIP)")
        return None
    est = _scaled(bench, size, pick)
    if bench.left() < reserve + 10 or (est is not None and est * SAFETY > bench.left() - reserve):
        why = f"about {est:.0f}s scaled from the smaller corpus" if est else "no time left"
        size.notes.append(f"{name} not run: {why}, over the time budget")
        return None
    return run_it(max(10.0, bench.left() - reserve))


def _step_key(name: str) -> str:
    return {"full run (direct)": "direct", "publish + export": "publish", "one new document": "add_one"}.get(
        name, "dagster"
    )


def run(
    sizes_mb: list[float], out: Path, bench_dir: Path, workers: int | None = None, budget: float = 560.0
) -> Bench:
    bench = Bench(budget=budget, workers=workers if workers is not None else (os.cpu_count() or 1))
    for size_mb in sorted(sizes_mb):
        root = bench_dir / f"{size_mb:g}mb"
        t0 = time.perf_counter()
        corpus = generate_corpus(root, int(size_mb * MB))
        size = SizeResult(size_mb, corpus, time.perf_counter() - t0)
        bench.sizes.append(size)
        how = "generated" if corpus.generated else "kept from an earlier run"
        _say(f"{size_mb:g} MB: {corpus.n_docs} documents, {how} ({size.generate_s:.1f}s)")
        _measure_throughput(bench, size)
        if bench.natasha is None:
            _measure_natasha(bench, size)
        if bench.profile is None:
            bench.profile = profile_core(corpus.raw_dir, PROFILE_BYTES)
            _say(f"  profiled the core on {PROFILE_BYTES / MB:.1f} MB")
        _measure_runs(bench, size)
        if size is bench.sizes[0]:  # one measured Dagster run, before the large corpora use the time
            _measure_dagster(bench, size)
    for size in bench.sizes[1:]:
        _measure_dagster(bench, size)
    write_report(bench, out)
    return bench


def _measure_throughput(bench: Bench, size: SizeResult) -> None:
    est = _scaled(bench, size, lambda s: s.core.wall if s.core and s.core.complete else None)
    # The rate per core does not depend on the corpus size: past the first corpus a sample
    # leaves the time for the full runs, whose growth with the corpus the large ones are for.
    cap = max(10.0, bench.left() * 0.2) if size is bench.sizes[0] else CORE_SAMPLE_S
    size.core = measure_core(size.corpus.raw_dir, bench.workers, time_cap=cap)
    c = size.core
    if not c.complete:
        size.notes.append(
            f"core measured on its first {c.n_docs:,} documents ({c.n_bytes / MB:.1f} MB, time cap {cap:.0f}s"
            + (f"; the whole corpus would take about {est:.0f}s)" if est else ")")
        )
    _say(f"  core: {c.mb_s_per_core:.2f} MB/s per core, {c.mb_s_wall:.2f} MB/s on {bench.workers} processes")
    size.floor = measure_floor(size.corpus.raw_dir, time_cap=max(5.0, bench.left() * 0.02))


def _measure_natasha(bench: Bench, size: SizeResult) -> None:
    russian = [p for p in _files(size.corpus.raw_dir) if "_ru" in p.name and p.name in size.core.per_doc]
    bench.natasha = measure_natasha(russian, time_cap=min(30.0, max(10.0, bench.left() * 0.05)))
    done = set(bench.natasha.names)
    bench.natasha_pool_cpu = sum(t for n, t in size.core.per_doc.items() if n in done)
    if done:
        # The peer runs in this process with nothing beside it; the core is timed the same way,
        # on the same pages, so that the ratio compares the two programs and not their settings.
        bench.natasha_core_cpu = measure_core_alone([p for p in russian if p.name in done])
    _say(f"  natasha: {bench.natasha.mb_s_per_core:.3f} MB/s per core on {bench.natasha.n_bytes / MB:.2f} MB")


def measure_core_alone(paths: list[Path]) -> float:
    """CPU seconds of the core over ``paths`` in this process, warmed up first."""
    _warm_up()
    return sum(cpu_in + cpu_ex for _, _, _, cpu_in, cpu_ex, _ in core_chunk([str(p) for p in paths]))


def _measure_runs(bench: Bench, size: SizeResult) -> None:
    corpus = size.corpus
    direct_wh = corpus.root / "warehouse"

    def direct(timeout: float) -> ChildResult:
        shutil.rmtree(direct_wh, ignore_errors=True)
        return run_child("direct", corpus.raw_dir, direct_wh, timeout)

    size.direct = _step(
        bench, size, "full run (direct)", lambda s: s.direct and s.direct.ok and s.direct.wall, direct
    )
    if size.direct:
        _say(f"  full run, direct: {_child_line(size.direct)}")
    if not (size.direct and size.direct.ok):
        return
    size.publish = _step(
        bench,
        size,
        "publish + export",
        lambda s: s.publish and s.publish.ok and s.publish.wall,
        lambda timeout: run_child("publish", corpus.raw_dir, direct_wh, timeout),
    )
    if size.publish:
        _say(f"  publish + export: {_child_line(size.publish)}")

    def add_one(timeout: float) -> ChildResult:
        name, text, _ = generate_document(corpus.n_docs)  # the next page of the same corpus
        new = corpus.raw_dir / name
        new.write_text(text, encoding="utf-8")
        try:
            return run_child("add_one", corpus.raw_dir, direct_wh, timeout, (name,))
        finally:
            new.unlink(missing_ok=True)

    if size.size_mb > ADD_ONE_MAX_MB:
        size.notes.append(f"one new document not run: the target is about {ADD_ONE_MAX_MB} MB")
        return
    size.add_one = _step(bench, size, "one new document", lambda s: None, add_one)
    if size.add_one:
        _say(f"  one new document: {_child_line(size.add_one)}")


def _measure_dagster(bench: Bench, size: SizeResult) -> None:
    """The Dagster full run, last: the slowest step, and the one the targets need least."""
    corpus, warehouse = size.corpus, size.corpus.root / "warehouse-dagster"

    def dagster(timeout: float) -> ChildResult:
        shutil.rmtree(warehouse, ignore_errors=True)
        return run_child("dagster", corpus.raw_dir, warehouse, timeout)

    size.dagster = _step(
        bench, size, "full run (Dagster)", lambda s: s.dagster and s.dagster.ok and s.dagster.wall, dagster
    )
    if size.dagster:
        _say(f"{size.size_mb:g} MB, full run through Dagster: {_child_line(size.dagster)}")
    shutil.rmtree(warehouse / ".dagster", ignore_errors=True)  # the run history of thousands of partitions


def _child_line(c: ChildResult) -> str:
    return f"{c.wall:.1f}s wall, {c.cpu:.1f}s CPU, peak {c.peak_rss_mb:,.0f} MB" + (
        f" ({c.error})" if c.error else ""
    )


# ----------------------------------------------------------------------------- the report


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def machine() -> dict[str, str]:
    mem, cpu = "?", platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    with contextlib.suppress(OSError):
        cpu = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")
            ),
            cpu,
        )
    versions = []
    for pkg in ("coop", *VERSIONS):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{pkg} {metadata.version(pkg)}")
    return {
        "cores": str(os.cpu_count()),
        "memory": mem,
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "versions": ", ".join(versions),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?",
    }


def _full(size: SizeResult | None) -> tuple[ChildResult | None, str]:
    """The full run a target compares with: Dagster's where it completed, else the direct one."""
    if size is None:
        return None, ""
    if size.dagster and size.dagster.ok:
        return size.dagster, "Dagster"
    if size.direct and size.direct.ok:
        return size.direct, "direct"
    return None, ""


def _dagster_full(bench: Bench, size: SizeResult) -> tuple[float | None, str]:
    """The Dagster full run's wall time on ``size``: measured, or scaled from smaller corpora
    (then the second value says so). A run stopped at its time limit counts as a lower bound,
    which can only make the share of an incremental run look larger than it is."""
    if size.dagster and size.dagster.ok:
        return size.dagster.wall, ""
    if size.dagster and size.dagster.stopped:
        return size.dagster.wall, ", a lower bound: stopped at its time limit"
    est = _scaled(bench, size, lambda s: s.dagster and (s.dagster.ok or s.dagster.stopped) and s.dagster.wall)
    if est is None:
        return None, ""
    stopped = any(s.dagster and s.dagster.stopped for s in bench.sizes if s.size_mb < size.size_mb)
    return (
        est,
        ", scaled from a lower bound on a smaller corpus" if stopped else ", scaled from a smaller corpus",
    )


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def target_rows(bench: Bench) -> list[tuple[str, str, str]]:
    rows = []
    cores = [s for s in bench.sizes if s.core and s.core.cpu]
    if cores:
        slowest = min(cores, key=lambda s: s.core.mb_s_per_core)
        rate = slowest.core.mb_s_per_core
        rows.append(
            (
                "extraction core ≥ 2 MB/s per core",
                f"{rate:.2f} MB/s per core (slowest corpus, {slowest.size_mb:g} MB)",
                _met(rate >= TARGETS["core_mb_s"]),
            )
        )
    n = bench.natasha
    if n and n.cpu and bench.natasha_core_cpu:
        ratio = (n.n_bytes / bench.natasha_core_cpu) / (n.n_bytes / n.cpu)
        rows.append(
            (
                "≥ 20 × natasha's throughput on Russian text",
                f"{ratio:.1f} ×",
                _met(ratio >= TARGETS["natasha_ratio"]),
            )
        )
    by_size = {s.size_mb: s for s in bench.sizes}
    ten, hundred = by_size.get(10), by_size.get(100)
    label = "full run on 100 MB ≤ 12 × the run on 10 MB"
    pairs = [
        (kind, a, b)
        for kind, a, b in (
            ("Dagster", ten and ten.dagster, hundred and hundred.dagster),
            ("direct", ten and ten.direct, hundred and hundred.direct),
        )
        if a and b and a.ok and b.ok
    ]
    if pairs:
        kind, a, b = pairs[0]
        rows.append(
            (
                label,
                f"{b.wall / a.wall:.1f} × ({kind}: {b.wall:.0f}s / {a.wall:.0f}s)",
                _met(b.wall / a.wall <= TARGETS["growth_ratio"]),
            )
        )
    elif ten or hundred:
        rows.append((label, "not measured within the time budget (see the notes by size)", "–"))
    label = "peak memory < 2 GB on the 100 MB corpus"
    runs = [r for r in (hundred and hundred.direct, hundred and hundred.dagster) if r and r.ok]
    if runs:
        peak = max(r.peak_rss_mb for r in runs)
        rows.append((label, f"{peak:,.0f} MB", _met(peak < TARGETS["peak_rss_mb"])))
    else:
        measured = [(s, r) for s in bench.sizes for r in (s.direct, s.dagster) if r and r.ok]
        if measured:
            s, r = max(measured, key=lambda x: (x[0].size_mb, x[1].peak_rss_mb))
            rows.append((label, f"100 MB not measured; {r.peak_rss_mb:,.0f} MB on {s.size_mb:g} MB", "–"))
    ref = ten if ten and ten.add_one and ten.add_one.ok else None
    ref = ref or next((s for s in reversed(bench.sizes) if s.add_one and s.add_one.ok), None)
    if ref:
        add = ref.add_one.wall
        where = "" if ref is ten else f" (measured on {ref.size_mb:g} MB)"
        dagster, scaled = _dagster_full(bench, ref)
        parts, verdict = [], "–"
        if dagster:
            parts.append(
                f"{add / dagster * 100:.1f} % of the Dagster full run ({add:.1f}s of {dagster:.0f}s{scaled})"
            )
            verdict = _met(add / dagster <= TARGETS["add_one_share"]) + (
                " (against an estimate)" if scaled else ""
            )
        if ref.direct and ref.direct.ok:
            parts.append(
                f"{add / ref.direct.wall * 100:.1f} % of the direct full run ({ref.direct.wall:.1f}s)"
            )
        rows.append(
            (
                f"one new document on the materialised 10 MB corpus ≤ 10 % of the full run{where}",
                "; ".join(parts),
                verdict,
            )
        )
    return rows


def render(bench: Bench) -> str:
    m = machine()
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`coop bench`) on {dt.date.today().isoformat()}; how it measures: "
        'the README, section "Benchmark". MB = 10^6 bytes of raw files. Measured in one run on this '
        "machine, never asserted in a test.",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, Python {m['python']}, {m['system']}; "
        f"load average at the end of the run: {m['load']}.  ",
        f"Versions: {m['versions']}.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in target_rows(bench)],
        "",
        "## Throughput",
        "",
        f"Core: bytes to candidate facts (`read_raw` + `extract_document`) on {bench.workers} worker "
        "processes; MB/s per core = bytes / the workers' CPU seconds; wall = bytes / elapsed time. Floor: "
        "one compiled regular expression, one pass over each decoded document. Facts: candidate facts "
        "the core found, and in brackets the gold facts of the seed paragraphs the corpus was made "
        "from (a sanity figure, not a score).",
        "",
        "| corpus | documents | ru / en MB | core MB/s per core | core MB/s wall | ingest / extract CPU | "
        "regex floor MB/s | core / floor | candidate facts (expected) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in bench.sizes:
        c, f, bl = s.core, s.floor, s.corpus.bytes_by_lang
        split = (
            f"{c.cpu_ingest / c.cpu * 100:.0f} % / {c.cpu_extract / c.cpu * 100:.0f} %"
            if c and c.cpu
            else "–"
        )
        facts = "–"
        if c:
            facts = f"{sum(c.facts.values()):,}" + (
                f" ({s.corpus.expected_facts:,})" if c.complete else " (sample)"
            )
        lines.append(
            f"| {s.size_mb:g} MB | {s.corpus.n_docs:,} | {bl.get('ru', 0) / MB:.1f} / {bl.get('en', 0) / MB:.1f} "
            f"| {_fmt(c and c.mb_s_per_core, 2)}{'' if not c or c.complete else ' (sample)'} | {_fmt(c and c.mb_s_wall, 2)} "
            f"| {split} | {_fmt(f and f.mb_s_per_core)} "
            f"| {_fmt(c.mb_s_per_core / f.mb_s_per_core if c and f and f.cpu else None, 3)} | {facts} |"
        )
    n = bench.natasha
    if n and n.cpu and bench.natasha_core_cpu:
        core_rate = n.n_bytes / MB / bench.natasha_core_cpu
        pool_rate = n.n_bytes / MB / bench.natasha_pool_cpu if bench.natasha_pool_cpu else None
        first = bench.sizes[0]
        lines += [
            "",
            f"Russian text against natasha (`Segmenter`, `NewsEmbedding`, `NewsNERTagger`; models loaded before "
            f"the clock in {n.setup:.1f}s) on the Russian documents of the {first.size_mb:g} MB corpus"
            f"{'' if n.complete else ' it reached within its time cap'}. The core of coop is timed on the same "
            "documents the same way, right after natasha: in one process, warmed up, nothing else running. "
            "The ratio compares these two; the last column is the core's rate on the same documents in the "
            "worker pool above, where the two workers slow each other down:",
            "",
            "| documents | MB | natasha MB/s per core | coop core MB/s per core | coop / natasha | coop core in the pool |",
            "|---|---|---|---|---|---|",
            f"| {n.n_docs:,} | {n.n_bytes / MB:.2f} | {n.mb_s_per_core:.3f} | {core_rate:.2f} "
            f"| {core_rate / n.mb_s_per_core:.1f} × | {_fmt(pool_rate, 2)} |",
        ]
    elif n is not None:
        lines += ["", "natasha is not installed (a dev dependency): no comparison on Russian text."]
    lines += [
        "",
        "## Full runs, publishing, one new document",
        "",
        "Each step in a child process: wall seconds (CPU seconds of the child and its workers) and the "
        "peak resident memory of the largest process. Direct: `runner.run_direct` (ingest, extract, "
        "publish, export as plain functions; the per-document layers on one worker process per core) "
        "into a fresh warehouse. Dagster: `materialize_all`, what `coop run` does (every partition "
        "registered, both per-document layers in one run, then the warehouse and exports) into a fresh "
        "warehouse and Dagster instance. Publish: `runner.publish` + `runner.export` alone on the "
        "materialised corpus. +1 document: one new file materialised as the sensors do it (its partition, "
        "then the publish job) on the materialised corpus, Dagster loaded before the clock.",
        "",
        "| corpus | direct s | direct peak MB | Dagster s | Dagster peak MB | publish + export s | publish peak MB "
        "| +1 document s | +1 / full run |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in bench.sizes:
        full, kind = _full(s)
        add = s.add_one
        share = f"{add.wall / full.wall * 100:.1f} % of {kind}" if add and add.ok and full else "–"
        lines.append(
            f"| {s.size_mb:g} MB | {_time(s.direct)} | {_peak(s.direct)} | {_time(s.dagster)} | {_peak(s.dagster)} "
            f"| {_time(s.publish)} | {_peak(s.publish)} | {_time(add)} | {share} |"
        )
    lines += ["", "Notes by size:", ""]
    for s in bench.sizes:
        lines.append(f"- {s.size_mb:g} MB: " + "; ".join(_size_notes(s)) + ".")
    p = bench.profile
    if p:
        lines += [
            "",
            "## Profile of the core",
            "",
            f"pyinstrument over the core on the first {p.n_bytes / MB:.1f} MB of the {bench.sizes[0].size_mb:g} MB "
            f"corpus ({p.seconds:.1f}s sampled). Stages: time with callees (a stage inside another counts in "
            "both). Modules and functions: own time; C code (a regular expression, a str method) counts to "
            "the Python function calling it.",
            "",
            "| stage | share |",
            "|---|---|",
            *[f"| `{k}` | {v * 100:.1f} % |" for k, v in p.stages],
            "",
            "| module (a library counts as one) | own time | | function of the project | own time |",
            "|---|---|---|---|---|",
        ]
        mods = p.modules[:15]
        funcs = [f for f in p.functions if f[0].startswith("pipelines")][:15]
        for i in range(max(len(mods), len(funcs))):
            a = f"`{mods[i][0]}` | {mods[i][1] * 100:.1f} %" if i < len(mods) else " | "
            b = f"`{funcs[i][0]}` | {funcs[i][1] * 100:.1f} %" if i < len(funcs) else " | "
            lines.append(f"| {a} | | {b} |")
    return "\n".join(lines) + "\n"


def _time(c: ChildResult | None) -> str:
    if c is None:
        return "–"
    if c.stopped:
        return f"> {c.wall:,.0f} (stopped)"
    return f"{c.wall:,.1f} ({c.cpu:,.1f})" if c.ok else "failed"


def _peak(c: ChildResult | None) -> str:
    return f"{c.peak_rss_mb:,.0f}" if c and (c.ok or c.stopped) else "–"


def _size_notes(s: SizeResult) -> list[str]:
    out = []
    c = s.core
    if c and c.cpu:
        langs = ", ".join(
            f"{lang} {c.bytes_by_lang[lang] / MB / c.cpu_by_lang[lang]:.2f}"
            for lang in sorted(c.bytes_by_lang)
            if c.cpu_by_lang.get(lang)
        )
        out.append(f"core MB/s per core by language: {langs}")
        out.append(
            "candidate facts: " + (", ".join(f"{t} {n:,}" for t, n in sorted(c.facts.items())) or "none")
        )
    if s.direct and s.direct.ok:
        i = s.direct.inner
        layers = ", ".join(
            f"{k} {i.get(f'{k}_s', 0):.1f}s" for k in ("ingest", "extract", "publish", "export")
        )
        out.append(f"direct run by layer: {layers}")
        out.append(f"warehouse rows {i.get('tables', {})}")
    if s.add_one and s.add_one.ok:
        i = s.add_one.inner
        out.append(
            f"+1 document: {i.get('import_s', 0):.1f}s loading Dagster off the clock, then {i.get('work_s', 0):.1f}s"
        )
    for step in (s.direct, s.publish, s.add_one, s.dagster):
        if step and step.error:
            out.append(f"{step.what}: {step.error}")
    out += s.notes
    out.append(
        f"corpus generated in {s.generate_s:.1f}s"
        if s.corpus.generated
        else "corpus kept from an earlier run"
    )
    return out


def write_report(bench: Bench, out: Path) -> None:
    """Write the report, keeping whatever follows the notes mark of the file it replaces."""
    text = render(bench)
    notes = "\n"
    if out.exists():
        old = out.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old.split(NOTES_MARK, 1)[1]
    out.write_text(text + "\n" + NOTES_MARK + notes, encoding="utf-8")
    print(text)


def main(args) -> int:
    from pipelines.runner import Paths

    sizes = [float(x) for x in str(args.sizes).split(",") if x.strip()]
    workers = os.environ.get("COOP_BENCH_WORKERS")
    budget = float(os.environ.get("COOP_BENCH_BUDGET", "560"))
    run(
        sizes,
        Path(args.out),
        Paths.from_env().warehouse_dir / "bench",
        int(workers) if workers else None,
        budget,
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        sys.exit(child_main(sys.argv[2:]))
    sys.exit("usage: coop bench (this module's own command line runs the steps of coop bench)")
