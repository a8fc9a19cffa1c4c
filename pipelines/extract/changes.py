"""Changes against an earlier period, English and Russian, as a percentage: "increased by 6.4
percent" (+6.4), "17.3% less" (-17.3), "(up 2%)", "рост на 24,85%", "в 1,5 раза" (+50),
"уменьшившись в 4,8 раза" (-79.2), "more than quadrupled" (+300), "by half" (+50), "107
percent against the same period" (+7). Words live in ``data/rules/changes.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from pipelines.extract.amounts import parse_number
from pipelines.extract.folding import Folded
from pipelines.extract.memo import listing
from pipelines.extract.rulefiles import load_rules, longest_first

SIGN_WINDOW = 120  # characters before a change searched for the word that gives its direction
_NUM = r"\d+(?:[.,]\d+)?"
_CYRILLIC = re.compile(r"[а-яё]", re.I)
_BY_BEFORE = re.compile(r"(?:by|на)\s*$", re.I)
_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class Change:
    start: int
    stop: int
    text: str
    pct: float  # +50 for "1.5 times", -25 for "decreased by a quarter"


@dataclass(frozen=True, slots=True)
class _Rules:
    cues: tuple[str, ...]
    # run over folded text (``folding``): what a match says is read from the text by its spans
    up: Folded
    down: Folded
    by: Folded
    after: Folded
    noun: Folded
    times: Folded
    multiple: Folded
    level: Folded
    fractions: dict[str, float]
    multiples: dict[str, float]


def _folded(regex: str) -> Folded:
    return Folded(re.compile(regex, re.I))


@cache
def _rules() -> _Rules:
    data = load_rules("rules/changes.yaml")
    fractions = {k.casefold(): float(v) for k, v in data["fractions"].items()}
    multiples = {k.casefold(): float(v) for k, v in data["multiples"].items()}
    frac = longest_first(re.escape(k).replace(r"\ ", r"\s+") for k in fractions)
    pct, times, hedge = data["percent"], data["times"], longest_first(data["hedges"])
    up, down = longest_first(data["up"]), longest_first(data["down"])
    nouns = longest_first(data["nouns"]["up"] + data["nouns"]["down"])
    return _Rules(
        cues=tuple(c.casefold() for c in data["cues"]),
        up=_folded(rf"(?<!\w)(?:{up})(?!\w)"),
        down=_folded(rf"(?<!\w)(?:{down}|{longest_first(data['nouns']['down'])})(?!\w)"),
        by=_folded(
            rf"(?<!\w)(?:by|на)\s+(?:(?:{hedge})\s+)?"
            rf"(?:(?P<pct>{_NUM})\s*{pct}|(?P<frac>{frac})(?!\w)|(?P<times>{_NUM})\s*{times})"
        ),
        after=_folded(
            rf"(?<![\w.,])(?P<pct>{_NUM})\s*{pct}\s+(?P<dir>{up}|{down})(?!\w)"
            rf"|(?<!\w)(?P<fword>{frac})\s+(?P<fdir>{up}|{down})(?!\w)"
        ),
        noun=_folded(rf"(?<!\w)(?P<dir>{nouns})\s+(?:by\s+|на\s+)?(?P<pct>{_NUM})\s*{pct}"),
        times=_folded(rf"(?<![\w.,])(?:в\s+)?(?P<times>{_NUM}|полтора)\s*{times}(?!\w)"),
        multiple=_folded(rf"(?<!\w)(?P<mult>{longest_first(re.escape(k) for k in multiples)})(?!\w)"),
        level=_folded(rf"(?<![\w.,])(?P<pct>{_NUM})\s*{pct}\s+{data['level_after']}"),
        fractions=fractions,
        multiples=multiples,
    )


def _sign(text: str, start: int) -> int | None:
    """+1 or -1: the direction of the last change word before ``start`` ("grew ... by", "fell by")."""
    rules = _rules()
    window = text[max(0, start - SIGN_WINDOW) : start]
    ups = [m.end() for m in rules.up.finditer(window)]
    downs = [m.end() for m in rules.down.finditer(window)]
    if not ups and not downs:
        return None
    return 1 if max(ups, default=-1) > max(downs, default=-1) else -1


def _from_times(times: float, sign: int) -> float:
    """ "grew 1.5 times" -> +50; "fell 4.8 times" -> -79.2."""
    return round((times - 1) * 100, 1) if sign > 0 else round((1 / times - 1) * 100, 1)


def _fraction(word: str) -> float:
    return _rules().fractions[re.sub(r"\s+", " ", word.casefold())]


@listing(maxsize=256)
def find_changes(text: str) -> list[Change]:
    """Stated changes in ``text``, in order, non-overlapping."""
    rules = _rules()
    folded = text.casefold()
    if not any(c in folded for c in rules.cues):
        return []
    cyr = bool(_CYRILLIC.search(text))
    found: list[Change] = []

    def group(m: re.Match, name: str | int = 0) -> str | None:
        """A group of a match of folded text, as the text writes it."""
        a, b = m.span(name)
        return text[a:b] if a >= 0 else None

    def add(m: re.Match, pct: float | None) -> None:
        if pct is not None and not any(m.start() < c.stop and c.start < m.end() for c in found):
            found.append(Change(m.start(), m.end(), group(m), pct))

    def signed(word: str) -> int:
        return -1 if rules.down.fullmatch(word) else 1

    for m in rules.noun.finditer(text):  # "(up 2%)", "рост на 24,85%"
        add(m, signed(group(m, "dir")) * parse_number(group(m, "pct"), cyr))
    for m in rules.after.finditer(text):  # "17.3% less", "a third higher"
        if group(m, "pct"):
            add(m, signed(group(m, "dir")) * parse_number(group(m, "pct"), cyr))
        else:
            add(m, signed(group(m, "fdir")) * _fraction(group(m, "fword")))
    for m in rules.by.finditer(text):  # "increased by 6.4 percent", "decreased by a quarter"
        sign = _sign(text, m.start())
        if sign is None:
            continue
        if group(m, "pct"):
            add(m, sign * parse_number(group(m, "pct"), cyr))
        elif group(m, "frac"):
            add(m, sign * _fraction(group(m, "frac")))
        else:
            add(m, _from_times(parse_number(group(m, "times"), cyr), sign))
    for m in rules.level.finditer(text):  # "107 percent against the same period"
        if not _BY_BEFORE.search(text[max(0, m.start() - 6) : m.start()]):
            add(m, round(parse_number(group(m, "pct"), cyr) - 100, 1))
    for m in rules.times.finditer(text):  # "в 1,5 раза", "2.3 times": up unless a word says down
        sign = _sign(text, m.start()) or 1
        t = 1.5 if group(m, "times").casefold() == "полтора" else parse_number(group(m, "times"), cyr)
        if t and t > 1:
            add(m, _from_times(t, sign))
    for m in rules.multiple.finditer(text):  # "more than quadrupled", "вдвое"
        add(m, _from_times(rules.multiples[group(m, "mult").casefold()], 1))
    found.sort(key=_START)
    return found
