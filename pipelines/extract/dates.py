"""Calendar dates in running text, English and Russian: "11 June 2025", "June 11, 2025",
"in September 2015", "в мае 1999 года", "20 марта 2020 г.", "11.06.2025", "в 2024 году".

Each mention carries its offsets and as much precision as the text gives (year, month, day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


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
    data = resources.files("pipelines.data").joinpath("months.yaml").read_text(encoding="utf-8")
    return {int(k): v for k, v in yaml.safe_load(data).items()}


@cache
def _month_pattern() -> re.Pattern:
    alternatives = [
        f"(?P<m{month}_{i}>{stem})" for month, stems in month_stems().items() for i, stem in enumerate(stems)
    ]
    return re.compile("(?:" + "|".join(alternatives) + ")", re.I)


def month_of(word: str) -> int | None:
    m = _month_pattern().fullmatch(word.strip())
    if not m:
        return None
    return int(m.lastgroup.split("_")[0][1:])


@cache
def _forms() -> list[re.Pattern]:
    month = "(?P<month>" + "|".join(s for stems in month_stems().values() for s in stems) + r")(?![\w])\.?"
    year_tail = r"(?:\s*(?:года|году|год|г\.|гг\.|г\b))?"
    year = r"(?P<year>(?:19|20)\d\d)(?!\d)"
    day = r"(?P<day>[0-3]?\d)"
    return [
        re.compile(rf"\b{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}\s*,?\s*{year}{year_tail}", re.I),
        re.compile(rf"\b{month}\s+{day}(?:st|nd|rd|th)?\s*,\s*{year}", re.I),
        re.compile(rf"\b{month}\s*,?\s+(?:of\s+)?{year}{year_tail}", re.I),
        re.compile(rf"\b{day}\.(?P<num_month>[01]?\d)\.{year}", re.I),
        # a lone year; not the end of a span ("2024–2025") nor a decade ("the 1990s")
        re.compile(rf"(?<![\d.,\-–—]){year}{year_tail}(?![\d\-–—]|s\b|\s*[-–—]\s*(?:19|20)\d\d)", re.I),
    ]


_YEAR_CUE = re.compile(r"(?:19|20)\d\d")
# Every form holds a year; the longest reaches this far before it ("30th of September, 2015")
# and after it ("2024 году"). Searching only these windows keeps the month alternations off
# the rest of the text.
_BEFORE_YEAR, _AFTER_YEAR = 48, 12


def _windows(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _YEAR_CUE.finditer(text):
        start, stop = max(0, m.start() - _BEFORE_YEAR), min(len(text), m.end() + _AFTER_YEAR)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], stop)
        else:
            out.append((start, stop))
    return out


def find_dates(text: str) -> list[DateMention]:
    """Non-overlapping date mentions, the most precise reading first where two overlap."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    windows = _windows(text)
    for pattern in _forms():
        for m in (m for start, stop in windows for m in pattern.finditer(text, start, stop)):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            g = m.groupdict()
            month = (
                int(g["num_month"])
                if g.get("num_month")
                else (month_of(g["month"]) if g.get("month") else None)
            )
            day = int(g["day"]) if g.get("day") else None
            if month is not None and not 1 <= month <= 12:
                continue
            if day is not None and not 1 <= day <= 31:
                continue
            found.append(DateMention(m.start(), m.end(), m.group(0), int(g["year"]), month, day))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
