"""Money amounts in running text, English and Russian: "$121 million", "\\$25.1 billion",
"USD 2.5 billion", "54 billion dollars", "half a billion US dollars", "6.7 billion Russian
rubles", "1,2 млрд долларов", "4,5 млрд долл. США", "свыше 300 млн. долларов", "полмиллиарда
рублей", "17, 5 миллиона долларов".

Each mention carries its offsets, its value in whole currency units and its ISO 4217 code.
Number words, scale words and currency words live in ``data/rules/numbers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from pipelines.extract.folding import Folded
from pipelines.extract.memo import listing
from pipelines.extract.rulefiles import load_rules, longest_first

_CYRILLIC = re.compile(r"[а-яё]", re.I)
_BEFORE_CUE = (
    90  # characters before a currency cue that an amount may start at ("three and a half billion ...")
)
_AFTER_CUE = 40
_SPACES = "[ \u00a0\u2009\u202f]"
_GROUPS = ("pre", "pnum", "pscale", "num", "scale", "post", "major", "mscale")
_RUN_OF_SPACES = re.compile(r"\s+")
_WORD_SEPARATORS = re.compile(r"[\s-]+")
_DIGIT_SPACES = re.compile(_SPACES)
_COMMA_SPACE = re.compile(r",\s")
_SEPARATORS = re.compile(r"[.,]")


@dataclass(frozen=True, slots=True)
class Amount:
    start: int
    stop: int
    text: str
    value: float  # whole currency units
    currency: str  # ISO 4217
    scale: float = 1.0  # the scale word's factor (1e6 for "million"), 1.0 without one


@dataclass(frozen=True, slots=True)
class _Lexicon:
    pattern: Folded  # run over folded text: take the words from the text by their spans
    words: dict[str, float]
    fractions: dict[str, float]
    scales: list[tuple[re.Pattern, float]]
    currencies: list[tuple[re.Pattern, str]]
    half_prefix: re.Pattern
    and_a_half: re.Pattern
    shared_before: re.Pattern
    cue_literals: ahocorasick.Automaton
    longest_cue: int
    cue: re.Pattern


@cache
def lexicon() -> _Lexicon:
    data = load_rules("rules/numbers.yaml")
    words = {str(k).casefold(): float(v) for k, v in data["number_words"].items()}
    fractions = {str(k).casefold(): float(v) for k, v in data["fraction_words"].items()}
    half = longest_first(data["and_a_half"])
    word = longest_first(re.escape(w) for w in words)
    fraction = longest_first(re.escape(f).replace(r"\ ", r"\s+") for f in fractions)
    word_number = rf"(?:{fraction}|(?:{word})(?:[\s-]+(?:{word}))*(?:\s+(?:{half}))?)(?!\w)"
    digits = (
        rf"\d{{1,3}}(?:{_SPACES}\d{{3}})+(?:[.,]\d+)?(?!\d)"  # 1 200 000, 15 000,5
        r"|\d+(?:[.,]\d+)*"
    )
    scale_alts = {float(v): longest_first(p) for v, p in data["scales"].items()}
    scale = rf"(?:{data['half_prefix']})?(?:{longest_first(scale_alts.values())})"
    glued_decimal = rf"\d+,\s\d{{1,2}}(?=\s*(?:{scale}))"  # "17, 5 миллиона" (a typed space)
    number = rf"(?:{glued_decimal}|{digits}|{word_number})"
    before = longest_first(p for c in data["currencies"].values() for p in c["before"])
    after = longest_first(p for c in data["currencies"].values() for p in c["after"])
    pattern = re.compile(
        rf"(?<![\w.,])(?:"
        rf"(?P<pre>{before})\s?(?P<pnum>{number})(?:\s*(?P<pscale>{scale})(?![^\W\d_]))?"
        rf"|(?:(?P<major>{digits})\s*(?P<mscale>{scale})\s+(?=\d))?"  # "1 млрд 200 млн долларов"
        rf"(?:(?P<num>{number})\s*)?(?:(?P<scale>{scale})\s*)?(?P<post>{after})(?![^\W\d_]|\$)"
        rf")",
        re.I,
    )
    lookahead = re.compile(r"\(\?=[^)]*\)")
    currencies = [
        (re.compile(lookahead.sub("", longest_first(c["before"] + c["after"])), re.I), code)
        for code, c in data["currencies"].items()
    ]
    cue_literals = automaton(data["cue_words"], data["cue_codes"])
    return _Lexicon(
        pattern=Folded(pattern),
        words=words,
        fractions=fractions,
        scales=[(re.compile(p, re.I), v) for v, p in scale_alts.items()],
        currencies=currencies,
        half_prefix=re.compile(rf"^(?:{data['half_prefix']})(?=\w)", re.I),
        and_a_half=re.compile(rf"\s+(?:{half})$", re.I),
        shared_before=re.compile(rf"(?<![\w.,])(?P<num>{digits})\s*(?:to|and|or|-|–|—|до|и)\s*$", re.I),
        cue_literals=cue_literals,
        longest_cue=max(cue_literals.values()),
        cue=re.compile(data["cue"], re.I),
    )


def automaton(words, exact=()) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton of ``words`` in lower, Capitalised and UPPER case and of
    ``exact`` as written; the values are the lengths."""
    a = ahocorasick.Automaton()
    for form in {v for w in words for v in (w, w.lower(), w.capitalize(), w.upper())} | set(exact):
        a.add_word(form, len(form))
    a.make_automaton()
    return a


def currency_cues(text: str, start: int = 0, stop: int | None = None) -> list[int]:
    """Offsets of currency cues ("$", "USD", "dollars", "руб"), in order: one pass of a literal
    automaton, each hit confirmed by the cue pattern. Cheap: for prefiltering sentences. Only
    cues starting between ``start`` and ``stop`` (a part of the text) when these are given."""
    lex = lexicon()
    stop = len(text) if stop is None else min(stop, len(text))
    if start >= stop:
        return []
    found = []
    # a cue starting before ``stop`` may end after it
    for end, length in lex.cue_literals.iter(text, start, min(len(text), stop + lex.longest_cue)):
        begin = end - length + 1
        if begin < stop and lex.cue.match(text, begin):
            found.append(begin)
    return found


def parse_number(token: str, cyrillic: bool = False) -> float | None:
    """A number written in digits ("1,2", "1,041", "1 200", "25.1") or words ("three and a
    half", "twenty-five", "полтора"). ``cyrillic``: Russian conventions (a comma is decimal)."""
    lex = lexicon()
    token = token.strip()
    if not token:
        return None
    if token[0].isdigit():
        return _parse_digits(token, cyrillic)
    folded = _RUN_OF_SPACES.sub(" ", token.casefold())
    if folded in lex.fractions:
        return lex.fractions[folded]
    extra = 0.0
    m = lex.and_a_half.search(folded)
    if m:
        extra, folded = 0.5, folded[: m.start()]
    total = 0.0
    for w in _WORD_SEPARATORS.split(folded):
        v = lex.words.get(w)
        if v is None:
            return None
        total = max(total, 1.0) * v if v == 100 else total + v
    return total + extra


def _parse_digits(token: str, cyrillic: bool) -> float | None:
    s = _DIGIT_SPACES.sub("", token)
    s = _COMMA_SPACE.sub(",", s)
    if "," in s and "." in s:  # the last separator is the decimal one
        dec = max(s.rfind(","), s.rfind("."))
        s = _SEPARATORS.sub("", s[:dec]) + "." + s[dec + 1 :]
    elif "," in s:
        groups = s.split(",")
        thousands = all(len(g) == 3 for g in groups[1:]) and (len(groups) > 2 or not cyrillic)
        s = "".join(groups) if thousands else ".".join(["".join(groups[:-1]), groups[-1]])
    elif s.count(".") > 1:
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _scale_of(word: str | None) -> float:
    if not word:
        return 1.0
    lex = lexicon()
    factor = 1.0
    m = lex.half_prefix.match(word)
    if m:
        factor, word = 0.5, word[m.end() :]
    for pattern, value in lex.scales:
        if pattern.fullmatch(word):
            return factor * value
    return factor


@lru_cache(maxsize=256)
def currency_of(word: str) -> str | None:
    for pattern, code in lexicon().currencies:
        if pattern.fullmatch(word.strip()):
            return code
    return None


@listing(maxsize=256)
def find_amounts(text: str) -> list[Amount]:
    """Money amounts in ``text``, in order. A bare number joined by "to"/"and" to an amount
    ("from 15.4 to 41.3 million dollars") is an amount too, with that amount's scale and currency."""
    lex = lexicon()
    found: list[Amount] = []
    for m in _matches(text):
        cyrillic = bool(_CYRILLIC.search(text, max(0, m.start() - 40), m.end() + 40))
        # the match is of folded text: its words are taken from the text
        pre, pnum, pscale, num, scale_w, post, major, mscale = (
            text[a:b] if a >= 0 else None for a, b in map(m.span, _GROUPS)
        )
        if pre:
            number, scale_word, cur = pnum, pscale, pre
        else:
            number, scale_word, cur = num, scale_w, post
        if not number and scale_word and lex.half_prefix.match(scale_word):
            number = "1"  # полмиллиарда: the half is the scale's
        if not number or (not number[0].isdigit() and not scale_word):
            continue  # "dollars", "a dollar": number words only count with a scale word
        value = parse_number(number, cyrillic)
        code = currency_of(cur)
        if value is None or code is None:
            continue
        stop = m.end()
        if pre and not scale_word:
            stop = m.end("pnum")
        scale = _scale_of(scale_word)
        value *= scale
        if major:
            major_value, major_scale = parse_number(major, cyrillic), _scale_of(mscale)
            if major_value is None or major_scale <= scale:
                continue
            value += major_value * major_scale
        amount = Amount(m.start(), stop, text[m.start() : stop], round(value, 2), code, scale)
        shared = lex.shared_before.search(text, max(0, m.start() - 30), m.start()) if scale_word else None
        if shared and not pre:
            first = parse_number(shared.group("num"), cyrillic)
            if first is not None:
                found.append(
                    Amount(
                        shared.start(),
                        shared.end("num"),
                        shared.group("num"),
                        round(first * scale, 2),
                        code,
                        scale,
                    )
                )
        found.append(amount)
    return _adopt_scales(found)


def _matches(text: str):
    """Matches of the amount pattern, looked for only around currency cues."""
    windows: list[list[int]] = []
    for cue in currency_cues(text):
        lo, hi = max(0, cue - _BEFORE_CUE), min(len(text), cue + _AFTER_CUE)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    pattern = lexicon().pattern
    last = -1
    for lo, hi in windows:
        for m in pattern.finditer(text, lo, hi):
            if m.start() >= last:
                last = m.end()
                yield m


def _adopt_scales(amounts: list[Amount]) -> list[Amount]:
    """ "$15.4 to $41.3 million": an unscaled amount right before a scaled one of the same
    currency, joined by "to"/"and", takes its scale."""
    out = list(amounts)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.scale == 1.0 and b.scale > 1.0 and a.currency == b.currency and 0 < b.start - a.stop <= 6:
            out[i] = Amount(a.start, a.stop, a.text, round(a.value * b.scale, 2), a.currency, b.scale)
    return out
