"""Calendar dates in running text, English and Russian: "11 June 2025", "June 11, 2025",
"in September 2015", "в мае 1999 года", "20 марта 2020 г.", "11.06.2025", "2025-06-11", "в 2024 году".

Each mention carries its offsets and as much precision as the text gives (year, month, day).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter

import ahocorasick

from pipelines.extract.folding import fold_part, folded_pattern, heads, matches_at
from pipelines.extract.literals import automaton
from pipelines.extract.memo import listing
from pipelines.extract.rulefiles import load_rules


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    stop: int
    text: str
    year: int
    month: int | None = None
    day: int | None = None


@cache
def month_stems() -> dict[int, list[str]]:
    return {int(k): v for k, v in load_rules("months.yaml").items()}


@cache
def _month_pattern() -> re.Pattern:
    alternatives = [
        f"(?P<m{month}_{i}>{stem})" for month, stems in month_stems().items() for i, stem in enumerate(stems)
    ]
    return re.compile("(?:" + "|".join(alternatives) + ")", re.I)


@lru_cache(maxsize=512)
def month_of(word: str) -> int | None:
    m = _month_pattern().fullmatch(word.strip())
    if not m:
        return None
    return int(m.lastgroup.split("_")[0][1:])


def _month_alternation() -> str:
    return "|".join(s for stems in month_stems().values() for s in stems)


@dataclass(frozen=True, slots=True)
class _Form:
    pattern: re.Pattern  # run over folded text when it can be (``folding``), else over the text
    on_folded: bool
    names_month: bool  # the month is a word ("June"), tried only where one is
    at_month: bool  # every match starts with the month word: tried only where one starts
    month_group: str | None  # "month" (a word), "num_month" (digits) or none
    has_day: bool


@cache
def _forms() -> list[_Form]:
    """The forms of a date, the most precise first."""
    month = "(?P<month>" + _month_alternation() + r")(?![\w])\.?"
    year_tail = r"(?:\s*(?:года|году|год|г\.|гг\.|г\b))?"
    year = r"(?P<year>(?:19|20)\d\d)(?!\d)"
    day = r"(?P<day>[0-3]?\d)"
    forms = [
        (rf"\b{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}\s*,?\s*{year}{year_tail}", True),
        (rf"\b{month}\s+{day}(?:st|nd|rd|th)?\s*,\s*{year}", True),
        (rf"\b{month}\s*,?\s+(?:of\s+)?{year}{year_tail}", True),
        (rf"\b{day}\.(?P<num_month>[01]?\d)\.{year}", False),
        (rf"\b{year}-(?P<num_month>[01]\d)-(?P<day>[0-3]\d)(?!\d)", False),  # ISO 8601, "2025-11-26"
        # a lone year; not the end of a span ("2024–2025") nor a decade ("the 1990s")
        (rf"(?<![\d.,\-–—]){year}{year_tail}(?![\d\-–—]|s\b|\s*[-–—]\s*(?:19|20)\d\d)", False),
    ]
    out = []
    for regex, names_month in forms:
        pattern = re.compile(regex, re.I)
        groups = pattern.groupindex
        month_group = "month" if "month" in groups else "num_month" if "num_month" in groups else None
        at_month = regex.startswith(r"\b(?P<month>") and _month_heads() is not None
        run = folded_pattern(pattern)
        on_folded = run is not None
        out.append(_Form(run or pattern, on_folded, names_month, at_month, month_group, "day" in groups))
    return out


@cache
def _month_heads() -> ahocorasick.Automaton | None:
    """The heads of the month names as folded text (``folding.fold``) holds them: where none is,
    no month name starts. None if a name may start otherwise."""
    found = heads(re.compile(_month_alternation(), re.I))
    return automaton({head: len(head) for head in found}) if found else None


def _month_starts(window: str, start: int) -> list[int] | None:
    """Where a month name may start in the folded ``window`` from ``start`` on, in order; None
    if we cannot tell."""
    month_heads = _month_heads()
    if month_heads is None:
        return None
    return sorted({end - size + 1 for end, size in month_heads.iter(window, start)})


_YEAR_CUE = re.compile(r"(?:19|20)\d\d")
_START = attrgetter("start")
# Every form holds a year; the longest reaches this far before it ("30th of September, 2015")
# and after it ("2024 году"). Searching only these windows keeps the month alternations off
# the rest of the text.
_BEFORE_YEAR, _AFTER_YEAR = 48, 12


def _windows(text: str) -> list[tuple[int, int, int]]:
    """The windows around the years of ``text``, overlapping ones merged: (start, stop, index of
    the window's last year)."""
    out: list[tuple[int, int, int]] = []
    for k, m in enumerate(_YEAR_CUE.finditer(text)):
        start, stop = max(0, m.start() - _BEFORE_YEAR), min(len(text), m.end() + _AFTER_YEAR)
        if out and start <= out[-1][1]:
            start = out.pop()[0]
        out.append((start, stop, k))
    return out


def _in_window(text: str, start: int, stop: int) -> list[DateMention]:
    """The dates of one window, the most precise reading first where two overlap. Windows are
    disjoint and a match never leaves its window, so each is read on its own."""
    # The forms run over the window folded, with the one character before it that their
    # look-behinds see; offsets in it are ``lo`` less than in the text.
    lo = max(0, start - 1)
    plain = text[lo:stop]
    window = fold_part(plain)
    begin, end = start - lo, stop - lo
    found: list[DateMention] = []
    month_starts: list[int] | None = None
    checked = False
    for form in _forms():
        target = window if form.on_folded else plain
        if form.names_month:
            if not checked:
                month_starts, checked = _month_starts(window, begin), True
            if month_starts == []:
                continue  # no month name in the window
        if form.at_month and month_starts is not None:
            matches = matches_at(form.pattern, target, month_starts, end)
        else:
            matches = form.pattern.finditer(target, begin, end)
        month_group, has_day = form.month_group, form.has_day
        for m in matches:
            a, b = m.span()
            if found and any(a < d.stop - lo and d.start - lo < b for d in found):
                continue
            if month_group is None:
                month = None
            elif month_group == "month":
                month = month_of(plain[slice(*m.span("month"))])
            else:
                month = int(plain[slice(*m.span("num_month"))])
            day = int(plain[slice(*m.span("day"))]) if has_day else None
            if month is not None and not 1 <= month <= 12:
                continue
            if day is not None and not 1 <= day <= 31:
                continue
            year = int(plain[slice(*m.span("year"))])
            found.append(DateMention(a + lo, b + lo, plain[a:b], year, month, day))
    if len(found) > 1:
        found.sort(key=_START)
    return found


@listing(maxsize=1024)  # several extractors read the same sentences
def find_dates(text: str) -> list[DateMention]:
    """Non-overlapping date mentions, the most precise reading first where two overlap."""
    return [d for start, stop, _ in _windows(text) for d in _in_window(text, start, stop)]


class PrefixDates:
    """``find_dates(text[:stop])`` for many ``stop`` of one text (a document's dates before each
    of its sentences), each window around a year read once and only as far as asked. The
    windows of ``text[:stop]`` are those of the whole text that end by ``stop``, and at most one
    more: the next window, cut short after its last year that ends by ``stop``."""

    def __init__(self, text: str):
        self.text = text
        self._cues = _YEAR_CUE.finditer(text)
        self._cue_stops: list[int] = []
        self._windows: list[tuple[int, int, int]] = []  # as ``_windows`` gives them, read so far
        self._last_start = 0
        self._done = False
        self._read: dict[tuple[int, int], list[DateMention]] = {}

    def _read_to(self, limit: int) -> None:
        """Read years until one starts too far after ``limit`` to join a window ending by it:
        then the windows ending by ``limit`` are final and every year ending by it is read."""
        while not self._done and (not self._cue_stops or self._last_start - _BEFORE_YEAR <= limit):
            m = next(self._cues, None)
            if m is None:
                self._done = True
                break
            start, stop = max(0, m.start() - _BEFORE_YEAR), min(len(self.text), m.end() + _AFTER_YEAR)
            if self._windows and start <= self._windows[-1][1]:
                start = self._windows.pop()[0]
            self._windows.append((start, stop, len(self._cue_stops)))
            self._cue_stops.append(m.end())
            self._last_start = m.start()

    def _dates(self, start: int, stop: int) -> list[DateMention]:
        if (start, stop) not in self._read:
            self._read[start, stop] = _in_window(self.text, start, stop)
        return self._read[start, stop]

    def before(self, stop: int) -> Iterator[DateMention]:
        """The dates of ``find_dates(text[:stop])`` in order, each window read only when reached."""
        limit = min(stop, len(self.text))
        self._read_to(limit)
        windows = self._windows if self._done else self._windows[:-1]  # the last may still grow
        whole = 0
        while whole < len(windows) and windows[whole][1] <= limit:
            yield from self._dates(*windows[whole][:2])
            whole += 1
        if whole < len(self._windows):
            last = bisect.bisect_right(self._cue_stops, limit) - 1  # a year cut by ``stop`` is none
            first = self._windows[whole - 1][2] + 1 if whole else 0  # the next window's first year
            if last >= first:
                yield from self._dates(
                    self._windows[whole][0], min(limit, self._cue_stops[last] + _AFTER_YEAR)
                )
