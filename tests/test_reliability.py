"""Reliability (issue 8): hostile input, faults and re-runs lose nothing and stop nothing.

Most tests run the whole flow without Dagster (``run_direct``) on temporary folders. The
subprocess tests run the real command line (``pipelines.cli.main``, what ``coop run`` calls) to
check exit codes, a SIGKILL in the middle of a run and two runs started at once.

Besides the real extractors, every run here also uses TEST_EXTRACTOR: it states an agreement for
each "agreement ... 20XX" (years 2030-2099, which no seed document mentions), so each hostile
document carries a fact whose fate can be followed whatever the real extractors find.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import duckdb
import polars as pl
import pytest

from pipelines import pipeline
from pipelines.extract.registry import extractors as registered_extractors
from pipelines.ingest import MAX_BYTES
from pipelines.model import FACT_TABLES, Evidence, Fact, Party
from pipelines.runner import EXTRACT, INGEST, Paths, run_direct
from pipelines.warehouse import DB_NAME, sql_literal
from tests.conftest import RAW

ROOT = Path(__file__).resolve().parent.parent
SMALL_SEEDS = sorted(RAW.glob("00[0-2]_*.txt"))  # the three short seed documents: real extractors stay fast

# --- the test extractor -------------------------------------------------------------------------

VITEBSK = Party("Vitebsk Oblast", "BY", "region", "BY-VI", "BY-VI")
PSKOV = Party("Pskov Oblast", "RU", "region", "RU-PSK", "RU-PSK")
TEST_RULE = re.compile(r"(?:agreement|соглашени[еяю])\D{0,80}?\b(20[3-9]\d)\b", re.I)


def extract_agreement_years(doc) -> list[Fact]:
    facts = []
    for m in TEST_RULE.finditer(doc.text):
        s = next((s for s in doc.sentences if s.start <= m.start() < s.stop), None)
        attrs = {
            "kind": "cooperation_agreement",
            "year": int(m.group(1)),
            "month": None,
            "day": None,
            "place": None,
        }
        ev = Evidence(
            m.start(), m.end(), m.group(0), s.start if s else m.start(), s.stop if s else m.end(),
            "test.agreement_year", "test@1", 1.0,
        )  # fmt: skip
        facts.append(Fact("agreements", VITEBSK, PSKOV, attrs, ev))
    return facts


TEST_EXTRACTOR = SimpleNamespace(NAME="test", VERSION="1", extract=extract_agreement_years)


def install_test_extractor() -> None:
    """The real extractors plus TEST_EXTRACTOR (also called inside the subprocess runs)."""
    pipeline.extractors = lambda: [*registered_extractors(), TEST_EXTRACTOR]


@pytest.fixture(autouse=True)
def with_test_extractor(monkeypatch):
    monkeypatch.setattr(pipeline, "extractors", lambda: [*registered_extractors(), TEST_EXTRACTOR])


# --- the hostile corpus -------------------------------------------------------------------------

FILLER = "The fields near the river were green and the weather was mild that spring, the report said. "
RU_1251 = (
    "Минск, 12 мая. Витебская область подписала соглашение о сотрудничестве с Псковской областью "
    "в 2031 году. Стороны договорились о поставках продукции машиностроения и льна.\n"
)
RU_KOI8 = (
    "Псков, 3 июня. Губернатор отметил, что соглашение с Витебской областью будет продлено до 2032 "
    "года. Особое внимание уделено образованию, туризму и молодёжному обмену.\n"
)
EN_UTF16 = "The Vitebsk region and the Pskov region renewed their agreement in 2033 during a fair in Minsk.\n"
MIXED_ENDINGS = (
    "First line about Minsk.\r\nThe agreement of 2034 was signed in Pskov.\rThird line\n"
    "An escaped surrogate \\ud800 stays text; a raw one is dropped: "
)
SCRIPT_HTML = (
    "<!doctype html><html><head><title>News</title><script>var s = 'agreement in 2041';</script></head>"
    "<body><nav>Home | News</nav><script type='text/javascript'>document.write('agreement 2041')</script>"
    "<p>The Vitebsk region signed an agreement with the Pskov region in 2036, the press office said.</p>"
    "<style>p { color: red }</style></body></html>"
)
QUOTED_NAME = "Отчёт \"Минск–Брянск\" 'итоги' 2024.txt"
CP1251_FILE_NAME = "Пример".encode("cp1251") + b".txt"  # a file name in another code page

# File name -> year of the test fact it states (documents that must be read).
READ = {
    "ru_windows-1251.txt": 2031,
    "ru_koi8-r.txt": 2032,
    "utf16_with_bom.txt": 2033,
    "mixed_line_endings.txt": 2034,
    "one_line_5mb.txt": 2035,
    "page.html": 2036,
    QUOTED_NAME: 2037,
    "western_windows-1252.txt": 2038,
    "cut_mid_character.txt": 2039,
    "\\xcf\\xf0\\xe8\\xec\\xe5\\xf0.txt": 2043,  # the cp1251 file name, its bad bytes escaped
}
# File name -> what the rejection reason says (documents that must be refused).
REFUSED = {
    "empty.txt": "empty file (0 bytes)",
    "scan.png": "binary file: looks like a PNG image",
    "bundle.zip": "binary file: looks like a ZIP archive",
    "zeros.txt": "binary file: only NUL bytes",
    "huge_50mb.txt": f"file too large: 52,428,800 bytes, the limit is {MAX_BYTES:,} bytes",
    "outside.txt": "refused: a symbolic link pointing outside the raw folder",
    "chain.txt": "refused: a symbolic link pointing outside the raw folder",
    "inner_link.txt": "refused: a symbolic link pointing outside the raw folder",
    "linked_folder": "refused: a symbolic link pointing outside the raw folder",
    "pipe.txt": "refused: not a regular file",
}
NEVER_PUBLISHED = {2040: "inside the ZIP", 2041: "inside <script>", 2042: "outside the raw folder"}
BIG = {"one_line_5mb.txt", "huge_50mb.txt"}


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def write_hostile_corpus(raw: Path, outside: Path, big: bool = True) -> tuple[dict, dict]:
    """Every case of issue 8 as a file of ``raw``; returns the READ and REFUSED expectations."""
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("SECRET: the agreement of 2042 must never be read.\n" + FILLER * 3)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "scan.png").write_bytes(png_bytes())
    with zipfile.ZipFile(raw / "bundle.zip", "w") as z:
        z.writestr("inside.txt", "The agreement of 2040 is inside a ZIP archive. " + FILLER)
    (raw / "zeros.txt").write_bytes(b"\0" * 65536)
    (raw / "ru_windows-1251.txt").write_bytes(RU_1251.encode("cp1251"))
    (raw / "ru_koi8-r.txt").write_bytes(RU_KOI8.encode("koi8_r"))
    (raw / "utf16_with_bom.txt").write_bytes(EN_UTF16.encode("utf-16"))  # with its BOM
    lone_surrogate = "\ud800".encode("utf-8", "surrogatepass")
    (raw / "mixed_line_endings.txt").write_bytes(MIXED_ENDINGS.encode() + lone_surrogate + b" end.\r\n")
    (raw / "page.html").write_text(SCRIPT_HTML, encoding="utf-8")
    (raw / QUOTED_NAME).write_text(f"In Minsk the agreement of 2037 was signed. {FILLER}", encoding="utf-8")
    western = (
        "The Vitebsk region \u2013 \u201cour partner\u201d \u2013 signed the agreement in 2038. Caf\u00e9."
    )
    (raw / "western_windows-1252.txt").write_bytes(western.encode("cp1252"))
    cut = "Витебская область подписала соглашение в 2039 году. Мы продолжим работу вместе".encode()
    (raw / "cut_mid_character.txt").write_bytes(cut[:-1])  # the last letter loses its second byte
    with open(os.path.join(os.fsencode(raw), CP1251_FILE_NAME), "wb") as f:
        f.write(b"The agreement of 2043 is in a file named in Windows-1251. " + FILLER.encode())
    (raw / "outside.txt").symlink_to(outside / "secret.txt")
    (raw / "inner_link.txt").symlink_to(Path("..") / outside.name / "secret.txt")  # relative, leads out
    (raw / "chain.txt").symlink_to(raw / "inner_link.txt")  # a link to a link that leads out
    (raw / "linked_folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(raw / "pipe.txt")  # reading a FIFO would block the run forever
    read, refused = dict(READ), dict(REFUSED)
    if big:
        line = FILLER * (5 * 1024 * 1024 // len(FILLER)) + "At last the agreement of 2035 was signed."
        (raw / "one_line_5mb.txt").write_text(line, encoding="utf-8")
        with open(raw / "huge_50mb.txt", "wb") as f:  # written in 1 MiB pieces: one copy in memory
            piece = (FILLER * (1024 * 1024 // len(FILLER) + 1)).encode()[: 1024 * 1024]
            for _ in range(50):
                f.write(piece)
    else:
        for name in BIG:
            read.pop(name, None)
            refused.pop(name, None)
    return read, refused


def write_good_documents(raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for p in SMALL_SEEDS:
        shutil.copy(p, raw / p.name)
    (raw / "good_a.txt").write_text(
        "The Vitebsk region signed an agreement with the Pskov region in 2030. "
        "A second agreement, of 2044, covers schools. " + FILLER
    )
    (raw / "good_b.txt").write_text(
        "Back in Pskov, officials recalled the agreement of 2030 with the Vitebsk region. " + FILLER
    )


# --- reading the published warehouse ------------------------------------------------------------


def snapshot(warehouse_dir: Path) -> dict[str, pl.DataFrame]:
    """Every table of the published warehouse, rows sorted. Read through ATTACH from a fresh
    in-memory database, so that no other open connection of this process hides the current file."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {sql_literal(str(warehouse_dir / DB_NAME))} AS w (READ_ONLY)")
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'w' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        frames = {n: con.sql(f'SELECT * FROM w."{n}"').pl() for n in names}
    finally:
        con.close()
    return {n: f.sort(f.columns, nulls_last=True) if f.height else f for n, f in frames.items()}


def assert_same_tables(left: dict[str, pl.DataFrame], right: dict[str, pl.DataFrame]) -> None:
    assert sorted(left) == sorted(right)
    for name in left:
        a, b = left[name], right[name]
        if not a.equals(b):
            only_left = a.join(b, on=a.columns, how="anti", nulls_equal=True)
            only_right = b.join(a, on=b.columns, how="anti", nulls_equal=True)
            raise AssertionError(f"table {name} differs:\n{only_left}\n{only_right}")


def facts_by_year(tables: dict[str, pl.DataFrame]) -> dict[int, dict]:
    """Year -> the test fact of that year: its fact_id, n_sources and the names of its documents."""
    docs = dict(zip(tables["documents"]["doc_id"], tables["documents"]["doc_name"], strict=True))
    ev = tables["evidence"].filter(pl.col("extractor") == "test@1")
    out = {}
    for row in tables["agreements"].join(ev.select("fact_id").unique(), on="fact_id").iter_rows(named=True):
        names = ev.filter(pl.col("fact_id") == row["fact_id"])["doc_id"].to_list()
        out[row["year"]] = {
            "fact_id": row["fact_id"],
            "n_sources": row["n_sources"],
            "docs": {docs[d] for d in names},
        }
    return out


def assert_outcomes(tables: dict[str, pl.DataFrame], read: dict, refused: dict) -> None:
    """Each readable hostile document is read and its fact published; each other one is a
    rejection whose reason a user understands; nothing from inside a ZIP, a script or outside."""
    documents = {r["doc_name"]: r for r in tables["documents"].iter_rows(named=True)}
    rejections = tables["rejections"]
    facts = facts_by_year(tables)
    for name, reason in refused.items():
        rows = rejections.filter(pl.col("doc_name") == name)
        assert rows.height == 1, f"{name}: {rows.height} rejection rows"
        assert rows["stage"][0] == "ingest"
        assert rows["reason"][0].startswith(reason), f"{name}: {rows['reason'][0]!r}"
        assert name not in documents
    for name, year in read.items():
        assert name in documents, f"{name} was not read: {rejections.filter(pl.col('doc_name') == name)}"
        assert name in facts[year]["docs"], f"{name}: its fact of {year} is missing"
    for year, where in NEVER_PUBLISHED.items():
        assert year not in facts, f"the fact of {year} ({where}) was published"
    for doc in documents.values():
        assert "SECRET" not in doc["text"] and "\r" not in doc["text"] and "\x00" not in doc["text"]
    ingest_reasons = rejections.filter(pl.col("stage") == "ingest")["reason"].to_list()
    assert not [r for r in ingest_reasons if "Error" in r or "Traceback" in r or "\\x" in r]
    evidence = tables["evidence"].join(tables["documents"].select("doc_id", "text"), on="doc_id")
    for row in evidence.iter_rows(named=True):
        assert row["text"][row["char_start"] : row["char_end"]] == row["quote"]


# --- 1. bad inputs ------------------------------------------------------------------------------


def test_hostile_inputs_are_read_or_refused_and_no_other_document_changes(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_good_documents(raw)
    run_direct(Paths(raw, warehouse))
    before = snapshot(warehouse)

    read, refused = write_hostile_corpus(raw, tmp_path / "outside")
    with recording_opens() as opened:
        run_direct(Paths(raw, warehouse))  # completes: nothing raised
    after = snapshot(warehouse)
    assert_outcomes(after, read, refused)

    docs = {r["doc_name"]: r for r in after["documents"].iter_rows(named=True)}
    assert docs["ru_windows-1251.txt"]["encoding"] == "cp1251"
    assert docs["ru_koi8-r.txt"]["encoding"] == "koi8_r"
    assert docs["ru_windows-1251.txt"]["text"].strip() == RU_1251.strip()
    assert docs["ru_koi8-r.txt"]["text"].strip() == RU_KOI8.strip()
    assert docs["utf16_with_bom.txt"]["text"].strip() == EN_UTF16.strip()
    mixed = docs["mixed_line_endings.txt"]["text"]
    assert "Minsk.\nThe agreement of 2034 was signed in Pskov.\nThird line\n" in mixed
    assert "\\ud800 stays text; a raw one is dropped:  end.\n" in mixed
    assert docs["mixed_line_endings.txt"]["encoding"] == "utf-8 (with encoded surrogates)"
    assert docs["page.html"]["markup"] == "html" and "document.write" not in docs["page.html"]["text"]
    assert docs["one_line_5mb.txt"]["n_chars"] > 5_000_000
    assert "соглашение в 2039 году" in docs["cut_mid_character.txt"]["text"]  # not read as KOI8-R
    assert "\u201cour partner\u201d" in docs["western_windows-1252.txt"]["text"]

    # No other document's facts change: documents, evidence and facts of the first run are intact.
    good = set(before["documents"]["doc_id"])
    for table in ("documents", "evidence", "zones"):
        assert after[table].filter(pl.col("doc_id").is_in(good)).equals(before[table]), table
    for table in FACT_TABLES:
        kept = after[table].filter(pl.col("fact_id").is_in(before[table]["fact_id"].implode()))
        assert kept.equals(before[table]), table

    # Nothing outside the raw folder was opened, links followed (the warehouse holds the staging).
    real = {p.resolve() for p in opened}
    assert real, "no file opening was recorded"
    mine = {p for p in real if p.is_relative_to(tmp_path.resolve())}
    assert {p for p in mine if not p.is_relative_to(raw.resolve())} <= {
        p for p in mine if p.is_relative_to(warehouse.resolve())
    }
    assert (tmp_path / "outside" / "secret.txt").resolve() not in real


# --- 3. re-runs ---------------------------------------------------------------------------------


def test_a_second_run_gives_identical_tables_without_duplicates(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_good_documents(raw)
    write_hostile_corpus(raw, tmp_path / "outside", big=False)
    run_direct(Paths(raw, warehouse))
    first = snapshot(warehouse)
    run_direct(Paths(raw, warehouse))
    second = snapshot(warehouse)
    assert_same_tables(first, second)
    for table in FACT_TABLES:
        assert second[table]["fact_id"].is_unique().all(), table
    assert not second["evidence"].select("fact_id", "doc_id", "char_start", "char_end").is_duplicated().any()
    assert second["documents"]["doc_id"].is_unique().all()
    assert facts_by_year(second)[2030]["n_sources"] == 2


def test_removing_a_document_removes_its_facts_and_keeps_the_others_evidence(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_good_documents(raw)
    paths = Paths(raw, warehouse)
    run_direct(paths)
    before = snapshot(warehouse)
    facts = facts_by_year(before)
    assert facts[2030]["docs"] == {"good_a.txt", "good_b.txt"} and facts[2044]["docs"] == {"good_a.txt"}
    gone_id = before["documents"].filter(pl.col("doc_name") == "good_a.txt")["doc_id"][0]

    (raw / "good_a.txt").unlink()
    run_direct(paths)
    after = snapshot(warehouse)
    facts = facts_by_year(after)
    assert 2044 not in facts  # stated only by the removed document
    assert facts[2030]["docs"] == {"good_b.txt"} and facts[2030]["n_sources"] == 1  # fused fact kept
    for table in ("documents", "evidence", "zones"):
        assert gone_id not in after[table]["doc_id"].to_list(), table
    assert paths.store.read(INGEST, "good_a.txt") is None and paths.store.read(EXTRACT, "good_a.txt") is None
    # The other documents' facts are untouched.
    for table in FACT_TABLES:
        others = before["evidence"].filter(pl.col("table_name") == table, pl.col("doc_id") != gone_id)
        kept = after[table].filter(pl.col("fact_id") != facts[2030]["fact_id"])
        assert set(kept["fact_id"]) == set(others["fact_id"]) - {facts[2030]["fact_id"]}, table


# --- 4. faults ----------------------------------------------------------------------------------

DIE_IN_PUBLISH = """
import os, signal, sys
import duckdb
import pipelines.warehouse as warehouse
from pipelines.runner import Paths, run_direct
from tests.test_reliability import install_test_extractor

class Dying:
    # The connection that builds the new DuckDB file: the process is killed after 3 tables.
    def __init__(self, con):
        self.con, self.tables = con, 0
    def execute(self, sql, *args):
        result = self.con.execute(sql, *args)
        self.tables += sql.startswith("CREATE TABLE")
        if self.tables == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    def __getattr__(self, name):
        return getattr(self.con, name)

warehouse.duckdb = type(sys)("duckdb_dying")
warehouse.duckdb.connect = lambda *a, **k: Dying(duckdb.connect(*a, **k))
install_test_extractor()
run_direct(Paths.from_env(sys.argv[1], sys.argv[2]))
"""


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COOP_", "DAGSTER_HOME"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_a_run_killed_while_publishing_leaves_the_previous_warehouse(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_good_documents(raw)
    run_direct(Paths(raw, warehouse))
    before = snapshot(warehouse)
    exported = {p.name: pl.read_parquet(p).height for p in (warehouse / "exports").glob("*.parquet")}
    (raw / "new.txt").write_text("The agreement of 2045 was signed in Minsk. " + FILLER)

    done = subprocess.run(
        [sys.executable, "-c", DIE_IN_PUBLISH, str(raw), str(warehouse)],
        cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert list(warehouse.glob(f".{DB_NAME}.tmp-*")), "the run did not die in the middle of publishing"
    assert_same_tables(snapshot(warehouse), before)  # readable, and complete as it was
    assert {p.name: pl.read_parquet(p).height for p in (warehouse / "exports").glob("*.parquet")} == exported

    run_direct(Paths(raw, warehouse))  # the next run completes, and clears the dead run's file
    assert 2045 in facts_by_year(snapshot(warehouse))
    assert not list(warehouse.glob(f".{DB_NAME}.tmp-*"))


COOP_RUN = (
    "import sys\n"
    "from tests.test_reliability import install_test_extractor\n"
    "install_test_extractor()\n"
    "from pipelines.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def coop_run(raw: Path, warehouse: Path) -> subprocess.Popen:
    """`coop run --raw RAW --warehouse WAREHOUSE` (pipelines.cli.main, with the test extractor),
    in its own process group so that a SIGKILL reaches it and its helper processes."""
    return subprocess.Popen(
        [sys.executable, "-c", COOP_RUN, "run", "--raw", str(raw), "--warehouse", str(warehouse)],
        cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def reference(tmp_path: Path, raw: Path) -> dict[str, pl.DataFrame]:
    """The tables ``run_direct`` publishes for ``raw`` into a warehouse of its own."""
    other = tmp_path / "reference"
    run_direct(Paths(raw, other))
    return snapshot(other)


def test_a_killed_coop_run_loses_nothing_and_two_runs_at_once_then_complete(tmp_path):
    """One Dagster run killed in the middle, then two started at once, while an analyst (this
    process) holds the warehouse open: the exit codes, the warehouse after each step."""
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_good_documents(raw)
    run_direct(Paths(raw, warehouse))
    before = snapshot(warehouse)
    read, refused = write_hostile_corpus(raw, tmp_path / "outside", big=False)
    (raw / "good_a.txt").unlink()  # and one document removed since the last run
    analyst = duckdb.connect(str(warehouse / DB_NAME), read_only=True)
    try:
        staged = warehouse / "staging" / INGEST
        known = set(staged.glob("*.json"))
        proc = coop_run(raw, warehouse)
        deadline = time.monotonic() + 120
        while not set(staged.glob("*.json")) - known:  # the run is staging the new documents
            assert proc.poll() is None, "the run ended before it was killed: " + proc.stderr.read()[-2000:]
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        assert_same_tables(snapshot(warehouse), before)  # the previous warehouse, readable and complete

        runs = [coop_run(raw, warehouse), coop_run(raw, warehouse)]
        results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
        for code, _, err in results:  # each completes, or fails clearly because the other holds the lock
            assert code == 0 or "another coop run" in err, err[-3000:]
        assert any(code == 0 and "coop: published" in out for code, out, _ in results)
        for table, frame in before.items():  # the open connection still sees the previous warehouse
            assert analyst.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == frame.height
    finally:
        analyst.close()

    after = snapshot(warehouse)
    assert_outcomes(after, read, refused)
    facts = facts_by_year(after)
    assert 2044 not in facts and facts[2030]["docs"] == {"good_b.txt"}  # good_a.txt's facts are gone
    assert_same_tables(after, reference(tmp_path, raw))  # Dagster publishes what run_direct does
    assert not list(warehouse.glob(".*.tmp-*")) and not list((warehouse / "exports").glob(".*.tmp-*"))


# --- 5. concurrency with an analyst -------------------------------------------------------------


def counts(con: duckdb.DuckDBPyConnection, schema: str) -> tuple[int, ...]:
    return tuple(
        con.execute(f'SELECT count(*) FROM {schema}"{t}"').fetchone()[0]
        for t in ("documents", "evidence", *FACT_TABLES)
    )


def test_an_open_reader_neither_blocks_a_run_nor_sees_it_half_written(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_good_documents(raw)
    run_direct(Paths(raw, warehouse))
    analyst = duckdb.connect(str(warehouse / DB_NAME), read_only=True)
    old = counts(analyst, "")
    seen: set[tuple[int, ...]] = set()
    stop = threading.Event()

    def keep_reading():  # another analyst, connecting again and again during the run
        while not stop.is_set():
            con = duckdb.connect()
            try:
                con.execute(f"ATTACH {sql_literal(str(warehouse / DB_NAME))} AS w (READ_ONLY)")
                seen.add(counts(con, "w."))
            finally:
                con.close()

    (raw / "new.txt").write_text("The agreement of 2045 was signed in Minsk. " + FILLER)
    (raw / "good_a.txt").unlink()
    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        started = time.monotonic()
        run_direct(Paths(raw, warehouse))
        took = time.monotonic() - started
    finally:
        stop.set()
        reader.join()
    try:
        assert counts(analyst, "") == old  # the open connection keeps the previous, complete view
    finally:
        analyst.close()
    fresh = snapshot(warehouse)
    new = tuple(fresh[t].height for t in ("documents", "evidence", *FACT_TABLES))
    assert new != old
    assert seen and seen <= {old, new}, (
        f"a reader saw a state that is neither before nor after: {seen - {old, new}}"
    )
    assert took < 120
    assert 2045 in facts_by_year(fresh)


# --- 7. safety ----------------------------------------------------------------------------------


class RecordingConnection:
    """A DuckDB connection that keeps the text of every statement it is given."""

    def __init__(self, con, log: list[str]):
        self._con, self._log = con, log

    def execute(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._con.execute(sql, *args, **kwargs)

    def sql(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._con.sql(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_no_document_content_is_ever_part_of_an_sql_statement(tmp_path, monkeypatch):
    from pipelines.cli import summary
    from pipelines.explain import explain

    log: list[str] = []
    real_connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: RecordingConnection(real_connect(*a, **k), log))
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    raw.mkdir()
    hostile = [
        "x'); DROP TABLE documents; --",
        'Robert"); DELETE FROM evidence; --',
        "$$ COPY documents TO '/tmp/leak.csv' $$",
    ]
    for i, payload in enumerate(hostile):
        name = f"{payload.replace('/', '_')} {i}.txt"
        (raw / name).write_text(f"{payload} The agreement of {2050 + i} was signed. {payload}\n{FILLER}")
    run_direct(Paths(raw, warehouse))
    summary(warehouse, 0.0)
    fact_id = facts_by_year(snapshot(warehouse))[2050]["fact_id"]
    assert "x'); DROP TABLE documents; --" in explain(warehouse / DB_NAME, fact_id)
    assert explain(warehouse / DB_NAME, "' OR 1=1 --").startswith("coop: no fact")

    tables = snapshot(warehouse)
    assert tables["documents"].height == 3 and tables["evidence"].height >= 3
    assert log, "no SQL was recorded"
    for payload in [*hostile, "' OR 1=1 --", "The agreement of 2050"]:
        assert not [sql for sql in log if payload in sql], f"{payload!r} reached SQL text"


_opened: list[Path] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _opened.append(Path(os.fsdecode(args[0])).absolute())


@contextlib.contextmanager
def recording_opens() -> Iterator[list[Path]]:
    """The path of every file this process opens meanwhile (Python's audit event "open")."""
    global _opened
    if not getattr(_audit, "installed", False):
        sys.addaudithook(_audit)  # audit hooks cannot be removed: it records only inside this block
        _audit.installed = True
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def test_a_fifo_or_unreadable_file_is_refused_before_anything_reads_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    os.mkfifo(raw / "pipe.txt")
    (raw / "locked.txt").write_text("The agreement of 2046 is locked. " + FILLER)
    (raw / "locked.txt").chmod(0)
    files, refused = pipeline.list_raw_files(raw)
    reasons = {r["doc_name"]: r["reason"] for r in refused}
    assert reasons["pipe.txt"] == "refused: not a regular file"
    if os.geteuid() != 0:  # root reads any file
        assert reasons["locked.txt"] == "refused: no permission to read the file"
        assert [f.name for f in files] == []


def test_utf16_with_a_broken_last_character_is_read(tmp_path):
    data = codecs.BOM_UTF16_LE + EN_UTF16.encode("utf-16-le") + b"\x00"  # an odd byte at the end
    staged = pipeline.read_raw("odd.txt", data)
    assert staged["document"]["text"].startswith(EN_UTF16.strip())
    assert "broken" in staged["document"]["encoding"]


def test_a_surrogate_pair_encoded_in_utf8_becomes_its_character():
    data = "The delegation smiled \ud83d\ude00 in Minsk, said the report.".encode("utf-8", "surrogatepass")
    staged = pipeline.read_raw("cesu.txt", data)
    assert staged["document"]["text"] == "The delegation smiled \U0001f600 in Minsk, said the report."


def test_a_file_too_large_is_refused_by_its_size_and_a_vanished_file_is_a_rejection(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(raw / "sparse_5gb.txt", "wb") as f:  # 5 GB that take no disk: read, it would fill memory
        f.truncate(5 * 1024**3)
    (raw / "gone.txt").write_text("The agreement of 2047 is about to vanish. " + FILLER)
    files = {f.name: f for f in pipeline.list_raw_files(raw)[0]}
    (raw / "gone.txt").unlink()  # between the listing and the reading
    big = pipeline.read_raw_file(files["sparse_5gb.txt"])
    assert big["document"] is None
    assert (
        big["rejections"][0]["reason"]
        == f"file too large: 5,368,709,120 bytes, the limit is {MAX_BYTES:,} bytes"
    )
    gone = pipeline.read_raw_file(files["gone.txt"])
    assert gone["rejections"][0]["reason"] == "could not read the file: No such file or directory"
