"""`coop explain FACT_ID`: a fact and every passage that states it, for people.

Prints the fact's row (parties with their place ids, its own columns, how many documents and
statements), then each evidence passage: the document's name, the offsets into its text, the
rule that found it, and the quote in [[double brackets]] with a few words of context either
side. Conflicts the fact is part of are listed with the other side's value and passage. A
unique prefix of an id is enough.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import duckdb

from pipelines.model import FACT_TABLES

WIDTH = 100


def explain(db_path: Path, fact_id: str, context_chars: int = 80) -> str:
    """The fact ``fact_id`` and its evidence as text; a line starting "coop: no fact" if unknown."""
    if not Path(db_path).exists():
        return f"coop: no fact {fact_id}: no warehouse at {db_path} (run `coop run` first)"
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        found = _find(con, fact_id)
        if isinstance(found, str):
            return found
        table, fact = found
        fact_id = fact["fact_id"]
        lines = [
            f"{table} {fact_id}  ({_plural(fact.get('n_sources'), 'document')}, "
            f"{_plural(fact.get('n_mentions'), 'statement')})",
            f"  a: {_party(fact, 'a')}",
            f"  b: {_party(fact, 'b')}",
        ]
        skip = {"fact_id", "n_sources", "n_mentions"} | {k for k in fact if k[:2] in ("a_", "b_")}
        lines += [f"  {k}: {v}" for k, v in fact.items() if k not in skip and v is not None]
        passages = con.execute(
            """SELECT d.doc_name, e.char_start, e.char_end, e.quote, e.rule, e.extractor, e.confidence, e.note,
                      substr(d.text, greatest(e.char_start - ?, 0) + 1, least(e.char_start, ?)) AS before,
                      substr(d.text, e.char_end + 1, ?) AS after,
                      e.char_start <= ? AS at_start, e.char_end + ? >= length(d.text) AS at_end
               FROM evidence e JOIN documents d USING (doc_id)
               WHERE e.fact_id = ? ORDER BY d.doc_name, e.char_start""",
            [context_chars, context_chars, context_chars, context_chars, context_chars, fact_id],
        ).fetchall()
        lines.append(f"evidence ({_plural(len(passages), 'passage')}):")
        for doc, start, end, quote, rule, extractor, conf, note, before, after, at_start, at_end in passages:
            confidence = f", confidence {conf:.2f}" if conf is not None else ""
            lines.append(f"- {doc} [{start}:{end}] rule {rule} ({extractor}{confidence})")
            lines += _wrap(in_context(before, quote, after, at_start, at_end))
            if note:
                lines.append(f"    note: {note}")
        lines += _conflicts(con, fact_id)
        return "\n".join(lines)
    finally:
        con.close()


def in_context(before: str | None, quote: str, after: str | None, at_start=False, at_end=False) -> str:
    """The quote in [[brackets]] between whole words of its context ("…" where the text goes on)."""
    raw_before, raw_after = before or "", after or ""
    before, after = _fold(raw_before), _fold(raw_after)
    if not at_start and " " in before:
        before = before.split(" ", 1)[1]  # the first word may be cut: drop it
    if not at_end and " " in after:
        after = after.rsplit(" ", 1)[0]
    left = ("" if at_start else "…") + before
    right = after + ("" if at_end else "…")
    gap_left = " " if raw_before[-1:].isspace() else ""
    gap_right = " " if raw_after[:1].isspace() else ""
    return f"{left}{gap_left}[[{_fold(quote)}]]{gap_right}{right}".strip()


def _find(con, fact_id: str) -> tuple[str, dict] | str:
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    matches = []
    for table in FACT_TABLES:
        if table not in tables:
            continue
        cur = con.execute(
            f'SELECT * FROM "{table}" WHERE fact_id = ? OR starts_with(fact_id, ?) ORDER BY fact_id = ? DESC',
            [fact_id, fact_id, fact_id],
        )
        names = [d[0] for d in cur.description]
        matches += [(table, dict(zip(names, row, strict=True))) for row in cur.fetchall()]
    exact = [m for m in matches if m[1]["fact_id"] == fact_id]
    if exact or len(matches) == 1:
        return (exact or matches)[0]
    if matches:
        ids = ", ".join(m[1]["fact_id"] for m in matches[:5])
        return f"coop: no fact {fact_id}: the prefix matches {len(matches)} facts ({ids}{', …' if len(matches) > 5 else ''})"
    return f"coop: no fact {fact_id} in {con.execute('PRAGMA database_list').fetchone()[2]}"


def _conflicts(con, fact_id: str) -> list[str]:
    has = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'conflicts'"
    ).fetchone()[0]
    if not has:
        return []
    rows = con.execute(
        """SELECT field, fact_id_1 = ? AS first, value_1, value_2, fact_id_1, fact_id_2,
                  doc_name_1, char_start_1, char_end_1, quote_1, doc_name_2, char_start_2, char_end_2, quote_2
           FROM conflicts WHERE ? IN (fact_id_1, fact_id_2) ORDER BY conflict_id""",
        [fact_id, fact_id],
    ).fetchall()
    if not rows:
        return []
    lines = [f"conflicts ({len(rows)}):"]
    for field, first, v1, v2, f1, f2, dn1, s1, e1, q1, dn2, s2, e2, q2 in rows:
        mine, other = (v1, (v2, f2, dn2, s2, e2, q2)) if first else (v2, (v1, f1, dn1, s1, e1, q1))
        value, other_id, doc, start, end, quote = other
        lines.append(f"- {field}: {mine} here, {value} in {other_id}, stated in {doc} [{start}:{end}]:")
        lines += _wrap(f"[[{_fold(quote)}]]")
    return lines


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent="    ", subsequent_indent="    ")


def _plural(n: int | None, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _party(fact: dict, side: str) -> str:
    region = fact.get(f"{side}_region")
    place = fact.get(f"{side}_place_id")
    where = ", ".join(x for x in (fact.get(f"{side}_level"), fact.get(f"{side}_country"), region) if x)
    return f"{fact[f'{side}_name']} ({where})" + (f" place {place}" if place else "")


def _fold(s: str | None) -> str:
    return " ".join((s or "").split())
