"""Case-insensitive regexes run as case-sensitive ones over folded text: the same spans, sooner.

With re.IGNORECASE the regex engine enters each alternative of an alternation in turn at every
position it tries (it compares letters by their case only inside an alternative), and the
extractors' rules are alternations of hundreds of words. A case-sensitive alternative whose first
character is not the text's is skipped at once. ``Folded(pattern)`` runs a case-insensitive
pattern as a case-sensitive copy of it over ``fold(text)``: each character of the text and each
literal of the pattern as re.IGNORECASE compares it (its simple lower case; one character for the
few that re takes for one another, "ſ" and "s", "ς" and "σ"). The folded text has the length of
the text and the word, digit and space characters at the same places, so a match has the span
the pattern's own match would have, and so has each group. Its *text* is the folded text: take
what you keep from the original text by the span. A pattern the copy cannot be made of
(case-sensitive parts, "(?-i:May)") runs as it is.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from re import _compiler as _sre_compiler
from re import _constants as c
from re import _parser

import ahocorasick

from pipelines.extract.literals import (
    Guarded,
    automaton,
    case_classes,
    case_folder,
    hits_every_set,
    needed_all,
    owners_of,
)
from pipelines.extract.memo import MAX_CHARS
from pipelines.extract.rulefiles import longest_first

_SMALL_RANGE = 512  # a range of cased characters wider than this is left alone


def _kinds(ch: str) -> tuple[bool, bool, bool]:
    return ch.isalnum() or ch == "_", ch.isdecimal(), ch.isspace()


def _same_case_table() -> tuple[dict[int, int], frozenset[int]]:
    """The characters re.IGNORECASE takes for one another (beyond lower case), each mapped to
    one of its class; and those of a class whose members differ in kind (word, digit, space)
    and so cannot share one character: left as they are, never folded in a pattern."""
    table: dict[int, int] = {}
    split: set[int] = set()
    for members in case_classes():
        if len({_kinds(chr(m)) for m in members}) > 1:
            split |= members
            continue
        first = min(members)
        table.update({m: first for m in members if m != first})
    return table, frozenset(split)


_SAME_CASE, _SPLIT = _same_case_table()
# ``text`` as re.IGNORECASE compares it, character for character (same length), but for the
# classes of _SPLIT
fold_part = case_folder(_SAME_CASE)


_fold_cached = lru_cache(maxsize=512)(fold_part)


def fold(text: str) -> str:
    """``fold_part``, kept for the last few hundred texts of up to ``MAX_CHARS``: the rules of an
    extractor fold the same sentence again and again."""
    return _fold_cached(text) if len(text) <= MAX_CHARS else fold_part(text)


fold.cache_clear = _fold_cached.cache_clear  # type: ignore[attr-defined]


def _char(code: int) -> int | None:
    """A literal of the pattern as folded text holds it; None if folding cannot keep it."""
    low = fold(chr(code))
    if len(low) != 1 or ord(chr(code).lower()[:1]) in _SPLIT:
        return None
    return ord(low)


def _fold_set(items) -> list | None:
    out = []
    for op, av in items:
        if op is c.LITERAL:
            code = _char(av)
            if code is None:
                return None
            out.append((op, code))
        elif op is c.RANGE:
            lo, hi = av
            if not any(chr(k).lower() != chr(k) or chr(k).upper() != chr(k) for k in range(lo, hi + 1)):
                out.append((op, av))  # no cased character in it
            elif hi - lo < _SMALL_RANGE:
                codes = {_char(k) for k in range(lo, hi + 1)}
                if None in codes:
                    return None
                out += [(c.LITERAL, k) for k in sorted(codes)]
            else:
                return None
        elif op is c.NEGATE or op is c.CATEGORY:
            out.append((op, av))
        else:
            return None
    return out


def _fold_items(items) -> bool:
    """Fold the parsed pattern ``items`` in place; False if it cannot be done."""
    for i, (op, av) in enumerate(items):
        if op is c.LITERAL or op is c.NOT_LITERAL:
            code = _char(av)
            if code is None:
                return False
            items[i] = (op, code)
        elif op is c.IN:
            folded_set = _fold_set(av)
            if folded_set is None:
                return False
            items[i] = (op, folded_set)
        elif op is c.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & re.IGNORECASE or not _fold_items(sub):
                return False
        elif op is c.BRANCH:
            if not all(_fold_items(sub) for sub in av[1]):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if not _fold_items(av[2]):
                return False
        elif op is c.ASSERT or op is c.ASSERT_NOT:
            if not _fold_items(av[1]):
                return False
        elif op is c.ATOMIC_GROUP:
            if not _fold_items(av):
                return False
        elif op not in (c.AT, c.ANY, c.CATEGORY, c.GROUPREF):
            return False
    return True


def _folded_tree(pattern: re.Pattern):
    flags = pattern.flags
    if not flags & re.IGNORECASE or flags & (re.LOCALE | re.ASCII) or not isinstance(pattern.pattern, str):
        return None
    tree = _parser.parse(pattern.pattern, flags)
    if not _fold_items(tree.data):
        return None
    tree.state.flags &= ~re.IGNORECASE
    return tree


def folded_pattern(pattern: re.Pattern) -> re.Pattern | None:
    """The case-sensitive pattern that matches ``fold(text)`` where the case-insensitive
    ``pattern`` matches ``text``, with the same spans; None if we cannot make one."""
    tree = _folded_tree(pattern)
    return None if tree is None else _sre_compiler.compile(tree, pattern.flags & ~re.IGNORECASE)


def _heads(items) -> set[str] | None:
    """Strings one of which every match of the parsed ``items`` starts with (assertions before
    them aside); None if a match may start otherwise (with a class, an optional part, ...)."""
    prefix = ""
    for op, av in items:
        if op is c.LITERAL:
            prefix += chr(av)
            continue
        if not prefix and op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # nothing taken yet: the match starts with what follows
        if op is c.SUBPATTERN:
            inner = _heads(av[3])
        elif op is c.BRANCH:
            alternatives = [_heads(sub) for sub in av[1]]
            inner = None if None in alternatives else set().union(*alternatives)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _heads(av[2])
        else:
            inner = None
        if inner is None:
            return {prefix} if prefix else None
        return {prefix + h for h in inner}
    return {prefix} if prefix else None


_SHORTEST_HEAD = 3  # shorter words ("в", "on") are everywhere: the pattern's own scan is sooner


def heads(pattern: re.Pattern) -> set[str] | None:
    """Folded strings one of which every match of the case-insensitive ``pattern`` starts with;
    None if there are none or the pattern cannot be folded."""
    tree = _folded_tree(pattern)
    return None if tree is None else _heads(tree.data)


def matches_at(pattern: re.Pattern, text: str, starts: list[int], endpos: int) -> Iterator[re.Match]:
    """``pattern.finditer(text, starts[0], endpos)`` for a pattern whose every match begins at one
    of the sorted ``starts``: tried only there."""
    last = -1
    for start in starts:
        if start >= last:
            m = pattern.match(text, start, endpos)
            if m is not None:
                last = m.end()
                yield m


def _head_automaton(tree) -> ahocorasick.Automaton | None:
    heads = _heads(tree.data)
    if not heads or min(map(len, heads)) < _SHORTEST_HEAD:
        return None
    return automaton({head: len(head) for head in heads})


class Folded:
    """A case-insensitive pattern run over folded text when it can be (see above): ``search``,
    ``match``, ``fullmatch`` and ``finditer`` give the spans the pattern's own would give.

    When every match of the pattern starts with one of a few strings (its alternatives' first
    words: "trade", "export", ...), one automaton pass finds where they are, and the pattern is
    tried only there: the regex engine tries an alternation at every word of the text."""

    __slots__ = ("pattern", "_run", "_on_folded", "_heads")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        tree = _folded_tree(pattern)
        self._on_folded = tree is not None
        self._heads = None if tree is None else _head_automaton(tree)
        self._run = pattern if tree is None else _sre_compiler.compile(tree, pattern.flags & ~re.IGNORECASE)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        if not self._on_folded:
            return self.pattern.search(text, pos, endpos)
        return self.search_folded(fold(text), pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self._run.match(fold(text) if self._on_folded else text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self._run.fullmatch(fold(text) if self._on_folded else text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        if not self._on_folded:
            return self.pattern.finditer(text, pos, endpos)
        return self.finditer_folded(fold(text), pos, endpos)

    def search_folded(self, folded_text: str, pos: int, endpos: int) -> re.Match | None:
        if self._heads is None:
            return self._run.search(folded_text, pos, endpos)
        return next(self._at_heads(folded_text, pos, endpos), None)

    def finditer_folded(self, folded_text: str, pos: int, endpos: int):
        if self._heads is None:
            return self._run.finditer(folded_text, pos, endpos)
        return self._at_heads(folded_text, pos, endpos)

    def _at_heads(self, folded_text: str, pos: int, endpos: int):
        """What ``finditer`` finds, trying the pattern only where a match can start."""
        end = min(endpos, len(folded_text))
        if pos >= end:
            return
        starts = sorted({stop - size + 1 for stop, size in self._heads.iter(folded_text, pos, end)})
        yield from matches_at(self._run, folded_text, starts, endpos)


class _Gate:
    """Whether a folded text can hold a match of a case-insensitive pattern: for each set of
    strings the pattern needs (``literals.needed_all``), one of them is in it. The test of
    ``literals.Guarded``, over the folded text the pattern then runs on."""

    __slots__ = ("_literals", "_sets")

    def __init__(self, pattern: re.Pattern):
        sets = needed_all(pattern) if pattern.flags & re.IGNORECASE else []
        if any(ord(ch) in _SPLIT for found in sets for lit in found for ch in lit):
            sets = []  # folded another way here: no test
        owners = owners_of(sets)
        self._sets = len(sets)
        self._literals = automaton({lit: tuple(ks) for lit, ks in owners.items()}) if owners else None

    def open(self, folded_text: str, pos: int, end: int) -> bool:
        if self._literals is None:
            return True
        end = min(end, len(folded_text))
        if pos >= end:
            return False
        return hits_every_set(self._literals.iter(folded_text, pos, end), self._sets)


class GuardedFolded:
    """A case-insensitive pattern run over folded text (``Folded``), and only when the text
    holds the words it needs (as ``literals.Guarded``): ``search`` and ``finditer`` give the
    spans the pattern's own would give."""

    __slots__ = ("pattern", "_gate", "_run")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self._run = Folded(pattern)
        self._gate = _Gate(pattern) if self._run._on_folded else None

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        end = sys.maxsize if endpos is None else endpos
        if self._gate is None:
            return self.pattern.search(text, pos, end)
        folded_text = fold(text)
        if not self._gate.open(folded_text, pos, end):
            return None
        return self._run.search_folded(folded_text, pos, end)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        end = sys.maxsize if endpos is None else endpos
        if self._gate is None:
            return self.pattern.finditer(text, pos, end)
        folded_text = fold(text)
        if not self._gate.open(folded_text, pos, end):
            return iter(())
        return self._run.finditer_folded(folded_text, pos, end)


class FirstRule:
    """Which of several named rules matches first in a text, as ``lastgroup`` of the alternation
    ``template.format("(?P<rule>...)|...")`` tells: the rule of the leftmost match, the one listed
    first where two match at one place. A rule is a list of case-insensitive patterns (tried
    longest first). Those that fold run over folded text; the few with case-sensitive parts
    ("(?-i:May)") run as they are over the text, and the earlier of the two answers."""

    __slots__ = ("pattern", "_guard", "_folded", "_plain", "_rank")

    def __init__(self, rules: dict[str, list[str]], template: str = r"(?<!\w)(?:{})(?!\w)"):
        def alternation(patterns: dict[str, list[str]]) -> re.Pattern | None:
            alts = [f"(?P<{name}>{longest_first(ps)})" for name, ps in patterns.items() if ps]
            return re.compile(template.format("|".join(alts)), re.I) if alts else None

        folds = {name: [p for p in ps if _folds(p)] for name, ps in rules.items()}
        self.pattern = alternation(rules)  # the whole of it: what this answers as
        self._guard = Guarded(self.pattern)  # over the text: a few rules do not fold
        self._folded = Folded(alternation(folds)) if any(folds.values()) else None
        self._plain = alternation({name: [p for p in ps if not _folds(p)] for name, ps in rules.items()})
        self._rank = {name: k for k, name in enumerate(rules)}

    def first(self, text: str, pos: int = 0, endpos: int | None = None) -> str | None:
        """The name of the rule that matches first in ``text[pos:endpos]``, or None."""
        if not self._guard.may_match(text, pos, endpos):
            return None
        end = sys.maxsize if endpos is None else endpos
        a = self._folded.search(text, pos, end) if self._folded is not None else None
        b = self._plain.search(text, pos, end) if self._plain is not None else None
        if a is None or b is None:
            found = a or b
            return found.lastgroup if found else None
        if a.start() != b.start():
            return (a if a.start() < b.start() else b).lastgroup
        return min(a.lastgroup, b.lastgroup, key=self._rank.__getitem__)


def _folds(fragment: str) -> bool:
    try:
        return folded_pattern(re.compile(fragment, re.I)) is not None
    except re.error:
        return False
