"""Periods that figures are stated for, English and Russian: "in 2019", "January-February 2021",
"for the first half of 2024", "over the five months of 2021", "in three quarters of 2018",
"in 2016-2019", "last year", "за январь-сентябрь 2024 г.", "в первом полугодии".

A period is a run of whole months, (year, month) of its first and of its last month. Forms live
in ``data/rules/periods.yaml``; whole years and single months come from ``dates.find_dates``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from pipelines.extract.amounts import parse_number
from pipelines.extract.dates import find_dates, month_of, month_stems
from pipelines.extract.folding import Folded, GuardedFolded
from pipelines.extract.memo import listing
from pipelines.extract.rulefiles import load_rules

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    stop: int
    text: str
    first: tuple[int, int]  # (year, month) of the first month
    last: tuple[int, int]  # (year, month) of the last month
    resolved: str = "stated"  # stated | relative (from the document's date) | context (an earlier year)


@dataclass(frozen=True, slots=True)
class _Rules:
    # run over folded text (``folding``): what a match says is read from the text by its spans
    forms: list[tuple[str, GuardedFolded, tuple[str, ...]]]  # tried only where the words they need are
    need_words: frozenset[str]  # the words the forms need, all together
    year_span: Folded
    relative: Folded
    relative_offsets: list[tuple[re.Pattern, int]]
    ordinals: list[tuple[re.Pattern, int]]


@cache
def _rules() -> _Rules:
    data = load_rules("rules/periods.yaml")
    month = "|".join(s for stems in month_stems().values() for s in stems)
    relative = "|".join(p for ps in data["relative_years"].values() for p in ps)
    bracket = data["bracket_year"]
    year = (
        r"(?:(?P<year>(?:19|20)\d\d)(?!\d)(?:\s*(?:года|году|год|г\.|г(?!\w)))?"
        rf"|(?P<rel>{relative})(?:{bracket})?"
        rf"|(?P<ctx>{'|'.join(data['context_year'])})(?!\w))"
    )
    ordinal = "|".join(p for ps in data["ordinals"].values() for p in ps)
    count = r"\d{1,2}|[a-zа-яё]+"
    subs = {
        "{M1}": rf"(?P<m1>{month})(?!\w)\.?",
        "{M2}": rf"(?P<m2>{month})(?!\w)\.?",
        "{N}": rf"(?P<n>{count})",
        "{ORD}": rf"(?P<ord>{ordinal})",
        "{YEAR}": year,
    }
    forms = []
    for form in data["forms"]:
        regex = form["regex"]
        for k, v in subs.items():
            regex = regex.replace(k, v)
        needs = tuple(w.casefold() for w in form.get("needs", ()))
        forms.append((form["kind"], GuardedFolded(re.compile(rf"(?<!\w){regex}", re.I)), needs))
    return _Rules(
        forms=forms,
        need_words=frozenset(w for _, _, needs in forms for w in needs),
        year_span=Folded(re.compile(rf"(?<![\d.,-]){data['year_span']}", re.I)),
        relative=Folded(re.compile(rf"(?<!\w)(?P<rel>{relative})(?!\w)(?:{bracket})?", re.I)),
        relative_offsets=[
            (re.compile(rf"(?:{'|'.join(ps)})", re.I), int(k)) for k, ps in data["relative_years"].items()
        ],
        ordinals=[(re.compile(rf"(?:{'|'.join(ps)})", re.I), int(k)) for k, ps in data["ordinals"].items()],
    )


def _ordinal(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    for pattern, k in _rules().ordinals:
        if pattern.fullmatch(word):
            return k
    return None


def _relative_offset(word: str) -> int | None:
    for pattern, k in _rules().relative_offsets:
        if pattern.fullmatch(word):
            return k
    return None


def _months(kind: str, g: dict) -> tuple[int, int] | None:
    if kind == "month_range":
        m1, m2 = month_of(g["m1"]), month_of(g["m2"])
        return (m1, m2) if m1 and m2 and m1 <= m2 else None
    if kind in ("first_months", "first_quarters"):
        n = parse_number(g["n"])
        per = 3 if kind == "first_quarters" else 1
        return (1, int(n) * per) if n and n == int(n) and 1 <= n * per <= 12 else None
    k = _ordinal(g["ord"])
    if k is None:
        return None
    if kind == "half":
        return (1, 6) if k == 1 else (7, 12) if k == 2 else None
    return (3 * k - 2, 3 * k)  # quarter


@listing(maxsize=256)
def find_periods(text: str, own_year: int | None = None) -> list[Period]:
    """Non-overlapping periods in ``text``, in order. ``own_year`` is the document's own year
    (for "this year", "last year"); a form without a year ("in the first half of the year")
    takes the nearest year stated before it, else ``own_year``."""
    rules = _rules()
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    def year_of(g: dict, start: int) -> tuple[int | None, str]:
        if g.get("year"):
            return int(g["year"]), "stated"
        if g.get("byear"):
            return int(g["byear"]), "stated"
        if g.get("rel"):
            offset = _relative_offset(g["rel"])
            return (own_year + offset if own_year and offset is not None else None), "relative"
        earlier = [int(y) for y in _YEAR.findall(text[:start])]
        return (earlier[-1] if earlier else own_year), "context"

    folded = text.casefold()
    present = {w for w in rules.need_words if w in folded}
    for kind, pattern, needs in rules.forms:
        if needs and present.isdisjoint(needs):
            continue  # cheap: the form's key word is not in the text
        for m in pattern.finditer(text):
            start, stop = m.span()
            if not free(start, stop):
                continue
            g = _groups(text, m)
            months = _months(kind, g)
            year, how = year_of(g, start)
            if months is None or year is None:
                continue
            found.append(Period(start, stop, text[start:stop], (year, months[0]), (year, months[1]), how))
            taken.append((start, stop))
    stated_year = _YEAR.search(text) is not None
    for m in rules.year_span.finditer(text) if stated_year else ():
        start, stop = m.span()
        y1, y2 = int(text[slice(*m.span("y1"))]), int(text[slice(*m.span("y2"))])
        if free(start, stop) and y1 < y2:
            found.append(Period(start, stop, text[start:stop], (y1, 1), (y2, 12)))
            taken.append((start, stop))
    for m in rules.relative.finditer(text) if ("year" in folded or "год" in folded) else ():
        start, stop = m.span()
        if not free(start, stop):
            continue
        year, how = year_of(_groups(text, m), start)
        if year is not None:
            found.append(Period(start, stop, text[start:stop], (year, 1), (year, 12), how))
            taken.append((start, stop))
    for d in find_dates(text) if stated_year else ():
        if d.day is not None or not free(d.start, d.stop):
            continue  # a day is an event's date, not a period of trade
        first, last = (d.month or 1), (d.month or 12)
        found.append(Period(d.start, d.stop, d.text, (d.year, first), (d.year, last)))
    found.sort(key=_START)
    return found


def unanchored(text: str, own_year: int | None) -> bool:
    """``text`` counts a year back from the document's date ("last year", "в прошлом году") and the
    document gives no date: that year is unknown, not the year of another sentence. ("This year" on
    an undated page is taken to be the year the text is about, see ``trade_flows``.)"""
    if own_year is not None:
        return False
    return any(_relative_offset(_groups(text, m)["rel"]) != 0 for m in _rules().relative.finditer(text))


def _groups(text: str, m: re.Match) -> dict[str, str | None]:
    """The named groups of a match of folded text, as the text writes them."""
    return {name: text[a:b] if a >= 0 else None for name in m.re.groupindex for a, b in (m.span(name),)}
