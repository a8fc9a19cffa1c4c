"""Fusion: the statements of one fact become one fact row with one evidence row each;
statements that contradict each other stay apart and are listed in ``conflicts``.

Input is the validated statement rows of one fact table, as ``pipelines.tables`` builds them
(party and own columns, plus ``_doc_id``, ``_doc_name`` and the evidence as ``_ev_*``). The
rules per table are data (``data/fusion.yaml``).

Orientation. In the symmetric tables (agreements, trade flows, twinnings) every statement is
first turned so that the Belarusian side is ``a`` (else the smaller party key is), export flows
turned round with the parties: "Bryansk exported $X to Belarus" and "Belarus imported $X
from Bryansk" are one fact, and A-B and B-A are one twinning.

Identity. Statements are one fact when they share the table, the parties (by ``place_id``,
else name, country, level, region), aggregate/count, the table's ``identity`` columns, and
their ``tolerant`` columns agree wherever both give them ("2019" and "May 2019"); trade values
must also lie within ``value_tolerance``. Statements are clustered greedily, the most precise
first, so the outcome does not depend on the order of the documents; a statement that would fit
several facts ("2019" beside "March 2019" and "May 2019") is not assigned by guess: it stays a
fact of its own. The fused row takes the most precise statement's values and fills what it
leaves out from the others (a place, a head, a change).

fact_id. A hash of the coarse identity: table, parties, aggregate/count and the identity
columns (for dates, the year, not the month or day; for trade, flow, period and currency, not
the value). Only where several facts share one coarse identity (two agreements of a kind in a
year, two disagreeing values for a period) is each one's detail (its month and day, its value)
hashed in as well. So an id survives re-runs, documents read in another order, and a new
document that dates the fact more precisely; it changes only when the corpus reveals a second,
distinct fact with the same coarse identity.

Conflicts. Trade values of one identity further apart than the tolerance (their qualifiers
allowing: "over $1 billion" does not contradict "$1.2 billion") contradict each other, within a
document or across documents. Two documents that date the same parties' agreement (or
twinning) of the same kind differently contradict each other when neither document also states
the other's date (a book that records a 2000 agreement and its 2017 successor contradicts
nobody). Aggregate lines ("36 delegations in 2024") are counts, never conflicts. Each fact that
another contradicts is listed once, against the best attested fact that contradicts it (most
documents, then an exact figure, then most mentions): not every pair, which grows with the
square of a much-repeated family (700 datings of one agreement would be 245,000 pairs), while
every contradicted fact still appears and the consensus is named in every row that disputes it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any

import yaml

from pipelines.model import UNORDERED

_DATA = Path(__file__).parent / "data" / "fusion.yaml"
HOME_COUNTRY = "BY"  # the contract: a is the Belarusian side where there is one
DATE_FIELDS = ("year", "month", "day")
SIDE_COLUMNS = ("name", "country", "level", "region", "place_id")
FLIPPED_FLOW = {"export_a_to_b": "export_b_to_a", "export_b_to_a": "export_a_to_b"}
FILLED = ("place", "head", "change_pct")  # taken from another statement when the best leaves it out
EVIDENCE_FIELDS = (
    "char_start",
    "char_end",
    "quote",
    "sentence_start",
    "sentence_end",
    "rule",
    "extractor",
    "confidence",
    "note",
)
CONFLICT_COLUMNS = (
    "conflict_id",
    "table_name",
    "field",
    "a_name",
    "b_name",
    "identity",
    "fact_id_1",
    "value_1",
    "n_sources_1",
    "doc_id_1",
    "doc_name_1",
    "char_start_1",
    "char_end_1",
    "quote_1",
    "fact_id_2",
    "value_2",
    "n_sources_2",
    "doc_id_2",
    "doc_name_2",
    "char_start_2",
    "char_end_2",
    "quote_2",
    "diff_pct",
)


@dataclass(frozen=True, slots=True)
class TableRules:
    table: str
    identity: tuple[str, ...]
    tolerant: tuple[str, ...]
    value: str | None
    conflicts: str | None  # "value", "dates" or None

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(f for f in DATE_FIELDS if f in self.identity or f in self.tolerant)


@dataclass
class Fused:
    facts: list[dict]
    evidence: list[dict]
    conflicts: list[dict]


@cache
def value_tolerance() -> float:
    return float(yaml.safe_load(_DATA.read_text(encoding="utf-8"))["value_tolerance"])


@cache
def table_rules(table: str) -> TableRules:
    spec = yaml.safe_load(_DATA.read_text(encoding="utf-8"))["tables"][table]
    return TableRules(
        table,
        tuple(spec.get("identity") or ()),
        tuple(spec.get("tolerant") or ()),
        spec.get("value"),
        spec.get("conflicts"),
    )


# --- statements -------------------------------------------------------------------------


def party_key(row: dict, side: str) -> list:
    """The party as fusion compares it: the gazetteer's place_id where known, else its name."""
    return [
        row.get(f"{side}_place_id") or row.get(f"{side}_name"),
        row.get(f"{side}_country"),
        row.get(f"{side}_level"),
        row.get(f"{side}_region"),
    ]


def orient(table: str, row: dict) -> dict:
    """The statement with its parties in canonical order (symmetric tables only)."""
    if table not in UNORDERED:
        return row
    a_home, b_home = row.get("a_country") == HOME_COUNTRY, row.get("b_country") == HOME_COUNTRY
    swap = b_home if a_home != b_home else _dump(party_key(row, "a")) > _dump(party_key(row, "b"))
    if not swap:
        return row
    turned = dict(row)
    for c in SIDE_COLUMNS:
        turned[f"a_{c}"], turned[f"b_{c}"] = row.get(f"b_{c}"), row.get(f"a_{c}")
    if row.get("flow") in FLIPPED_FLOW:
        turned["flow"] = FLIPPED_FLOW[row["flow"]]
    return turned


def coarse_identity(rules: TableRules, row: dict) -> dict:
    """What must be equal for two (oriented) statements to be one fact."""
    aggregate = bool(row.get("aggregate"))
    return {
        "table": rules.table,
        "parties": [party_key(row, "a"), party_key(row, "b")],
        "aggregate": aggregate,
        "count": row.get("count") if aggregate else 1,
        **{k: row.get(k) for k in rules.identity},
    }


def _dump(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, default=str, ensure_ascii=False)


def _hash_id(table: str, ident: dict) -> str:
    return f"{table[:2]}_{hashlib.sha256(_dump(ident).encode()).hexdigest()[:16]}"


def significant_digits(value: float | None) -> int:
    """1.2e9 has 2, 1213500000 has 5: the more digits, the more precise the statement."""
    if value is None:
        return 0
    digits = f"{abs(value):.15g}".split("e")[0].replace(".", "").strip("0")
    return len(digits)


def _precision(rules: TableRules, row: dict) -> tuple:
    """Sort key: the most precise statement first; ties broken by position, so deterministic."""
    dates = tuple(row.get(f) is None for f in reversed(rules.dates))  # a day is finer than a month
    if rules.value:
        measured = (row.get("qualifier") != "exact", -significant_digits(row.get(rules.value)))
    else:
        measured = ()
    filled = tuple(row.get(c) is None for c in FILLED if c in row)
    return (
        dates,
        measured,
        filled,
        -(row.get("_ev_confidence") or 0.0),
        row["_doc_id"],
        row["_ev_char_start"],
        row["_ev_char_end"],
    )


# --- comparing statements -----------------------------------------------------------------


def _agree(x: Any, y: Any) -> bool:
    return x is None or y is None or x == y


def dates_agree(rules: TableRules, r: dict, s: dict) -> bool:
    return all(_agree(r.get(f), s.get(f)) for f in rules.dates)


def _interval(row: dict, column: str) -> tuple[float, float]:
    v = float(row[column])
    q = row.get("qualifier")
    return (v, float("inf")) if q == "over" else (0.0, v) if q == "under" else (v, v)


def values_close(x: float, y: float, tolerance: float | None = None) -> bool:
    tol = value_tolerance() if tolerance is None else tolerance
    return abs(x - y) <= tol * min(abs(x), abs(y))


def values_contradict(rules: TableRules, r: dict, s: dict) -> bool:
    """Whether two stated values cannot both be true (bounds read as bounds)."""
    (lo1, hi1), (lo2, hi2) = _interval(r, rules.value), _interval(s, rules.value)
    if hi1 < lo2:
        return not values_close(hi1, lo2)
    if hi2 < lo1:
        return not values_close(hi2, lo1)
    return False


def _merged(rules: TableRules, members: list[dict]) -> dict:
    """The most precise statement, with what it leaves out filled from the others."""
    best = dict(members[0])
    for c in (*rules.tolerant, *FILLED):
        if c in best and best[c] is None:
            best[c] = next((m[c] for m in members[1:] if m.get(c) is not None), None)
    return best


def _detail(rules: TableRules, row: dict) -> list:
    return [row.get(f) for f in rules.tolerant] + ([row.get(rules.value)] if rules.value else [])


class _Cluster:
    """Statements of one fact so far: what they give of the tolerant columns, and the range of
    their values (a value close to both ends is close to every value between)."""

    def __init__(self, rules: TableRules, first: dict):
        self.rules, self.members = rules, [first]
        self.known = {f: first.get(f) for f in rules.tolerant}
        self.lo = self.hi = float(first[rules.value]) if rules.value else 0.0

    def detail(self) -> list:
        return [self.known[f] for f in self.rules.tolerant] + (
            [self.members[0][self.rules.value]] if self.rules.value else []
        )

    def fits(self, s: dict) -> bool:
        if not all(_agree(self.known[f], s.get(f)) for f in self.rules.tolerant):
            return False
        if self.rules.value:
            v = float(s[self.rules.value])
            return values_close(v, self.lo) and values_close(v, self.hi)
        return True

    def add(self, s: dict) -> None:
        self.members.append(s)
        for f in self.rules.tolerant:
            if self.known[f] is None:
                self.known[f] = s.get(f)
        if self.rules.value:
            v = float(s[self.rules.value])
            self.lo, self.hi = min(self.lo, v), max(self.hi, v)


def _cluster(rules: TableRules, statements: list[dict]) -> list[list[dict]]:
    """Greedy, most precise statement first: each joins the one fact it fits, or the fact whose
    detail it repeats exactly; one that fits none, or several, is a fact of its own."""
    clusters: list[_Cluster] = []
    for s in statements:
        detail = _detail(rules, s)
        same = next((c for c in clusters if c.detail() == detail), None)
        fits = [c for c in clusters if c.fits(s)] if same is None else [same]
        if len(fits) == 1:
            fits[0].add(s)
        else:  # a guess between several facts is no fusion
            clusters.append(_Cluster(rules, s))
    return [c.members for c in clusters]


# --- fusion ----------------------------------------------------------------------------


@dataclass
class _Fact:
    fact_id: str
    rules: TableRules
    coarse: dict
    members: list[dict]
    row: dict  # merged

    @cached_property
    def docs(self) -> list[str]:
        return sorted({m["_doc_id"] for m in self.members})

    @property
    def n_sources(self) -> int:
        return len(self.docs)

    @cached_property
    def spans(self) -> list[tuple[str, int, int]]:
        return sorted({(m["_doc_id"], m["_ev_char_start"], m["_ev_char_end"]) for m in self.members})

    @property
    def n_mentions(self) -> int:
        return len(self.spans)

    @cached_property
    def dated_by_document(self) -> list[dict]:
        """The most precise dated statement of each document (members come most precise first)."""
        return _dated(self.rules, self.members, one_per_document=True)


def fuse(table: str, statements: list[dict], columns: list[str]) -> Fused:
    """Fact rows (with ``columns``), evidence rows and conflict rows from a table's statements."""
    rules = table_rules(table)
    groups: dict[str, list[dict]] = defaultdict(list)
    coarse_of: dict[str, dict] = {}
    for raw in statements:
        row = orient(table, raw)
        coarse = coarse_identity(rules, row)
        key = _dump(coarse)
        groups[key].append(row)
        coarse_of[key] = coarse

    facts: list[_Fact] = []
    for key in sorted(groups):
        clusters = _cluster(rules, sorted(groups[key], key=lambda r: _precision(rules, r)))
        ids: dict[str, int] = defaultdict(int)
        for members in clusters:
            merged = _merged(rules, members)
            ident = coarse_of[key]
            if len(clusters) > 1:  # several facts share the coarse identity: tell them apart
                ident = {**ident, "detail": _detail(rules, merged)}
            fid = _hash_id(table, ident)
            ids[fid] += 1
            if ids[fid] > 1:  # two facts of equal detail (a statement that fitted several)
                first = members[0]
                fid = _hash_id(table, {**ident, "at": [first["_doc_id"], first["_ev_char_start"]]})
            facts.append(_Fact(fid, rules, coarse_of[key], members, merged))

    fact_rows, evidence = [], []
    for f in sorted(facts, key=lambda f: f.fact_id):
        row = {**f.row, "fact_id": f.fact_id, "n_sources": f.n_sources, "n_mentions": f.n_mentions}
        fact_rows.append({c: row.get(c) for c in columns})
        seen: set[tuple] = set()
        for m in sorted(f.members, key=lambda m: (m["_doc_id"], m["_ev_char_start"], m["_ev_char_end"])):
            span = (m["_doc_id"], m["_ev_char_start"], m["_ev_char_end"])
            if span in seen:
                continue
            seen.add(span)
            evidence.append(
                {
                    "fact_id": f.fact_id,
                    "table_name": table,
                    "doc_id": m["_doc_id"],
                    **{k: m.get(f"_ev_{k}") for k in EVIDENCE_FIELDS},
                }
            )
    return Fused(fact_rows, evidence, find_conflicts(rules, facts))


# --- conflicts ---------------------------------------------------------------------------


def find_conflicts(rules: TableRules, facts: list[_Fact]) -> list[dict]:
    if rules.conflicts == "value":
        return _value_conflicts(rules, facts)
    if rules.conflicts == "dates":
        return _date_conflicts(rules, facts)
    return []


def _attestation(f: _Fact) -> tuple:
    """Best attested first: most documents, then an exact figure, then most mentions (as the
    ``trade_series`` view ranks them); the fact_id settles ties, so the order is stable."""
    return (-f.n_sources, f.row.get("qualifier", "exact") != "exact", -f.n_mentions, f.fact_id)


def _first_contradictions(group: list[_Fact], contradiction) -> list[tuple[_Fact, _Fact, Any]]:
    """Each fact of ``group`` that another contradicts, paired with the best attested one that
    does: at most one pair per fact (a pair found from both ends counts once), so the output
    grows with the facts, not with the pairs. ``contradiction(f, g)`` is falsy, or what the
    conflict row needs (the two statements to quote)."""
    ranked = sorted(group, key=_attestation)
    pairs: dict[tuple[str, str], tuple[_Fact, _Fact, Any]] = {}
    for f in ranked:
        for g in ranked:
            if g is f:
                continue
            lo, hi = (f, g) if f.fact_id < g.fact_id else (g, f)
            if (lo.fact_id, hi.fact_id) in pairs:
                break
            found = contradiction(lo, hi)
            if found:
                pairs[lo.fact_id, hi.fact_id] = (lo, hi, found)
                break
    return list(pairs.values())


def _value_conflicts(rules: TableRules, facts: list[_Fact]) -> list[dict]:
    by_identity: dict[str, list[_Fact]] = defaultdict(list)
    for f in facts:
        if not f.coarse["aggregate"]:
            by_identity[_dump(f.coarse)].append(f)
    out = []
    for group in by_identity.values():
        for f1, f2, _ in _first_contradictions(group, lambda f, g: values_contradict(rules, f.row, g.row)):
            out.append(_conflict_row(rules, "value", f1, f1.members[0], f2, f2.members[0]))
    return out


def _date_conflicts(rules: TableRules, facts: list[_Fact]) -> list[dict]:
    """Facts of one family (identity but for the date) that two documents date incompatibly."""
    families: dict[str, list[_Fact]] = defaultdict(list)
    for f in facts:
        if not f.coarse["aggregate"] and f.row.get(rules.dates[0]) is not None:
            family = {k: v for k, v in f.coarse.items() if k not in DATE_FIELDS}
            families[_dump(family)].append(f)
    out = []
    for group in families.values():
        stated: dict[str, set[tuple]] = defaultdict(set)  # doc -> the dates it states in this family
        for f in group:
            for m in _dated(rules, f.members):
                stated[m["_doc_id"]].add(tuple(m.get(k) for k in rules.dates))
        if len(stated) < 2:  # one document contradicts nobody
            continue
        contradiction = partial(_date_contradiction, rules, stated)
        for f1, f2, (s1, s2) in _first_contradictions(group, contradiction):
            out.append(_conflict_row(rules, _first_difference(rules, f1.row, f2.row), f1, s1, f2, s2))
    return out


def _date_contradiction(rules: TableRules, stated, f1: _Fact, f2: _Fact) -> tuple[dict, dict] | None:
    if dates_agree(rules, f1.row, f2.row):
        return None
    return _disagreeing_documents(rules, stated, f1, f2)


def _dated(rules: TableRules, statements: list[dict], one_per_document: bool = False) -> list[dict]:
    dated = [s for s in statements if s.get(rules.dates[0]) is not None]
    if not one_per_document:
        return dated
    firsts: dict[str, dict] = {}  # the most precise dated statement of each document
    for s in dated:
        firsts.setdefault(s["_doc_id"], s)
    return list(firsts.values())


def _states(rules: TableRules, dates: set[tuple], row: dict) -> bool:
    """Whether a document stating ``dates`` also gives the date of ``row``."""
    wanted = [row.get(k) for k in rules.dates]
    return any(all(_agree(x, y) for x, y in zip(d, wanted, strict=True)) for d in dates)


def _disagreeing_documents(rules, stated, f1: _Fact, f2: _Fact) -> tuple[dict, dict] | None:
    """A dated statement of f1 and one of f2 from two documents, neither of which also gives
    the other's date (an undated mention gives no date)."""
    for s1 in f1.dated_by_document:
        if _states(rules, stated[s1["_doc_id"]], f2.row):
            continue
        for s2 in f2.dated_by_document:
            if s2["_doc_id"] != s1["_doc_id"] and not _states(rules, stated[s2["_doc_id"]], f1.row):
                return s1, s2
    return None


def _first_difference(rules: TableRules, r: dict, s: dict) -> str:
    return next(f for f in rules.dates if not _agree(r.get(f), s.get(f)))


def format_date(row: dict, fields: tuple[str, ...]) -> str | None:
    parts = [row.get(f) for f in fields]
    shown = []
    for width, p in zip((4, 2, 2), parts, strict=False):
        if p is None:
            break
        shown.append(f"{p:0{width}d}")
    return "-".join(shown) or None


def format_value(row: dict, column: str) -> str:
    q = row.get("qualifier")
    prefix = {"over": "over ", "under": "under ", "approx": "about "}.get(q, "")
    return f"{prefix}{row[column]:,.0f} {row.get('currency') or ''}".strip()


def _describe(rules: TableRules, row: dict) -> str:
    if rules.table == "trade_flows":
        return f"{row.get('flow')} {row.get('period_start')}..{row.get('period_end')} {row.get('currency')}"
    return " ".join(str(row[k]) for k in rules.identity if k not in DATE_FIELDS and row.get(k) is not None)


def _conflict_row(rules: TableRules, field: str, f1: _Fact, s1: dict, f2: _Fact, s2: dict) -> dict:
    if f2.fact_id < f1.fact_id:
        f1, s1, f2, s2 = f2, s2, f1, s1
    if field == "value":
        shown = (format_value(f1.row, rules.value), format_value(f2.row, rules.value))
        v1, v2 = float(f1.row[rules.value]), float(f2.row[rules.value])
        diff = round(abs(v1 - v2) / min(v1, v2) * 100, 2)
    else:
        shown = (format_date(f1.row, rules.dates), format_date(f2.row, rules.dates))
        diff = None
    row = {
        "conflict_id": _hash_id("conflicts", {"facts": [f1.fact_id, f2.fact_id], "field": field}),
        "table_name": rules.table,
        "field": field,
        "a_name": f1.row.get("a_name"),
        "b_name": f1.row.get("b_name"),
        "identity": _describe(rules, f1.row),
        "diff_pct": diff,
    }
    for n, f, s, v in ((1, f1, s1, shown[0]), (2, f2, s2, shown[1])):
        row |= {
            f"fact_id_{n}": f.fact_id,
            f"value_{n}": v,
            f"n_sources_{n}": f.n_sources,
            f"doc_id_{n}": s["_doc_id"],
            f"doc_name_{n}": s.get("_doc_name"),
            f"char_start_{n}": s["_ev_char_start"],
            f"char_end_{n}": s["_ev_char_end"],
            f"quote_{n}": s["_ev_quote"],
        }
    return {c: row[c] for c in CONFLICT_COLUMNS}
