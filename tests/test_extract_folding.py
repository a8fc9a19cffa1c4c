"""Case-insensitive rules run over folded text (pipelines/extract/folding.py) answer as the rules
themselves, and dates read with them (pipelines/extract/dates.py) are those the forms state."""

from __future__ import annotations

import re

import pytest

from pipelines.extract.dates import PrefixDates, find_dates
from pipelines.extract.folding import FirstRule, Folded, fold, folded_pattern

TRICKY = [
    "Товарооборот ВЫРОС до 5 млрд долларов; EXPORTS of ſteel (ſ is an s) and İMPORTS fell.",
    "The KELVIN sign K and the Kelvin k; Greek ΙΟΝΙΑ and ιota; ΣΟΦΟΣ, σοφος.",
    "trade turnover between Belarus and Russia; TRADE TURNOVER; Trade-Turnover",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fold_keeps_length_and_kinds_of_characters(text):
    folded = fold(text)
    assert len(folded) == len(text)
    for a, b in zip(text, folded, strict=True):
        assert (a.isalnum(), a.isspace(), a.isdecimal()) == (b.isalnum(), b.isspace(), b.isdecimal())


@pytest.mark.parametrize(
    "regex",
    [
        r"(?<!\w)(?:trade\s+turnover|exports?|imports?|steel|kelvin|k)(?!\w)",
        r"(?<!\w)(?P<up>вырос\w*|рост)|(?P<down>fell|снизил\w*)",
        r"[a-zа-яё]+",
        r"\b(?:ιοτα|ιονια|σοφοσ)\b",
        r"(?<!\w)(?:the\s+(?:two|both)\s+countries|our\s+countries)(?!\w)",
    ],
)
def test_folded_rules_find_what_the_rules_find(regex):
    pattern = re.compile(regex, re.I)
    folded = Folded(pattern)
    for text in TRICKY:
        expected = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in folded.finditer(text)] == expected
        first = pattern.search(text)
        found = folded.search(text)
        assert (found and found.span()) == (first and first.span())


def test_a_rule_with_case_sensitive_words_is_not_folded():
    assert folded_pattern(re.compile(r"(?-i:May)|june", re.I)) is None
    may = Folded(re.compile(r"(?<!\w)(?-i:may)(?!\w)", re.I))
    assert may.search("In May 2024") is None
    assert may.search("it may grow").span() == (3, 6)


def test_first_rule_is_the_leftmost_then_the_one_listed_first():
    rules = FirstRule({"target": ["plan\\w*", "(?-i:may)"], "company": ["(?-i:[A-Z]{2,6})'s", "plant"]})
    assert rules.first("the plant may reach") == "target"  # "plan\w*" and "plant": target is first
    assert rules.first("the MTZ's plan") == "company"  # the leftmost
    assert rules.first("In May the plans of MAZ") == "target"
    assert rules.first("In May, MAY and MAZ's") == "company"  # "May" is not "may"
    assert rules.first("nothing here") is None
    for text in ["the plant may reach", "In May, MAY and MAZ's", "PLANT of BMZ's", "may MTZ's"]:
        plain = rules.pattern.search(text)
        assert rules.first(text) == (plain and plain.lastgroup)


@pytest.mark.parametrize(
    "text, dates",
    [
        ("The agreement was signed on 11 June 2025 in Minsk.", [("11 June 2025", 2025, 6, 11)]),
        (
            "Signed June 11, 2025, and ratified in September 2015.",
            [("June 11, 2025", 2025, 6, 11), ("September 2015", 2015, 9, None)],
        ),
        ("ПОДПИСАНО 20 МАРТА 2020 Г. в Москве", [("20 МАРТА 2020 Г.", 2020, 3, 20)]),
        ("в мае 1999 года и 11.06.2025", [("мае 1999 года", 1999, 5, None), ("11.06.2025", 2025, 6, 11)]),
        ("2025-11-26 15:26 Минск", [("2025-11-26", 2025, 11, 26)]),  # ISO 8601, a site's date stamp
        ("on 32 June 2019 (a typo)", [("June 2019", 2019, 6, None)]),  # no 32nd: the month and year
        ("in 2016-2019 and the 1990s", []),
        ("ſeptember 5, 2019", [("ſeptember 5, 2019", 2019, 9, 5)]),  # re.IGNORECASE takes ſ for s
    ],
)
def test_dates_in_running_text(text, dates):
    assert [(d.text, d.year, d.month, d.day) for d in find_dates(text)] == dates


def test_dates_before_each_offset_are_those_of_the_text_before_it():
    text = "Visit of 5 May 2021. Talks in June 2022; signed on 01.02.2023, in force in 2024 году."
    dates = PrefixDates(text)
    for stop in range(len(text) + 1):
        assert list(dates.before(stop)) == find_dates(text[:stop]), stop
