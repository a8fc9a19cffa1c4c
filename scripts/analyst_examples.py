"""Refresh the outputs of the analysts section of README.md from a published warehouse.

Every ```sql block of the page is run again and the Markdown table after it replaced by the
result; a block whose first line is "-- on the small corpus of tests/fusion_corpus.py" runs on
that corpus (published into a temporary folder) instead; the "$ coop explain ID" example is run
again too. Blocks not followed by a table are only checked to run.
    .venv/bin/python scripts/analyst_examples.py [WAREHOUSE_DIR]   (default: warehouse)
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import duckdb  # noqa: E402

from pipelines.explain import explain  # noqa: E402
from pipelines.warehouse import DB_NAME  # noqa: E402

PAGE = ROOT / "README.md"
SMALL_CORPUS = "-- on the small corpus of tests/fusion_corpus.py"
BLOCK = re.compile(r"(```sql\n(?P<sql>.*?)```\n)(?P<gap>\n)(?P<table>(?:\|[^\n]*\|\n)+)?", re.S)
EXPLAIN = re.compile(r"```\n\$ coop explain (?P<id>\S+) --context (?P<n>\d+)\n.*?```", re.S)


def markdown(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in cur.fetchall()]
    return "\n".join(lines) + "\n"


def _cell(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return str(v).replace("|", "\\|").replace("\n", " ")


def refresh(page: str, seeds_db: Path, small_db: Path) -> str:
    seeds = duckdb.connect(str(seeds_db), read_only=True)
    small = duckdb.connect(str(small_db), read_only=True)

    def block(m: re.Match) -> str:
        sql = m["sql"]
        con = small if sql.startswith(SMALL_CORPUS) else seeds
        if m["table"] is None:
            con.execute(sql).fetchall()
            return m.group(0)
        return m.group(1) + m["gap"] + markdown(con, sql)

    def explained(m: re.Match) -> str:
        out = explain(seeds_db, m["id"], context_chars=int(m["n"]))
        return f"```\n$ coop explain {m['id']} --context {m['n']}\n{out}\n```"

    try:
        return EXPLAIN.sub(explained, BLOCK.sub(block, page))
    finally:
        seeds.close()
        small.close()


def main(argv: list[str]) -> int:
    from fusion_corpus import publish

    warehouse = Path(argv[1] if len(argv) > 1 else "warehouse")
    with tempfile.TemporaryDirectory() as tmp:
        publish(Path(tmp))
        PAGE.write_text(
            refresh(PAGE.read_text(encoding="utf-8"), warehouse / DB_NAME, Path(tmp) / DB_NAME),
            encoding="utf-8",
        )
    print(f"refreshed {PAGE.relative_to(ROOT)} from {warehouse / DB_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
