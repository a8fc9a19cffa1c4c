"""Cheap literal tests in front of costly regular expressions.

A long alternation of rules is tried at every position of a sentence, and most sentences hold
none of the words the rules need. ``needed(pattern)`` reads the parsed pattern and returns a set
of strings one of which occurs in every match (the most selective such set); one pass of an
Aho-Corasick automaton over the text then tells whether, or which, rules can match at all, and
only those are run. The answers are exactly the regex's own, only sooner.

A case-insensitive pattern's strings are compared on ``folded`` text: each character by its
simple lower case and the few characters the regex engine also takes for one another ("σ" and
"ς", "s" and "ſ") as one, which is how ``re.IGNORECASE`` compares them. A pattern ``needed``
cannot reason about (an alternative that needs no literal, a locale-dependent one) is always run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from re import _casefix, _parser
from re import _constants as c

import ahocorasick

from pipelines.extract.memo import memoised

_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)


def case_classes() -> list[set[int]]:
    """The classes of characters re.IGNORECASE takes for one another beyond their lower case
    ("σ" and "ς", "s" and "ſ"), from re's own table of them."""
    classes: list[set[int]] = []
    seen: set[int] = set()
    for char in _casefix._EXTRA_CASES:
        if char in seen:
            continue
        members, todo = {char}, [char]
        while todo:
            for other in _casefix._EXTRA_CASES.get(todo.pop(), ()):
                if other not in members:
                    members.add(other)
                    todo.append(other)
        seen |= members
        classes.append(members)
    return classes


def _case_classes() -> dict[int, int]:
    """Each character of a case class mapped to the first of its class."""
    return {m: min(members) for members in case_classes() for m in members if m != min(members)}


_DOTTED_I = "\u0130"  # the one character whose lower case is two characters long


def case_folder(same_case: dict[int, int]) -> Callable[[str], str]:
    """A function giving a text as re.IGNORECASE compares it, character for character (same
    length): "İ" as "i", each character by its lower case, then each of ``same_case`` as the
    character it maps to (one of a case class: "ς" as "σ")."""
    chars = re.compile("[" + "".join(re.escape(chr(m)) for m in same_case) + "]") if same_case else None

    def fold(text: str) -> str:
        if _DOTTED_I in text:
            text = text.replace(_DOTTED_I, "i")
        low = text.lower()
        return low.translate(same_case) if chars is not None and chars.search(low) else low

    return fold


_fold_every_class = case_folder(_case_classes())


@memoised(maxsize=256)  # several rules test the same sentence
def folded(text: str) -> str:
    """``text`` as re.IGNORECASE compares it, character for character (same length, and the same
    for a part of a text as that part of the whole text's), every case class folded."""
    return _fold_every_class(text)


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective set: the longer shortest string, then fewer strings."""
    if a is None or b is None:
        return a if b is None else b
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    best = None
    for found in sets:
        best = _better(best, found)
    return best


def _sequence(items, fold: bool) -> list[frozenset[str]]:
    """Sets of strings each of which has one string in every match of the parsed sequence
    ``items`` (a word of it, one of the words of an alternation in it, ...)."""
    out: list[frozenset[str]] = []
    run = ""  # literal characters in a row
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append(frozenset([run]))
            run = ""
        if op is c.SUBPATTERN:  # a group; case-insensitive inside only on folded text
            out += _sequence(av[3], fold) if fold or not av[1] & re.IGNORECASE else []
        elif op is c.ATOMIC_GROUP:
            out += _sequence(av, fold)
        elif op is c.BRANCH:  # one alternative matches: one of its strings is there
            alternatives = [_best(_sequence(sub, fold)) for sub in av[1]]
            if None not in alternatives:
                out.append(frozenset().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            out += _sequence(av[2], fold)
        elif op is c.IN and all(o is c.LITERAL for o, _ in av):  # [«"“]
            out.append(frozenset(chr(code) for _, code in av))
        # anything else (an assertion, a class, an optional part) needs no string we can name
    if run:
        out.append(frozenset([run]))
    return out


def needed_all(pattern: re.Pattern) -> list[frozenset[str]]:
    """Sets of strings, each of which has one string in every match of ``pattern`` (``folded`` if
    the pattern is case-insensitive); none if we cannot tell."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.LOCALE:
        return []
    fold = bool(pattern.flags & re.IGNORECASE)
    try:
        sets = _sequence(_parser.parse(pattern.pattern, pattern.flags), fold)
    except Exception:  # noqa: BLE001 - a pattern we cannot read is simply always run
        return []
    if fold:
        sets = [frozenset(folded(s) for s in found) for found in sets]
    return list(dict.fromkeys(found for found in sets if found and "" not in found))


def needed(pattern: re.Pattern) -> frozenset[str] | None:
    """The most selective of ``needed_all``: strings one of which every match contains, or None."""
    return _best(needed_all(pattern))


def _exact(pattern: re.Pattern) -> bool:
    """The case-sensitive pattern matches exactly its needed strings ("agreem|treat|plan")."""
    return not pattern.flags & re.IGNORECASE and _plain(_parser.parse(pattern.pattern, pattern.flags).data)


def _plain(items) -> bool:
    if all(op is c.LITERAL for op, _ in items):
        return True
    return len(items) == 1 and items[0][0] is c.BRANCH and all(_plain(sub) for sub in items[0][1][1])


def automaton(values: dict[str, object]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton finding each key of ``values`` (a hit's value: the key's value)."""
    a = ahocorasick.Automaton()
    for key, value in values.items():
        a.add_word(key, value)
    a.make_automaton()
    return a


def _automaton(literals: dict[str, set[int]]) -> ahocorasick.Automaton:
    return automaton({literal: tuple(sorted(owners)) for literal, owners in literals.items()})


def owners_of(sets: list[frozenset[str]]) -> dict[str, set[int]]:
    """For each string of the needed ``sets``, the indices of the sets that hold it."""
    owners: dict[str, set[int]] = {}
    for k, found in enumerate(sets):
        for lit in found:
            owners.setdefault(lit, set()).add(k)
    return owners


def hits_every_set(hits, n_sets: int) -> bool:
    """Whether the automaton ``hits`` (values: the sets a string is in) cover all ``n_sets``."""
    if n_sets == 1:
        return next(hits, None) is not None
    seen: set[int] = set()
    for _, owners in hits:
        seen.update(owners)
        if len(seen) == n_sets:
            return True
    return False


def _span(text: str, pos: int, endpos: int | None) -> tuple[int, int]:
    return pos, len(text) if endpos is None else min(endpos, len(text))


class Needed:
    """Whether a text holds one of the strings every match of a case-sensitive pattern contains
    (``needed``): a few ``in`` tests, or one automaton pass for many strings. The answer for the
    last text is kept: the callers test one (lower-cased) text again and again."""

    __slots__ = ("strings", "_automaton", "_last")

    def __init__(self, strings: Iterable[str]):
        self.strings = tuple(strings)
        self._automaton = _automaton({s: {0} for s in self.strings}) if len(self.strings) > 6 else None
        self._last: tuple[str | None, bool] = (None, False)

    @classmethod
    def of(cls, pattern: re.Pattern, shortest: int = 2) -> Needed | None:
        """The test for a case-sensitive ``pattern`` whose needed strings are all at least
        ``shortest`` long (shorter ones are in most texts: testing for them saves nothing), else None."""
        if pattern.flags & re.IGNORECASE:
            return None
        found = needed(pattern)
        return cls(sorted(found)) if found and min(map(len, found)) >= shortest else None

    def held_by(self, text: str) -> bool:
        if self._last[0] is not text:
            if self._automaton is None:
                held = any(s in text for s in self.strings)
            else:
                held = next(self._automaton.iter(text), None) is not None
            self._last = (text, held)
        return self._last[1]


class Guarded:
    """A compiled pattern run only when the text holds, for each set of strings the pattern needs
    (``needed_all``), one of its strings: ``search``, ``match`` and ``finditer`` answer exactly as
    the pattern's own."""

    __slots__ = ("pattern", "_literals", "_sets", "_fold")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        sets = needed_all(pattern)
        owners = owners_of(sets)
        self._literals = _automaton(owners) if owners else None
        self._sets = len(sets)
        self._fold = bool(pattern.flags & re.IGNORECASE)

    def may_match(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        if self._literals is None:
            return True
        pos, end = _span(text, pos, endpos)
        if pos >= end:
            return False
        hits = (
            self._literals.iter(folded(text[pos:end])) if self._fold else self._literals.iter(text, pos, end)
        )
        return hits_every_set(hits, self._sets)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        if not self.may_match(text, pos, endpos):
            return None
        return self.pattern.search(text, pos) if endpos is None else self.pattern.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        if not self.may_match(text, pos, endpos):
            return None
        return self.pattern.match(text, pos) if endpos is None else self.pattern.match(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        if not self.may_match(text, pos, endpos):
            return iter(())
        return (
            self.pattern.finditer(text, pos) if endpos is None else self.pattern.finditer(text, pos, endpos)
        )


class AnyOf:
    """Whether any of several patterns matches in a text: the truth of
    ``re.compile("|".join(patterns), flags).search(text, pos, endpos)``, found by running only
    the patterns whose needed strings are in the text (none at all for a plain word)."""

    __slots__ = ("parts", "_always", "_literals", "_exact", "_fold")

    def __init__(self, patterns: list[str] | str, flags: int = 0):
        self.parts = [re.compile(p, flags) for p in ([patterns] if isinstance(patterns, str) else patterns)]
        self._fold = bool(flags & re.IGNORECASE)
        owners: dict[str, set[int]] = {}
        self._always: list[re.Pattern] = []
        for k, part in enumerate(self.parts):
            found = needed(part)
            if found is None:
                self._always.append(part)
            for lit in found or ():
                owners.setdefault(lit, set()).add(k)
        self._literals = _automaton(owners) if owners else None
        self._exact = frozenset(k for k, p in enumerate(self.parts) if p not in self._always and _exact(p))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        end = len(text) if endpos is None else min(endpos, len(text))
        for part in self._always:
            if part.search(text, pos, end):
                return True
        if self._literals is None or pos >= end:
            return False
        tried: set[int] = set()
        hits = (
            self._literals.iter(folded(text[pos:end])) if self._fold else self._literals.iter(text, pos, end)
        )
        for _, owners in hits:
            for k in owners:
                if k in tried:
                    continue
                if k in self._exact or self.parts[k].search(text, pos, end):
                    return True
                tried.add(k)
        return False
