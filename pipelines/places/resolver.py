"""Find places in running text (English and Russian) and resolve them to the gazetteer.

One pass of an Aho-Corasick automaton over the folded text (lower case, ``ё`` -> ``е``,
dashes and quotes unified, runs of white space folded) finds every surface form: English
names and stems, and every inflected Russian form (``forms_ru.tsv``). Each hit is then
checked against its surroundings:

* word boundaries, and capitals where the form has them ("Mir" the town, not "мир" peace);
* guards of forms that are also common words, first names or surnames (data README);
* a stem followed by a head word of its kind is a region or district ("Bryansk region",
  "Брянской области"); a head word may only tell the kind ("Mogilev Regional Council",
  "Governor of Rostov"); a stem without a head is no place by itself, unless a head carries
  over a list to it ("Bryansk, Sverdlovsk, Leningrad regions", "four regions - Minsk, Gomel");
* several places of one name are told apart by the places named nearest to them.

A place-like phrase that names nothing of the gazetteer ("Xyz region", "Энской области") is
returned by ``scan`` as unresolved, never guessed.
"""

from __future__ import annotations

import bisect
import csv
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache

import ahocorasick
import yaml

from pipelines.model import Place, PlaceMention, Substring
from pipelines.places import gazetteer as gz

_WHITE = "\t\n\r\v\f\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# white space, dashes and quotes unified, "ё" -> "е" (no value is a key: replacing one after
# another translates)
_UNIFIED = {
    **dict.fromkeys(_WHITE, " "),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u2018\u2019\u02bc`\u00b4", "'"),
    "ё": "е",
    "Ё": "Е",
}
_UNIFIED_ASCII = tuple((c, u) for c, u in _UNIFIED.items() if c.isascii())
_UNIFIABLE = re.compile("[" + re.escape("".join(_UNIFIED)) + "]")
_SPACES = re.compile("   *")  # " {2,}" as two literal spaces and " *": sre finds those fast
_URL_MARK = re.compile(r"https?://|www\.|\.(?:by|ru|com|org|net|gov|info|su)/")
# what may stand between the members of a list ("Bryansk, Sverdlovsk and Leningrad regions")
_SEPARATOR = re.compile(r"^(?: ?, ?(?:and |и |as well as )?| and | и | & | or | или | as well as | - | / )$")
_INITIAL = re.compile(r"(?:^|[^\w])[A-ZА-Я]\.\s?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s*|\n\s*)[\"«“(\[]?\s*$")
_CUE = re.compile(
    r"(?:\b(?:city|cities|town|towns|village|villages|settlement|agro-?towns?|urban-type settlement)"
    r"\s+(?:of\s+)?(?:the\s+)?"
    r"|\bг\.\s*|\bгор\.\s*|\bгород[а-я]*\s+|\bпос[её]л[а-я]*\s+|\bпгт\.?\s*|\bг\.\s?п\.\s*"
    r"|\bдеревн[а-я]*\s+|\bд\.\s*|\bагрогород[а-я]*\s+)$",
    re.IGNORECASE,
)
_FOLLOWED_BY_NAME = re.compile(r"\s+[A-ZА-ЯЁ][a-zа-яё]")
_CAPITALISED_BEFORE = re.compile(r"([A-ZА-ЯЁ][a-zа-яё]+)\s+$")
_ADJECTIVAL_EN = re.compile(r"(?:sky|skiy|ski|skoy|skoi)$")
_CONTEXT = 1000  # characters either side in which other places tell apart same-named ones
_CITY_DISTRICT_WEIGHT = 1 / 3  # a city district needs its city within ~400 characters
_SEPARATOR_MAX = 16  # longer than any match of _SEPARATOR (" , as well as ")
# Besides the place forms, the automaton (over the folded text) finds where a head of an
# unresolved phrase may start (the heads of _Index.unresolved: English, Russian), or a letter
# that IGNORECASE matches to an ASCII one but lower() leaves alone ("ſ" ~ "s"; then the English
# heads are looked for everywhere), and where a plural head before a list may start.
_EN_HEAD, _RU_HEAD, _EXOTIC = 0, 1, 2
_RU_HEAD_KEYS = ("област", "край", "края", "краю", "крае", "район", "округ", "республик")
_EN_CASE_EXOTIC = ("ſ", "ı", "İ")
_NO_GUARD, _INITIAL_GUARD, _CONTEXT_GUARD = 0, 1, 2
# pyahocorasick looks a character up among the children of a trie node one by one, in the order
# they were added: the keys go in in this order of their characters (the most frequent in running
# text first, both alphabets), after a key that puts the space (a sixth of a text, but no key's
# first character) first among the first characters; the key finds no form.
_CHAR_RANK = {c: i for i, c in enumerate(" оeеtаaиoнiтnсsрrвhлlкdмcдuпmуfяpыgьwгyзbбvчkйxхjжqшzюцщэфъ")}
_SPACE_FIRST = " \x00"


@dataclass(frozen=True, slots=True)
class _Entry:
    place_id: str
    role: str  # name | stem | adj
    kind: str  # the kind of head a stem takes
    upper: tuple[int, ...]  # offsets of the form's capitals
    all_caps: bool
    guard: str
    place: Place = field(compare=False)
    after_initial: bool = field(compare=False)  # a one-word city or country name: not after "A."


@dataclass(frozen=True, slots=True)
class _Head:
    kinds: tuple[str, ...]  # the kinds of place it fits, most preferred first
    plural: bool  # may name several places: carries over a list
    in_span: bool  # part of the mention ("Bryansk region"), or context only ("Mogilev Regional")


@dataclass(slots=True)
class _Forms:
    """The entries a form may stand for as the text writes it, sorted out once."""

    entries: tuple[_Entry, ...]
    stems: tuple[_Entry, ...]
    names: tuple[_Entry, ...]  # names and adjectives
    guard: int  # _NO_GUARD | _INITIAL_GUARD (only "not after an initial") | _CONTEXT_GUARD
    single: _Entry | None  # the one entry, a name or adjective: the place found, the common case
    single_kind: str  # of the mention, if single
    fitting: dict[tuple[str, ...], tuple[_Entry, ...]] = field(default_factory=dict)  # of _fitting

    @classmethod
    def of(cls, entries: Sequence[_Entry]) -> _Forms:
        guard = _NO_GUARD
        for e in entries:
            if e.guard and e.role == "name":
                guard = _CONTEXT_GUARD
                break
            if e.after_initial:
                guard = _INITIAL_GUARD
        stems = tuple(e for e in entries if e.role == "stem")
        names = tuple(e for e in entries if e.role in ("name", "adj"))
        single = entries[0] if len(entries) == 1 and not stems else None
        kind = "adjective" if single is not None and single.role == "adj" else "name"
        return cls(tuple(entries), stems, names, guard, single, kind)

    def fit(self, kinds: tuple[str, ...]) -> tuple[_Entry, ...]:
        """``_fitting(self.stems, kinds)``, memoised (a form meets few kinds of head)."""
        fitting = self.fitting.get(kinds)
        if fitting is None:
            fitting = self.fitting[kinds] = tuple(_fitting(self.stems, kinds))
        return fitting


@dataclass(slots=True)
class _Hit:
    start: int  # into the folded text
    stop: int
    entries: Sequence[_Entry]  # a tuple until narrowed
    forms: _Forms  # of the form as found (before any narrowing)
    place: Place | None = None
    kind: str = "name"
    head: _Head | None = None
    pending: Sequence[_Entry] = ()  # stems waiting for a head


@dataclass(slots=True)
class _Index:
    # key -> (key, len(key) - 1, starts with a letter or digit, ends with one, None for a
    #         place form only, else (has entries, _EN_HEAD | _RU_HEAD | _EXOTIC | None, is a list
    #         head)): atomic values, which the GC stops tracking
    automaton: ahocorasick.Automaton
    entries: dict[str, list[_Entry]]
    head_re: re.Pattern  # a head right after a stem
    heads: dict[str, _Head]
    before_re: re.Pattern  # "governor of " right before a stem
    before: dict[str, tuple[str, ...]]
    list_head_re: re.Pattern  # "regions - " right before a list
    unresolved: tuple[tuple[re.Pattern, re.Pattern], ...]  # (head, the capitalised word before it)
    ignore: frozenset[str]
    first_names: frozenset[str]
    common_stems: tuple[str, ...]


def _fold(text: str) -> tuple[str, str, list[int], list[int]]:
    """(lowered, cased, seg_folded, seg_shift): the text with white space, dashes and quotes
    unified and runs of spaces folded; a folded offset ``p`` is ``p + seg_shift[i]`` in the
    original, ``i`` the last segment with ``seg_folded[i] <= p``."""
    cased = _unify(text)
    seg_folded, seg_shift = [0], [0]
    if "  " in cased:
        parts, pos, shift = [], 0, 0
        for m in _SPACES.finditer(cased):
            parts.append(cased[pos : m.start() + 1])
            seg_folded.append(m.start() + 1 - shift)
            shift += m.end() - m.start() - 1
            seg_shift.append(shift)
            pos = m.end()
        parts.append(cased[pos:])
        cased = "".join(parts)
    lowered = cased.lower()
    if len(lowered) != len(cased):  # a few letters lower to two characters ("İ")
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in cased)
    return lowered, cased, seg_folded, seg_shift


def _unify(text: str) -> str:
    """``text`` with _UNIFIED applied, one ``replace`` per character present: faster than a
    regex ``sub`` (a callback per match) or ``str.translate`` (a lookup per character)."""
    if text.isascii():
        present = [c for c, _ in _UNIFIED_ASCII if c in text]  # a fast scan each
    elif len(text) < 500:
        present = set(_UNIFIABLE.findall(text))  # one scan
    else:  # a fast scan each (findall would list every line break of a page)
        present = [c for c in _UNIFIED if c in text]
    for char in present:
        text = text.replace(char, _UNIFIED[char])
    return text


def _key(form: str) -> str:
    return _fold(form)[0].strip()


def _entry(place_id: str, role: str, kind: str, form: str, guard: str) -> tuple[str, _Entry]:
    lowered, cased = _fold(form)[:2]
    folded = cased.strip()
    letters = [c for c in folded if c.isalpha()]
    all_caps = len(letters) >= 2 and all(c.isupper() for c in letters)
    upper = tuple(i for i, c in enumerate(folded) if c.isupper())
    key, place = lowered.strip(), gz.place_by_id(place_id)
    after_initial = role == "name" and place.level in ("city", "country") and " " not in key
    return key, _Entry(place_id, role, kind, upper, all_caps, guard, place, after_initial)


def _read_forms() -> list[tuple[str, ...]]:
    with open(gz.FORMS_FILE, encoding="utf-8", newline="") as fh:
        first = fh.readline()
        rows = [tuple(r) for r in csv.reader(fh, delimiter="\t")][1:]
    if gz.source_digest() not in first:
        from pipelines.places.inflect import forms

        warnings.warn(
            "forms_ru.tsv is stale: run scripts/build_place_forms.py (inflecting in memory now)",
            stacklevel=2,
        )
        return forms(gz.russian_lemmas())
    return rows


def _initials(forms) -> str:
    """A character class body of the first letters of ``forms``, both cases (a fast pre-check)."""
    return re.escape("".join(sorted({c for f in forms for c in (f[0].lower(), f[0].upper())})))


def _alternation(forms) -> str:
    """A regex of any of ``forms``, longest first, as a trie: forms that share a prefix share
    its test (a flat alternation of hundreds of forms tries each in turn at each position)."""
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for c in form:
            node = node.setdefault(c, {})
        node[""] = {}  # a form ends here

    def branches(node: dict[str, dict]) -> str:
        longer = [re.escape(c) + branches(child) for c, child in sorted(node.items()) if c]
        if not longer:
            return ""
        body = longer[0] if len(longer) == 1 else "(?:" + "|".join(longer) + ")"
        if "" not in node:
            return body
        return body + "?" if len(longer) > 1 else "(?:" + body + ")?"  # longer ones first

    return branches(trie)


@cache
def _index() -> _Index:
    entries: dict[str, list[_Entry]] = {}
    kind_order = list(gz.heads())
    heads: dict[str, tuple[set[str], bool, bool]] = {}
    before: dict[str, set[str]] = {}

    def add(place_id: str, role: str, kind: str, form: str, guard: str) -> None:
        key, entry = _entry(place_id, role, kind, form, guard)
        if key and entry not in entries.setdefault(key, []):
            entries[key].append(entry)

    def add_head(form: str, kind: str, plural: bool, in_span: bool) -> None:
        kinds, was_plural, was_in_span = heads.setdefault(_key(form), (set(), plural, in_span))
        kinds.add(kind)
        heads[_key(form)] = (kinds, was_plural or plural, was_in_span and in_span)

    for lx in gz.lexemes():
        if lx.lang == "en":
            add(lx.place_id, lx.role, lx.kind, lx.text, lx.guard)
    for place_id, role, kind, form, flags in _read_forms():
        if role in ("head", "context"):
            add_head(form, kind, True, role == "head")
        else:
            add(place_id, role, kind, form, flags)
    for kind, spec in gz.heads().items():
        for form in spec.get("en", []):
            add_head(form, kind, False, True)
        for form in spec.get("en_plural", []):
            add_head(form, kind, True, True)
        for form in spec.get("en_context", []):
            add_head(form, kind, True, False)
        for form in spec.get("en_before", []):
            before.setdefault(_key(form), set()).add(kind)

    def ordered(kinds: set[str]) -> tuple[str, ...]:
        return tuple(sorted(kinds, key=kind_order.index))

    list_heads = {h for h, (_, plural, in_span) in heads.items() if plural and in_span}
    with open(gz.DATA_DIR / "ignore.yaml", encoding="utf-8") as fh:
        ignore = yaml.safe_load(fh)
    en_heads = {h for spec in gz.heads().values() for h in spec.get("en", []) + spec.get("en_plural", [])}
    # the automaton also finds where a head of an unresolved phrase may start, in the same pass
    unresolved_heads = {
        **dict.fromkeys((_key(h) for h in en_heads), _EN_HEAD),
        **dict.fromkeys(_RU_HEAD_KEYS, _RU_HEAD),
        **dict.fromkeys(_EN_CASE_EXOTIC, _EXOTIC),
    }
    automaton = ahocorasick.Automaton()
    automaton.add_word(_SPACE_FIRST, (_SPACE_FIRST, 1, False, False, (False, None, False)))
    keys = entries.keys() | unresolved_heads.keys() | list_heads
    for key in sorted(keys, key=lambda k: [_CHAR_RANK.get(c, len(_CHAR_RANK) + ord(c)) for c in k]):
        aux = (key in entries, unresolved_heads.get(key), key in list_heads)
        aux = None if aux == (True, None, False) else aux
        automaton.add_word(key, (key, len(key) - 1, key[0].isalnum(), key[-1].isalnum(), aux))
    automaton.make_automaton()
    return _Index(
        automaton=automaton,
        entries=entries,
        head_re=re.compile(rf" ?({_alternation(heads)})(?!\w)"),
        heads={h: _Head(ordered(k), p, s) for h, (k, p, s) in heads.items()},
        before_re=re.compile(rf"(?<!\w)({_alternation(before)}) $"),
        before={b: ordered(k) for b, k in before.items()},
        list_head_re=re.compile(
            rf"(?<!\w)({_alternation(list_heads)}) ?(?:[-:(] ?)?(?:of |of the |such as |including |like )?$"
        ),
        unresolved=(
            (
                re.compile(rf"(?<![\w-])(?=[{_initials(en_heads)}])(?i:{_alternation(en_heads)})(?!\w)"),
                re.compile(r"(?<![\w-])([A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)\s+$"),
            ),
            (  # _RU_HEAD_KEYS are its heads in the folded text
                re.compile(r"(?<![\w-])(?=[окрОКР])(?:област|кра[йяюеё]|район|округ|республик)[а-яё]*"),
                re.compile(
                    r"(?<![\w-])([А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё]+)*"
                    r"(?:ая|ой|ую|ие|их|ими|им|ий|ого|ому|ом|ый|ые|ых|ым|ыми|ое))\s+$"
                ),
            ),
        ),
        ignore=frozenset(str(w).lower() for w in ignore["en"] + ignore["ru"]),
        first_names=frozenset(str(w) for w in ignore["first_names"]),
        common_stems=tuple(_key(str(w)) for w in ignore["common_stems"]),
    )


class _Text:
    """The text being scanned, in its original and folded forms."""

    def __init__(self, text: str):
        self.text = text
        self.low, self.cased, self.seg_folded, self.seg_shift = _fold(text)
        self.shifted = len(self.seg_folded) > 1  # runs of spaces were folded: offsets differ
        # filled by _raw_hits: folded offsets where a head of each pattern of _Index.unresolved
        # may start (None: anywhere), and where a list head may start (sorted)
        self.head_starts: list[list[int] | None] = [[], []]
        self.list_heads: list[int] = []

    def orig(self, pos: int) -> int:
        if not self.shifted:
            return pos
        return pos + self.seg_shift[bisect.bisect_right(self.seg_folded, pos) - 1]

    def span(self, start: int, stop: int) -> tuple[int, int]:
        if not self.shifted:
            return start, stop
        return self.orig(start), self.orig(stop - 1) + 1

    def spans(self, folded: list) -> list[tuple[int, int]]:
        """``span`` of each (start, stop, ...) of ``folded`` (sorted, non-overlapping), in one
        walk over the segments."""
        if not self.shifted:
            return [(start, stop) for start, stop, *_ in folded]
        seg_folded, seg_shift = self.seg_folded, self.seg_shift
        last = len(seg_folded) - 1
        out, i = [], 0
        for start, stop, *_ in folded:
            while i < last and seg_folded[i + 1] <= start:
                i += 1
            orig_start = start + seg_shift[i]
            while i < last and seg_folded[i + 1] < stop:  # to the segment of stop - 1
                i += 1
            out.append((orig_start, stop + seg_shift[i]))
        return out

    def substring(self, start: int, stop: int) -> Substring:
        s, e = self.span(start, stop)
        return Substring(s, e, self.text[s:e])

    def before(self, start: int, n: int = 40) -> str:
        o = self.orig(start)
        return self.text[max(0, o - n) : o]

    def after(self, stop: int, n: int = 40) -> str:
        o = self.orig(stop - 1) + 1
        return self.text[o : o + n]


def _case_ok(cased: str, entry: _Entry) -> bool:
    """Whether ``cased`` (the form as the text writes it) has the capitals of ``entry``."""
    if not entry.upper:
        return True
    caps = [cased[i].isupper() for i in entry.upper if i < len(cased)]
    return all(caps) if entry.all_caps else any(caps)


@lru_cache(maxsize=1 << 14)  # a few thousand in practice
def _cased_entries(key: str, cased: str) -> _Forms | None:
    """The entries of ``key`` whose capitals ``cased`` has (a form is written a few ways only)."""
    ok = [e for e in _index().entries[key] if _case_ok(cased, e)]
    return _Forms.of(ok) if ok else None


@cache
def _key_entries(key: str) -> _Forms:
    """All the entries of ``key``, whatever its capitals."""
    return _Forms.of(_index().entries[key])


@cache
def _is_russian_first_name(word: str) -> bool:
    from pipelines.places.inflect import morph

    return any("Name" in p.tag for p in morph().parse(word.lower()) if p.score >= 0.1)


def _guard_ok(t: _Text, idx: _Index, start: int, stop: int, entry: _Entry) -> bool:
    if entry.guard and entry.role == "name":
        before = t.before(start)
        if entry.guard == "cue":
            return bool(_CUE.search(before))
        if entry.guard == "common" and (_SENTENCE_START.search(before) or t.cased[start:stop].isupper()):
            return False  # capitalised only by position or by a headline: "Того же мнения", "ТОГО"
        if entry.guard == "forename" and _FOLLOWED_BY_NAME.match(t.after(stop)):
            return False
        if entry.guard == "surname":
            m = _CAPITALISED_BEFORE.search(before)
            if m and (m.group(1) in idx.first_names or _is_russian_first_name(m.group(1))):
                return False
    return not (entry.after_initial and _after_initial(t, start))


def _after_initial(t: _Text, start: int) -> bool:
    """ "A. Grodno" is nobody's town: a single-word name after an initial is a person."""
    o = t.orig(start)
    if "." not in t.text[max(0, o - 3) : o]:  # _INITIAL ends with "\.\s?" (and "\n" before "$")
        return False
    before = t.text[max(0, o - 40) : o]
    return bool(_INITIAL.search(before, max(0, len(before) - 6)))  # matches are that short


def _raw_hits(t: _Text, idx: _Index, check_case: bool) -> list[_Hit]:
    """The place forms found, leftmost-longest and non-overlapping (and, on ``t``, where the
    heads of unresolved phrases and of lists may start)."""
    hits = []
    low, cased = t.low, t.cased
    padded = f" {low} "  # (no key starts or ends with a space): every form has a character on either side
    head_starts, list_heads = t.head_starts, t.list_heads
    exotic = False
    for end, (key, back, left_alnum, right_alnum, aux) in idx.automaton.iter(padded):
        start = end - back  # into padded: one more than into low (and end is the last character)
        if aux is not None:  # a head, or not a place form at all
            is_form, head, list_head = aux
            if head is not None:
                if head == _EXOTIC:
                    exotic = True
                else:
                    head_starts[head].append(start - 1)
            if list_head:
                list_heads.append(start - 1)
            if not is_form:
                continue
        if left_alnum and (c := padded[start - 1]) != " " and c.isalnum():
            continue
        if right_alnum and (c := padded[end + 1]) != " " and c.isalnum():
            continue
        start -= 1  # [start, end) in low from here
        if not check_case:
            forms = _key_entries(key)
        elif (forms := _cased_entries(key, cased[start:end])) is None:
            continue
        # an initial ends with "." within the 3 characters before (fewer in the folded text)
        elif forms.guard and (
            forms.guard == _CONTEXT_GUARD or "." in cased[start - 3 if start > 3 else 0 : start]
        ):
            ok = [e for e in forms.entries if _guard_ok(t, idx, start, end, e)]
            if len(ok) != len(forms.entries):
                if not ok:
                    continue
                forms = _Forms.of(ok)
        hits.append((start, -end, forms))  # sorts leftmost-longest (one key per span)
    if exotic:
        head_starts[_EN_HEAD] = None
    if list_heads:
        list_heads.sort()
    urls = _url_spans(low) if hits and "/" in low else []
    if urls:  # nothing inside a URL ("grodno-region.by/ru/...") is a mention
        hits = [h for h in hits if not _overlaps(urls, h[0], -h[1])]
    # leftmost-longest, non-overlapping; a _Hit only for those kept
    hits.sort()
    chosen: list[_Hit] = []
    last = -1
    for start, neg_stop, forms in hits:
        if start >= last:
            last = -neg_stop
            if forms.single is None:
                chosen.append(_Hit(start, last, forms.entries, forms))
            else:  # a name alone, the common case: settled
                chosen.append(_Hit(start, last, forms.entries, forms, forms.single.place, forms.single_kind))
    return chosen


def _url_spans(low: str) -> list[tuple[int, int]]:
    """The spans of the URLs in ``low``: from a URL mark out to white space on both sides."""
    spans: list[tuple[int, int]] = []
    for m in _URL_MARK.finditer(low):
        start = low.rfind(" ", 0, m.start()) + 1
        stop = low.find(" ", m.end())
        stop = len(low) if stop < 0 else stop
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(stop, spans[-1][1]))
        else:
            spans.append((start, stop))
    return spans


def _context(hits: list[_Hit], starts: list[int], i: int) -> list[tuple[float, Place]]:
    """The places already resolved near hit ``i``, each with a weight that falls with distance."""
    pos = hits[i].start
    lo = bisect.bisect_left(starts, pos - _CONTEXT)
    hi = bisect.bisect_right(starts, pos + _CONTEXT)
    return [
        (1.0 / (1.0 + abs(hits[j].start - pos) / 200.0), hits[j].place)
        for j in range(lo, hi)
        if j != i and hits[j].place is not None
    ]


def _pick(entries: list[_Entry], near: list[tuple[float, Place]], city_cue: bool = False) -> _Entry:
    """Of several places of one form, a city after "city of", else the one whose region or
    country is named nearest; on a tie, the first in the gazetteer."""
    if city_cue:
        entries = [e for e in entries if e.place.level == "city"] or entries

    def score(e: _Entry) -> float:
        p = e.place
        total = 0.0
        for w, q in near:
            if p.region and p.region in (q.region, q.place_id):
                total += 2 * w
            if p.parent == q.place_id:
                total += w
            if p.country == q.country:
                total += w
        return -total

    return min(entries, key=score)


def _settle(h: _Hit, entry: _Entry) -> None:
    h.place = entry.place
    h.kind = "adjective" if entry.role == "adj" else "name"
    h.pending = ()
    if len(h.entries) > 1:
        h.entries = [entry] + [e for e in h.entries if e is not entry]
    elif not h.entries or h.entries[0] is not entry:
        h.entries = (entry,)


def _fitting(entries: list[_Entry], kinds: tuple[str, ...]) -> list[_Entry]:
    """The stems a head of ``kinds`` fits, of its most preferred kind."""
    stems = [e for e in entries if e.role == "stem" and e.kind in kinds]
    if not stems:
        return []
    best = min(kinds.index(e.kind) for e in stems)
    return [e for e in stems if e.kind == kinds[best]]


def _stems_of(idx: _Index, t: _Text, h: _Hit) -> list[_Entry]:
    return [e for e in idx.entries.get(t.low[h.start : h.stop], []) if e.role == "stem"]


def _is_russian(t: _Text, h: _Hit) -> bool:
    return any("а" <= c <= "я" for c in t.low[h.start : h.stop])


def _list_head(t: _Text, idx: _Index, start: int) -> _Head | None:
    """The plural head right before a list that starts at ``start`` ("four regions - "):
    ``idx.list_head_re.search(t.low, start - 40, start)``, tried where a list head starts."""
    lo = max(0, start - 40)
    for pos in t.list_heads[bisect.bisect_left(t.list_heads, lo) :]:
        if pos >= start:
            break
        if m := idx.list_head_re.match(t.low, pos, start):
            return idx.heads[m.group(1)]
    return None


def _attach_heads(t: _Text, idx: _Index, hits: list[_Hit]) -> tuple[list[_Hit], list[int], list[int]]:
    """Join each stem to the head after it (or before it); keep names; leave bare stems pending;
    settle the hits of one place (first, so that they can tell apart the others). In the same
    pass: the starts of the hits kept, and for each, the index of the first hit of the list it
    belongs to (settling changes no offsets)."""
    kept: list[_Hit] = []
    starts: list[int] = []
    first: list[int] = []
    skip_until = -1
    stop = -_SEPARATOR_MAX - 1  # of the hit kept before
    low = t.low
    for h in hits:
        start = h.start
        if start < skip_until:
            continue
        if h.place is None:  # not a name alone (settled already)
            forms = h.forms
            m = idx.head_re.match(low, h.stop) if forms.stems else None
            head = idx.heads[m.group(1)] if m else None
            fitting = forms.fit(head.kinds) if head else ()
            if fitting:
                h.entries, h.head = fitting, head
                if head.in_span:
                    h.stop = skip_until = m.end()
            elif forms.stems:
                b = idx.before_re.search(low, max(0, start - 30), start)
                fitting = forms.fit(idx.before[b.group(1)]) if b else ()
                if fitting:
                    h.entries = fitting
                elif forms.names:
                    h.entries = forms.names
                else:
                    h.pending = forms.stems
            if not h.pending:
                entries = h.entries
                if len(entries) == 1 or len({e.place_id for e in entries}) == 1:
                    _settle(h, entries[0])
        gap = start - stop
        joined = gap <= _SEPARATOR_MAX and _SEPARATOR.match(low[stop:start])
        first.append(first[-1] if joined else len(kept))
        starts.append(start)
        kept.append(h)
        stop = h.stop
    return kept, starts, first


def _carry_heads(t: _Text, idx: _Index, hits: list[_Hit], starts: list[int], chain: list[int]) -> None:
    """A head after a list carries back to its members ("Bryansk, Sverdlovsk, Leningrad
    regions"); a plural head before a list carries forward ("four regions - Minsk, Gomel")."""
    for i in [i for i, h in enumerate(hits) if h.head is not None]:
        h = hits[i]
        j = i - 1
        while j >= 0 and chain[j + 1] != j + 1:
            prev = hits[j]
            stems = _fitting(prev.pending or _stems_of(idx, t, prev), h.head.kinds)
            # a stem that is also a name ("Moscow") takes the head only from a plural one
            if not stems or not (prev.pending or h.head.plural or _is_russian(t, prev)):
                break
            if _CUE.search(t.before(prev.start)):
                break  # "в городе Белоярский, Белоярский район": a town, then a district
            _settle(prev, _pick(stems, _context(hits, starts, j)))
            j -= 1
    # the hits with a list head less than 40 characters before them
    after_list_heads = set()
    for pos in t.list_heads:
        i = bisect.bisect_right(starts, pos)
        while i < len(starts) and starts[i] <= pos + 40:
            after_list_heads.add(i)
            i += 1
    for i in sorted(after_list_heads):
        h = hits[i]
        if chain[i] != i:
            continue  # not the first of a list
        head = _list_head(t, idx, h.start)
        if head is None:
            continue
        j = i
        while j < len(hits) and chain[j] == i:
            stems = _fitting(hits[j].pending or _stems_of(idx, t, hits[j]), head.kinds)
            if stems and hits[j].head is None:
                _settle(hits[j], _pick(stems, _context(hits, starts, j)))
            j += 1


def _adjectival_districts(t: _Text, hits: list[_Hit], starts: list[int], chain: list[int]) -> None:
    """ "Luzhsky and Gorodoksky": English adjectival district names joined in a list with
    another place are districts even without the word "district"."""
    for i, h in enumerate(hits):
        if not h.pending or not _ADJECTIVAL_EN.search(t.low[h.start : h.stop]):
            continue
        members = []
        j = chain[i]
        while j < len(hits) and chain[j] == chain[i]:
            members += [j] if j != i else []
            j += 1
        if any(hits[j].place is not None or hits[j].pending for j in members):
            districts = [e for e in h.pending if e.kind == "district"]
            if districts:
                _settle(h, _pick(districts, _context(hits, starts, i)))


def _check_districts(hits: list[_Hit], starts: list[int]) -> list[tuple[int, int]]:
    """A district of a city needs its city nearby; one of several same-named districts needs
    its region nearby. Those without are unresolved (their spans)."""
    unresolved = []
    for i, h in enumerate(hits):
        if h.place is None or h.place.level != "district":
            continue
        alternatives = [e for e in h.entries if e.place.level == "district"]
        near = _context(hits, starts, i)
        close = {x for w, q in near if w >= _CITY_DISTRICT_WEIGHT for x in (q.place_id, q.region)}
        anywhere = {x for _, q in near for x in (q.place_id, q.region)}
        ambiguous = len({e.place_id for e in alternatives}) > 1
        good = []
        for e in alternatives:
            city = gz.city_of_district(e.place_id)
            ok = city in close if city is not None else not ambiguous or e.place.region in anywhere
            if ok:
                good.append(e)
        if not good:
            h.place = None
            unresolved.append((h.start, h.stop))
        elif h.place.place_id not in {e.place_id for e in good}:
            _settle(h, _pick(good, near))
    return unresolved


def _resolve(t: _Text, idx: _Index, hits: list[_Hit]) -> tuple[list[_Hit], list[tuple[int, int]]]:
    """The hits resolved, and the spans of those unresolved."""
    hits, starts, chain = _attach_heads(t, idx, hits)
    unsettled = [h for h in hits if h.place is None]
    for i, h in enumerate(hits if unsettled else ()):
        if h.place is None and not h.pending:
            cue = bool(_CUE.search(t.before(h.start)))
            _settle(h, _pick(h.entries, _context(hits, starts, i), cue))
    _carry_heads(t, idx, hits, starts, chain)
    pending = [h for h in unsettled if h.pending]  # carrying heads only settles some
    if pending:
        _adjectival_districts(t, hits, starts, chain)
    unresolved = _check_districts(hits, starts)
    for h in pending:
        if h.place is not None or not h.pending:
            continue
        word = t.low[h.start : h.stop]
        if any(e.role != "stem" for e in idx.entries.get(word, [])):
            continue  # a name its guard turned down ("Vladimir" in "Vladimir Putin")
        # an adjective alone stands for its region: "дагестанской делегации", "Belarusian-Chechen",
        # and "гомельская делегация" though Gomel District shares the stem (it lies in the region)
        regions = {e.place_id: e for e in h.pending if e.place.level == "region"}
        region = next(iter(regions.values())) if len(regions) == 1 else None
        if (
            region is not None
            and all(e.place.region == region.place.region for e in h.pending)
            and not word.startswith(idx.common_stems)
        ):
            _settle(h, region)
            h.kind = "adjective"
        elif not _is_russian(t, h):
            unresolved.append((h.start, h.stop))  # "Bryanskaya" of several places
    return hits, unresolved


def _merge_appositions(t: _Text, hits: list[_Hit]) -> list[list]:
    """[start, stop, hit] of each mention: of each hit resolved, but "Кемеровская область —
    Кузбасс" is one mention of one place."""
    out: list[list] = []
    low = t.low
    for h in hits:
        if h.place is None:
            continue
        if out:
            last = out[-1]
            gap = h.start - last[1]
            if 0 <= gap <= 3 and low[h.start - gap : h.start] in (" - ", "-") and last[2].place == h.place:
                last[1] = h.stop
                continue
        out.append([h.start, h.stop, h])
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, stop: int) -> bool:
    """Whether [start, stop) overlaps one of the sorted, non-nested ``spans``."""
    i = bisect.bisect_left(spans, (stop, stop))
    return i > 0 and spans[i - 1][1] > start


_unresolved_sink: ContextVar[list[str] | None] = ContextVar("unresolved_sink", default=None)


@contextmanager
def collecting_unresolved() -> Iterator[list[str]]:
    """Collect the unresolved place-like phrases of every ``scan`` inside the block, so that a
    pipeline can report what its extractors met but could not resolve (never guessed)."""
    sink: list[str] = []
    token = _unresolved_sink.set(sink)
    try:
        yield sink
    finally:
        _unresolved_sink.reset(token)


def scan(text: str, check_case: bool = True) -> tuple[list[PlaceMention], list[Substring]]:
    """The places named in ``text`` (sorted, non-overlapping, offsets into ``text``), and the
    place-like phrases that name nothing known ("Xyz region"). ``check_case=False`` (for a
    single phrase) also accepts lower-case names and skips the context guards.

    Results are memoised per text: the extractors of one document ask about the same
    sentences, and a sentence resolves the same way each time."""
    mentions, unresolved = _scan(text, check_case)
    sink = _unresolved_sink.get()
    if sink is not None:
        sink.extend(u.text for u in unresolved)
    return list(mentions), list(unresolved)


@lru_cache(maxsize=8192)
def _scan(text: str, check_case: bool) -> tuple[tuple[PlaceMention, ...], tuple[Substring, ...]]:
    idx = _index()
    t = _Text(text)
    raw = _raw_hits(t, idx, check_case)
    hits, unresolved_spans = _resolve(t, idx, raw) if raw else ([], [])
    merged = _merge_appositions(t, hits)
    covered = [(s, e) for s, e, _ in merged] + unresolved_spans if t.head_starts != [[], []] else None
    if t.shifted:
        merged = [(s, e, h) for (s, e), (_, _, h) in zip(t.spans(merged), merged, strict=True)]
        unresolved_spans = [t.span(start, stop) for start, stop in unresolved_spans]
    mentions = [PlaceMention(s, e, text[s:e], h.place, h.kind) for s, e, h in merged]
    unresolved = [Substring(s, e, text[s:e]) for s, e in unresolved_spans]
    if covered is not None:  # a head of an unresolved phrase may be there
        covered_orig = [(s, e) for s, e, _ in merged] + unresolved_spans if t.shifted else covered
        unresolved += _unresolved_phrases(t, idx, covered, covered_orig)
    if len(unresolved) > 1:
        unresolved.sort(key=lambda u: u.start)
    return tuple(mentions), tuple(unresolved)


def _unresolved_phrases(
    t: _Text, idx: _Index, covered: list[tuple[int, int]], covered_orig: list[tuple[int, int]]
) -> list[Substring]:
    """ "Xyz region", "Энской области": a capitalised word before a head, outside the spans of
    the mentions and of the unresolved hits (``covered`` in the folded text, ``covered_orig``
    in the text)."""
    out = []
    text = t.text
    covered.sort()
    covered_orig.sort()
    for (head_re, word_re), starts in zip(idx.unresolved, t.head_starts, strict=True):
        # a phrase would overlap a mention ("Minsk region"): the common case
        for head in _uncovered_matches(t, head_re, starts, covered, covered_orig):
            m = _word_before(text, word_re, head.start())
            if m is None:
                continue
            word = m.group(1).lower()
            if word in idx.ignore or word.split("-")[0] in idx.ignore:
                continue
            if not _overlaps(covered_orig, m.start(), head.end()):
                out.append(Substring(m.start(), head.end(), text[m.start() : head.end()]))
    return out


def _word_before(text: str, word_re: re.Pattern, stop: int) -> re.Match | None:
    """``word_re.search(text, stop - 60, stop)`` (a word, then white space up to ``stop``) in
    one ``match``: the word is letters and hyphens with no word character or hyphen before
    it, so it can only start where the run of those before the white space does (if that is
    before the window, the look-behind fails there as at every later start)."""
    lo = max(0, stop - 60)
    start = lo + len(text[lo:stop].rstrip())
    while start > lo and ((c := text[start - 1]).isalnum() or c in "_-"):  # [\w-]
        start -= 1
    return word_re.match(text, start, stop)


def _uncovered_matches(
    t: _Text,
    pattern: re.Pattern,
    starts: list[int] | None,
    covered: list[tuple[int, int]],
    covered_orig: list[tuple[int, int]],
) -> list[re.Match]:
    """The matches of ``pattern.finditer(t.text)`` that start outside ``covered`` (sorted
    spans, in the folded text; ``covered_orig`` in the text), trying only the folded offsets
    ``starts`` (all if None). A start inside ``covered`` is matched only when a later one is
    not, to know where its match ends (the next match starts after it)."""
    if starts is None:
        return [m for m in pattern.finditer(t.text) if not _overlaps(covered_orig, m.start(), m.start() + 1)]
    out: list[re.Match] = []
    end = 0
    deferred: list[int] = []
    for start in sorted(set(starts)) if len(starts) > 1 else starts:
        if _overlaps(covered, start, start + 1):
            deferred.append(start)
            continue
        for skipped in deferred:
            if (pos := t.orig(skipped)) >= end and (m := pattern.match(t.text, pos)):
                end = m.end()
        deferred.clear()
        if (pos := t.orig(start)) >= end and (m := pattern.match(t.text, pos)):
            out.append(m)
            end = m.end()
    return out


def find_places(text: str) -> list[PlaceMention]:
    """The places named in ``text``: sorted, non-overlapping, longest match first."""
    return scan(text)[0]


@cache
def _canonical() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for p in reversed(gz.load_places()):  # earlier rows (countries, regions) win
        for n in (p.name, p.name_ru, gz.bare_name(p.name)):
            if n:
                out[_key(n)] = p
    return out


def resolve_name(name: str, lang: str | None = None) -> Place | None:
    """The place a single phrase names ("Bryansk region", "Брянской области", "Minsk"), or None.
    ``lang`` is accepted for symmetry with the extractors; both languages are always tried."""
    exact = _canonical().get(_key(name))
    if exact is not None:
        return exact
    mentions = scan(name, check_case=False)[0]
    named = [m for m in mentions if m.kind == "name"] or mentions
    if not named:
        return None
    return max(named, key=lambda m: m.stop - m.start).place


def resolve_json_lines(text: str) -> list[dict]:
    """The objects ``coop resolve`` prints: one per place found (``kind`` name or adjective),
    then one per unresolved place-like phrase (``kind`` unresolved, place fields null)."""
    mentions, unresolved = scan(text)
    out = [
        {
            "start": m.start,
            "end": m.stop,
            "mention": m.text,
            "name": m.place.name,
            "country": m.place.country,
            "level": m.place.level,
            "region": m.place.region,
            "kind": m.kind,
        }
        for m in mentions
    ]
    out += [
        {
            "start": u.start,
            "end": u.stop,
            "mention": u.text,
            "name": None,
            "country": None,
            "level": None,
            "region": None,
            "kind": "unresolved",
        }
        for u in unresolved
    ]
    return sorted(out, key=lambda o: o["start"])
