"""The two sides of a bilateral fact (an agreement, a twinning).

``sides(text)`` finds the places of a sentence that can be parties: it drops places that only
qualify an organisation ("Pskov State University"), name an event ("Forum of Regions of Belarus and
Russia"), give an address ("Zernograd District *of the Rostov region*") or a venue ("signed *in
Minsk*"); it turns phrases such as "Russian regions" into group parties, and a city named in a list
of regions into its region. ``Context`` supplies a side a sentence leaves out ("the parties signed",
"стороны подписали") from the sentences before it. Rules live in ``data/rules/sides.yaml``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Generic, TypeVar

from pipelines.extract.literals import AnyOf, Guarded, Needed
from pipelines.extract.memo import MAX_CHARS, listing, memoised
from pipelines.extract.rulefiles import load_rules
from pipelines.model import Document, Party, PlaceMention, Sentence
from pipelines.places.resolver import find_places, scan

BELARUS = "BY"
_RANK = {"country": 0, "region": 1, "city": 2, "district": 3}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Side:
    """A party candidate; offsets into the text ``sides`` was given (-1 when carried over).
    ``hint``: a foreign adjective that qualifies no known place ("the Kazakh Family"), or a
    place-like phrase the gazetteer does not know ("the city of Yiu"): a side is named there, but
    not one we know, so none may be carried in for it. ``compound``: one half of "Belarusian-French
    relations", a topic rather than a signatory: used only to carry a side into a later sentence."""

    start: int
    stop: int
    party: Party
    group: bool = False
    venue: bool = False
    hint: bool = False
    compound: bool = False

    @property
    def belarusian(self) -> bool:
        return self.party.country == BELARUS


def alternation(value) -> str:
    """A YAML list of patterns as one alternation."""
    return "|".join(f"(?:{v})" for v in value) if isinstance(value, list) else value


def fold(text: str) -> str:
    """Lower case with the offsets kept: the rules are written in lower case and matched without
    re.IGNORECASE, which is several times slower."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@cache
def rules() -> SimpleNamespace:
    raw = load_rules("rules/sides.yaml")
    right = raw["organisation_words_right"]
    left = raw["organisation_left_words"]

    def org_patterns(orgs: list[str]) -> SimpleNamespace:
        org = alternation(orgs)
        return SimpleNamespace(
            right=re.compile(rf"^[\s-]*(?:[\w'.-]+\s+){{0,{right}}}?(?:{org})(?!\w)"),
            left=re.compile(rf"(?<!\w)(?:{org})(?:\s+[\w'.-]+){{0,{left}}}?\s+(?:the\s+)?$"),
            # whether a text holds a word of an organisation (a literal test), which both need:
            # else no place of the text qualifies one, and none is tested
            named=Guarded(re.compile(org)).may_match,
            any=AnyOf([rf"(?<!\w)(?:{o})(?!\w)" for o in orgs]),
        )

    def one(key: str) -> re.Pattern:
        return re.compile(alternation(raw[key]))

    return SimpleNamespace(
        org=org_patterns(raw["organisations"]),
        org_cased=org_patterns(raw["organisations_cased"]),
        boundary=one("boundary"),
        not_parties=Guarded(one("not_parties")),
        # one alternation with the date line first; the date line matches only at the start, so
        # the rest are read after it (the same spans), each only when a word it needs is there
        date_line=re.compile(raw["not_parties_date_line"]),
        not_parties_cased=Guarded(one("not_parties_cased")),
        groups=[(g["name"], g["country"], Guarded(re.compile(g["pattern"]))) for g in raw["groups"]],
        group_before=one("group_before"),
        group_after=one("group_after"),
        group_names=raw["group_names"],
        region_list_before=one("region_list_before"),
        region_list_after=one("region_list_after"),
        anaphors=AnyOf(raw["anaphors"]),
        country_heads=re.compile(r"\s+(?:[\w-]+\s+)?" + raw["country_adjective_heads"]),
        capital_heads=re.compile(r"\s+" + raw["capital_heads"]),
        capitals=raw["capitals"],
        venue_before=one("venue_before"),
        unknown_place=Guarded(one("unknown_place")),
        region_word=re.compile(raw["region_word"], re.I),
        container_gap=one("container_gap"),
        capital_before=one("capital_before"),
        capital_gap=one("capital_gap"),
        capital_adjacent=one("capital_adjacent"),
        carry_back=int(raw["carry_back_sentences"]),
    )


def _is_organisation(text: str, low: str, m: PlaceMention) -> bool:
    """The place qualifies an organisation: "Pskov State University", "Center of Tomsk Region"."""
    r = rules()
    right_end = m.stop + 80
    cut = r.boundary.search(low, m.stop, right_end)
    right_end = cut.start() if cut else min(right_end, len(text))
    left_start = max(0, m.start - 80)
    cuts = list(r.boundary.finditer(low, left_start, m.start))
    if cuts:
        left_start = cuts[-1].end()
    for org, source in ((r.org, low), (r.org_cased, text)):
        if org.right.match(source[m.stop : right_end]) or org.left.search(source[left_start : m.start]):
            return True
    return False


@cache
def named_party(name: str) -> Party | None:
    """The party a name alone stands for ("Vitebsk region"), if it stands for exactly one."""
    found = find_places(name)
    return found[0].place.as_party() if len(found) == 1 else None


def _group(country: str) -> Party:
    from pipelines.places.gazetteer import country_place

    names = rules().group_names
    name = names.get(country) or f"regions of {country_place(country).name}"
    return Party(name, country, "group")


def _as_region(low: str, m: PlaceMention) -> Party:
    """A city in a list of regions ("regions - Minsk, Gomel", "Brest and Gomel regional
    executive committees") stands for its region."""
    r = rules()
    if m.place.level != "city":
        return m.place.as_party()
    if r.region_list_before.search(low[max(0, m.start - 80) : m.start]) or r.region_list_after.match(
        low[m.stop : m.stop + 80]
    ):
        region = named_party(f"{m.text} region")
        if region is not None and region.level == "region" and region.country == m.place.country:
            return region
    return m.place.as_party()


def _adjective_side(low: str, m: PlaceMention) -> Party | None:
    """An adjective stands for its country only before "side", "government"...; "the Belarusian
    capital" is Minsk."""
    r = rules()
    if m.place.level != "country":
        return m.place.as_party()
    if r.capital_heads.match(low, m.stop):
        name = r.capitals.get(m.place.country)
        return named_party(name) if name else None
    if r.country_heads.match(low, m.stop):
        return m.place.as_party()
    return None


def _is_compound(text: str, m: PlaceMention) -> bool:
    """One half of a hyphenated pair of adjectives: "Belarusian-French relations"."""
    return m.kind == "adjective" and (
        text[m.stop : m.stop + 1] == "-" or text[max(0, m.start - 1) : m.start] == "-"
    )


def _masked(text: str, low: str) -> list[tuple[int, int]]:
    r = rules()
    spans = [(m.start(), m.end()) for m in r.not_parties.finditer(low)]
    line = r.date_line.match(text)
    if line is not None:
        spans.append(line.span())
    return spans + [m.span() for m in r.not_parties_cased.finditer(text, line.end() if line else 0)]


@memoised(maxsize=512)
def has_organisation(text: str) -> bool:
    """An organisation is named, outside event names and the like ("Eurasian Economic Union")."""
    r = rules()
    low = fold(text)
    if not (r.org.named(low) or r.org_cased.named(text)):
        return False  # no word of an organisation (masking only blanks words out)
    spans = _masked(text, low)
    if spans:
        keep = [True] * len(text)
        for a, b in spans:
            keep[a:b] = [False] * (b - a)
        text = "".join(c if k else " " for c, k in zip(text, keep, strict=True))
        low = "".join(c if k else " " for c, k in zip(low, keep, strict=True))
    return bool(r.org.any.search(low) or r.org_cased.any.search(text))


@memoised(maxsize=256)
def points_back(text: str) -> bool:
    """The text refers to parties named before ("the parties", "this Russian region")."""
    return bool(rules().anaphors.search(fold(text)))


def _venue(low: str, m: PlaceMention, party: Party) -> bool:
    r = rules()
    city_like = party.level == "city" or (party.level == "region" and not r.region_word.search(party.name))
    return city_like and bool(r.venue_before.search(low[max(0, m.start - 30) : m.start]))


def sides(text: str) -> list[Side]:
    """Party candidates of ``text`` in order, offsets into ``text``. The places come from ``scan``
    every time (it is memoised there, and it reports the phrases it could not resolve for each
    document that names them); what is read from them is memoised here."""
    scan(text)
    return _sides(text)


@listing(maxsize=1024)
def _sides(text: str) -> list[Side]:
    r = rules()
    low = fold(text)
    masked = _masked(text, low)
    groups: list[Side] = []
    for name, country, pattern in r.groups:
        for g in pattern.finditer(low):
            if not any(a <= g.start() and g.end() <= b for a, b in masked):
                groups.append(Side(g.start(), g.end(), Party(name, country, "group"), group=True))
    covered = masked + [(g.start, g.stop) for g in groups]

    mentions, unresolved = scan(text)
    organisations = r.org.named(low) or r.org_cased.named(text)
    found: list[Side] = [Side(u.start, u.stop, Party("?", None, "unknown"), hint=True) for u in unresolved]
    for m in mentions:
        if any(a <= m.start and m.stop <= b for a, b in covered):
            continue
        if m.place.level == "country" and (
            r.group_before.search(low[max(0, m.start - 60) : m.start]) or r.group_after.match(low, m.stop)
        ):
            groups.append(Side(m.start, m.stop, _group(m.place.country), group=True))
            continue
        if _is_compound(text, m):
            found.append(Side(m.start, m.stop, m.place.as_party(), compound=True))
            continue
        if m.kind == "adjective":
            party = _adjective_side(low, m)
            if party is None:
                if m.place.country != BELARUS and re.match(r"\s+[A-ZА-ЯЁ]", text[m.stop : m.stop + 3]):
                    found.append(Side(m.start, m.stop, m.place.as_party(), hint=True))
                continue
        else:
            party = _as_region(low, m)
        if organisations and _is_organisation(text, low, m):
            continue
        found.append(Side(m.start, m.stop, party, venue=_venue(low, m, party)))

    known = [(s.start, s.stop) for s in found]
    for u in r.unknown_place.finditer(text):
        if not any(a < u.end() and u.start() < b for a, b in known + masked):
            found.append(Side(u.start(), u.end(), Party("?", None, "unknown"), hint=True))
    found.sort(key=lambda s: s.start)
    return sorted(_drop_addresses(low, found) + groups, key=lambda s: s.start)


def _drop_addresses(text: str, found: list[Side]) -> list[Side]:
    """Drop a place that only locates the smaller place before it ("Vitebsk (Republic of
    Belarus)", "the Zernograd District of the Rostov region"), or whose capital the city after it
    is ("столица Татарстана Казань")."""
    r = rules()
    out: list[Side] = []
    for s in found:
        prev = out[-1] if out else None
        if prev is None or prev.hint or s.hint or prev.party.country != s.party.country:
            out.append(s)
            continue
        if _contains(s, prev) and r.container_gap.search(text[prev.stop : s.start]):
            continue
        gap = text[prev.stop : s.start]
        if (
            s.party.level == "city"
            and _contains(prev, s)
            and (
                r.capital_gap.search(gap)
                or (
                    r.capital_adjacent.search(gap)
                    and r.capital_before.search(text[max(0, prev.start - 20) : prev.start])
                )
            )
        ):
            out[-1] = s
            continue
        out.append(s)
    return out


def _contains(big: Side, small: Side) -> bool:
    """``big`` is a larger place that holds ``small`` (same country; its region, or the country)."""
    return _RANK.get(small.party.level, 0) > _RANK.get(big.party.level, 0) and (
        big.party.level == "country" or small.party.region == big.party.region
    )


def parties(found: list[Side], compounds: bool = False) -> tuple[list[Side], list[Side]]:
    """The Belarusian and the other named parties (no groups, venues or hints; halves of
    "Belarusian-French" only when ``compounds``)."""
    named: dict = {}
    for s in found:
        if _is_named(s, compounds):
            named.setdefault(s.party.key(), s)  # the first mention of each party
    return _split(list(named.values())) if named else ([], [])


def _is_named(s: Side, compounds: bool = False) -> bool:
    return not (s.group or s.venue or s.hint or (s.compound and not compounds))


def _split(named: list[Side]) -> tuple[list[Side], list[Side]]:
    """The Belarusian and the other parties of the first mentions ``named``."""
    # a country beside a smaller place of its own is not a side of its own ("the Belarusian side ...
    # four Belarusian regions - Minsk, Gomel"; "South Kazakhstan" read as Kazakhstan)
    smaller = {s.party.country for s in named if s.party.level != "country"}
    by: list[Side] = []
    other: list[Side] = []
    for s in named:
        if not (s.party.level == "country" and s.party.country in smaller):
            (by if s.belarusian else other).append(s)
    return by, other


class ByStart(Generic[T]):
    """Things of a sentence in order of their ``start`` (sides, dates), and those starting in a
    part of it, found by bisection: a sentence listing many documents asks once per document
    noun, and walking the whole list each time would cost its length times their number."""

    def __init__(self, items: list[T]):
        self.items = items
        self._starts = [x.start for x in items]  # type: ignore[attr-defined]

    def _range(self, start: int, stop: int) -> tuple[int, int]:
        lo = bisect.bisect_left(self._starts, start)
        return lo, max(lo, bisect.bisect_left(self._starts, stop))

    def within(self, start: int, stop: int) -> list[T]:
        """Those starting from ``start`` up to ``stop``."""
        lo, hi = self._range(start, stop)
        return self.items[lo:hi]


class SentenceSides(ByStart[Side]):
    """The sides of a sentence (``sides``), with the parties named outside a part of it."""

    def __init__(self, found: list[Side]):
        super().__init__(found)
        self._mentions: dict | None = None  # each party's named mentions, by position; read once asked
        self._hinted: bool | None = None

    @property
    def hinted(self) -> bool:
        if self._hinted is None:
            self._hinted = hinted(self.items)
        return self._hinted

    def parties_outside(self, start: int, stop: int) -> tuple[list[Side], list[Side]]:
        """``parties`` of the sides not starting from ``start`` up to ``stop``."""
        if self._mentions is None:
            self._mentions = {}
            for k, s in enumerate(self.items):
                if _is_named(s):
                    self._mentions.setdefault(s.party.key(), []).append(k)
        lo, hi = self._range(start, stop)
        first = []
        for places in self._mentions.values():  # each party's first mention outside
            if places[0] < lo:
                first.append(places[0])
            else:
                k = bisect.bisect_left(places, hi)
                if k < len(places):
                    first.append(places[k])
        return _split([self.items[k] for k in sorted(first)])


def without_containers(found: list[Side]) -> list[Side]:
    """Drop a city or region when a district inside it is named beside it ("another district of
    Minsk - Frunzensky"): the district is the side."""
    districts = [t for t in found if t.party.level == "district"]
    if not districts:
        return list(found)
    return [
        s
        for s in found
        if not any(
            t is not s and s.party.level in ("city", "region") and t.party.region == s.party.region
            for t in districts
        )
    ]


def hinted(found: list[Side]) -> bool:
    return any(s.hint for s in found)


def grouped(found: list[Side], belarusian: bool) -> bool:
    """The text names that side as a group ("all regions of the Republic of Belarus")."""
    return any(s.group and s.belarusian == belarusian for s in found)


class Stems:
    """Plain word stems ("agreem|treat|план"), and whether the lower case of a text holds one
    (``literals.Needed``: one pass of an Aho-Corasick automaton for many)."""

    def __init__(self, alternation: str):
        self.words = alternation.split("|")
        if not all(re.fullmatch(r"\w+", w) for w in self.words):
            raise ValueError(f"not plain stems: {alternation}")
        self._needed = Needed(self.words)
        # the answer is kept for each sentence (a site's pages repeat theirs; ``memo`` keeps no
        # text longer than MAX_CHARS), and asked through a C call: most sentences hold no stem
        self._held = lru_cache(maxsize=4096)(self.holds)

    def holds(self, text: str) -> bool:
        return self._needed.held_by(text.lower())

    def held_by(self, texts: list[str]) -> list[bool]:
        """``holds`` for each of ``texts``."""
        if texts and max(map(len, texts)) > MAX_CHARS:
            return [self.holds(t) if len(t) > MAX_CHARS else self._held(t) for t in texts]
        return list(map(self._held, texts))


@dataclass(frozen=True, slots=True)
class Carried:
    """A side taken from an earlier sentence, and that sentence."""

    party: Party
    source: Sentence

    @property
    def note(self) -> str:
        return f"from sentence {self.source.start}:{self.source.stop}"


class Context:
    """The body sentences of a document, their sides computed once and on demand."""

    _last: tuple[tuple, Context] | None = None  # the agreements and twinnings extractors share one

    def __init__(self, doc: Document):
        self.doc = doc
        self.body: list[Sentence] = [s for s in doc.sentences if s.zone == "body"]
        self._sides: dict[int, list[Side]] = {}
        self._pools: dict[tuple, list[Side]] = {}  # the candidates of a side in sentence j
        self.memo: dict = {}  # what an extractor reads once per document

    @classmethod
    def of(cls, doc: Document) -> Context:
        """The context of ``doc``, reused while the same document is being read."""
        key = (doc.doc_id, len(doc.text), len(doc.sentences))
        if cls._last is None or cls._last[0] != key or cls._last[1].doc is not doc:
            cls._last = (key, cls(doc))
        return cls._last[1]

    def holding(self, stems: Stems) -> list[bool]:
        """For each body sentence, whether one of ``stems`` is in its lower-cased text."""
        return stems.held_by([s.text for s in self.body])

    def sides(self, i: int) -> list[Side]:
        if i not in self._sides:
            self._sides[i] = sides(self.body[i].text)
        return self._sides[i]

    def _earlier(self, i: int, far: bool):
        paragraph = self.body[i].paragraph
        for j in range(i - 1, max(-1, i - 1 - rules().carry_back), -1):
            if not far and self.body[j].paragraph != paragraph:
                return
            yield j

    def _pool(self, j: int, belarusian: bool, skip_countries) -> list[Side]:
        """The candidates of one side in sentence ``j``, places before countries ("... along with
        Turkey, Ukraine ... the main trading partners of Rostov region": the topic is the region);
        read once for all the sentences after it."""
        key = (j, belarusian, skip_countries)
        if key not in self._pools:
            mine, other = parties(self.sides(j), compounds=True)
            pool = (
                mine
                if belarusian
                else [
                    s for s in other if not (s.party.level == "country" and s.party.country in skip_countries)
                ]
            )
            self._pools[key] = sorted(pool, key=lambda s: s.party.level == "country")
        return self._pools[key]

    def _foreign(self, i: int, far: bool, skip_countries) -> tuple[int, Party] | None:
        """The foreign side named last before sentence ``i``: a region or city if one is named in
        reach ("... along with Turkey, Ukraine. The parties signed" speaks of the region before),
        else a country."""
        country = None
        for j in self._earlier(i, far):
            pool = self._pool(j, False, skip_countries)
            if pool and pool[0].party.level != "country":
                return j, pool[0].party
            if pool and country is None:
                country = (j, pool[0].party)
        return country

    def carry(
        self, i: int, belarusian: bool, far: bool, skip_countries=("RU",)
    ) -> tuple[Party, Sentence] | None:
        """The party of the wanted side named last before sentence ``i``: in its paragraph, or
        (``far``) in the sentences before it up to ``carry_back_sentences``."""
        if not belarusian:
            got = self._foreign(i, far, skip_countries)
            return (got[1], self.body[got[0]]) if got else None
        for j in self._earlier(i, far):
            pool = self._pool(j, True, skip_countries)
            if pool:
                return pool[0].party, self.body[j]
        return None

    def carry_pair(self, i: int, far: bool, skip_countries=("RU",)) -> tuple[Carried | None, Carried] | None:
        """Both sides for "The parties signed...": the foreign side named last, and the Belarusian
        side named after it or in the sentence's own paragraph (None if neither: the text speaks
        of the partner's relations with Belarus as a whole)."""
        got = self._foreign(i, far, skip_countries)
        if got is None:
            return None
        source, other = got
        paragraph = self.body[i].paragraph
        for j in range(i - 1, -1, -1):
            if j < source and self.body[j].paragraph != paragraph:
                break
            pool = self._pool(j, True, skip_countries)
            if pool:
                return Carried(pool[0].party, self.body[j]), Carried(other, self.body[source])
        return None, Carried(other, self.body[source])
