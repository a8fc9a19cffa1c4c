"""Visits: who travelled where, when, led by whom (English and Russian).

A sentence is read only if the one compiled trigger regex finds a visit word in it. Each place
of the sentence then takes a *role* from the words around it (``data/rules/visits.yaml``):
``dest`` ("visited Minsk", "прибыл в Иркутскую область"), ``location`` ("in Vitebsk"),
``origin`` ("a delegation of the Omsk Region", "Belarusian delegation"), ``official``
("Governor of the Amur Region", "глава КЧР"), ``hosted`` ("Zhodino hosted"), ``member`` (one
side of "the Kyrgyz-Belarusian Commission"), ``leader`` (the Belarusian President, whose meetings
are held at home) or ``head`` (a place inside "headed by ..."). The roles vote for the host side
and the visitor side; a visit needs Belarus on one side and another country on the other.
What a sentence leaves out comes from its document: "that Russian region" and "the governor"
from the places the page names, a person's office from another sentence, the year from the
page's dateline. Counts of visits ("36 delegations headed by heads of regions visited Belarus
in 2024") become aggregate lines whose parties are groups ("Russian regions").
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from re import _parser as sre_parse
from types import SimpleNamespace
from typing import NamedTuple

from pipelines.extract.dates import find_dates, month_of, month_stems
from pipelines.extract.literals import Needed
from pipelines.extract.rulefiles import load_rules
from pipelines.model import Document, Evidence, Fact, Party, Place, Sentence
from pipelines.places.gazetteer import country_place, lexemes, place_kind
from pipelines.places.resolver import find_places

NAME = "visits"
VERSION = "3"
EXTRACTOR = f"{NAME}@{VERSION}"
BELARUS = "BY"

HOST_WEIGHT = {"dest": 3, "our": 3, "hosted": 3, "location": 2, "leader": 1}
VISITOR_WEIGHT = {"origin": 3}
PARTY_ROLES = ("origin", "official", "leader", "person", "member", "dest", "our", "hosted", "location")


@dataclass(slots=True)
class Mention:
    """A party candidate in one sentence; offsets into the sentence's text."""

    start: int
    stop: int
    party: Party
    kind: str  # name | adjective | group | leader | our | office | person
    role: str | None = None
    cue_start: int | None = None

    @property
    def country(self) -> str | None:
        return self.party.country


@dataclass(frozen=True, slots=True)
class Cue:
    role: str
    side: str  # before | after (the place)
    pattern: Rx
    gap: re.Pattern  # what may stand between cue and place
    tight: bool  # a gap of structure words only: as strong as adjacency
    kinds: tuple[str, ...] | None  # the mention kinds it applies to (None: all)
    when: Rx | None  # the cue holds only in a sentence this matches
    source: str  # an after cue's regex without its anchor, to join cues into one alternation


# Letters re.IGNORECASE folds onto a Latin or Cyrillic letter that str.lower() keeps apart
# (dotless i, long s, old Cyrillic forms).
_FOLDS_APART = re.compile("[\u0131\u017f\u1c80-\u1c88]")
_GROUP_SYNTAX = re.compile(r"\(\?P[<=]")
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


class Rx:
    """A rule regex, matched on lower-cased text when the pattern is all lower case (several times
    faster than re.IGNORECASE), else case-insensitively. A lower-case pattern misses the letters
    of ``_FOLDS_APART`` that re.IGNORECASE would fold onto its own; an ``exact`` one does not
    (a text with one is matched the slow way), and its group names (``(?P<day>``) may be any.
    A lower-case pattern searches only a text that holds one of the literals it needs."""

    __slots__ = ("pattern", "fast", "_slow", "exact", "needs")

    def __init__(self, pattern: str, exact: bool | None = None):
        self.pattern = pattern
        # By default a pattern not all lower case (if only for "(?P<") is exact: it always was
        # matched with re.IGNORECASE.
        self.exact = pattern != pattern.lower() if exact is None else exact
        plain = _GROUP_SYNTAX.sub("", pattern)
        self.fast = re.compile(pattern) if plain == plain.lower() else None
        self._slow = None if self.fast is not None else re.compile(pattern, re.I)
        self.needs = Needed.of(self.fast) if self.fast is not None else None

    @property
    def slow(self) -> re.Pattern:
        """The case-insensitive regex, compiled when first needed (seldom, for a lower-case one)."""
        if self._slow is None:
            self._slow = re.compile(self.pattern, re.I)
        return self._slow

    # The text last lower-cased: (text, its lower case or None if that changes its length,
    # whether it has a letter of _FOLDS_APART).
    _last: tuple[str, str | None, bool] = ("", "", False)

    @staticmethod
    def _lowered(text: str) -> tuple[str, str | None, bool]:
        last = Rx._last
        if last[0] is not text:
            low = text.lower()
            last = Rx._last = (text, low if len(low) == len(text) else None, bool(_FOLDS_APART.search(text)))
        return last

    def pick(self, text: str) -> tuple[re.Pattern | None, str]:
        """The regex to run and the text to run it on: the fast one on the lower case, None if
        that lacks every literal the fast one needs; else the case-insensitive one on ``text``.
        (Callers that run one regex many times on a text pick once.)"""
        if self.fast is not None:
            _, low, folds_apart = Rx._last if Rx._last[0] is text else Rx._lowered(text)
            if low is not None and not (folds_apart and self.exact):
                needs = self.needs
                return (self.fast if needs is None or needs.held_by(low) else None), low
        return self.slow, text

    def fast_text(self, text: str) -> str | None:
        """The lower case of ``text`` if every rule regex matches it there, else None."""
        _, low, folds_apart = Rx._lowered(text)
        return None if folds_apart else low

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        rx, t = self.pick(text)
        return iter(()) if rx is None else rx.finditer(t, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        rx, t = self.pick(text)
        return None if rx is None else rx.search(t, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        rx, t = self.pick(text)
        return None if rx is None else rx.match(t, pos, endpos)

    @property
    def groupindex(self):
        return (self.fast or self.slow).groupindex


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose places are not parties; a pattern's group ``mask`` narrows what it masks."""
    r = rules()
    out = []
    if not r.any_not_party.search(text):
        return out  # one pass instead of one per pattern: most sentences have none
    for pattern in r.not_parties:
        for m in pattern.finditer(text):
            out.append(m.span("mask") if "mask" in pattern.groupindex else m.span())
    return out


def _alt(value) -> str:
    return "|".join(f"(?:{v})" for v in value) if isinstance(value, list) else value


@cache
def rules() -> SimpleNamespace:
    raw = load_rules("rules/visits.yaml")
    months = "|".join(s for stems in month_stems().values() for s in stems)
    cues = []
    whens: dict[str, Rx] = {}  # one regex per condition, so a sentence is tested once for it
    for group in raw["cues"]:
        gap = re.compile(raw["gaps"][group["gap"]])
        pattern = _alt(group["patterns"])
        source = ""
        if group["side"] == "before":
            cue = Rx(rf"(?<![\w-])(?:{pattern})(?![\w-])")
        else:
            source = rf"(?:{raw['gaps'][group['gap']]})(?:{pattern})(?![\w-])"
            cue = Rx("^" + source)
        when = (
            whens.setdefault(group["when"], Rx(raw[group["when"]], exact=True)) if group.get("when") else None
        )
        tight = group["gap"] in ("none", "tight")
        kinds = tuple(group["kinds"]) if group.get("kinds") else None
        cues.append(Cue(group["role"], group["side"], cue, gap, tight, kinds, when, source))
    agg = raw["aggregate"]
    return SimpleNamespace(
        raw=raw,
        trigger=Rx(_alt(raw["trigger"]), exact=True),
        # The prefilter: the same words, unwrapped, on lower-cased text (several times faster).
        prefilter=re.compile("|".join(raw["trigger"])),
        prefilter_needs=Needed.of(re.compile("|".join(raw["trigger"]))),
        negative=Rx(rf"(?<!\w)(?:{_alt(raw['negative'])})(?!\w)"),
        negative_window=raw["negative_window"],
        remote=Rx(rf"(?<!\w)(?:{_alt(raw['remote'])})(?!\w)"),
        resident=Rx(rf"(?<!\w)(?:{raw['resident_officials']})(?!\w)", exact=True),
        location_window=raw["location_window"],
        weak_triggers=re.compile(raw["weak_triggers"]),
        repeated=Rx(_alt(raw["repeated"]), exact=True),
        cues=cues,
        plain_cues=tuple(i for i, c in enumerate(cues) if c.when is None),
        whens=list(whens.values()),
        head_cue=Rx(
            rf"(?<!\w)(?:{_alt(next(g['patterns'] for g in raw['cues'] if g['role'] == 'head'))})(?!\w)",
            exact=True,
        ),
        head_stop=re.compile(raw["head_stop"], re.I),
        head_max=raw["head_max_chars"],
        list_connector=re.compile(raw["list_connector"], re.I),
        qualifier_gap=re.compile(raw["qualifier_gap"], re.I),
        not_parties=[Rx(p) for p in raw["not_parties"]],
        any_not_party=Rx(_alt([_GROUP_NAME.sub("(?:", p) for p in raw["not_parties"]]), exact=True),
        bare_offices=Rx(rf"(?<!\w)(?:{_alt(raw['bare_offices'])})(?!\w)"),
        focus_min=raw["focus_min_mentions"],
        leaders=Rx(rf"(?<!\w)(?:{_alt(raw['host_leaders']['patterns'])})(?!\w)"),
        leader_country=raw["host_leaders"]["country"],
        our=Rx(rf"(?<!\w)(?:{_alt(raw['our_country']['patterns'])})(?!\w)"),
        our_country=raw["our_country"]["country"],
        anaphor=re.compile(rf"\s*(?:{raw['anaphor_nouns']})", re.I),
        country_heads=re.compile(rf"\s*(?:{raw['country_heads']})", re.I),
        capital_heads=re.compile(rf"\s*(?:{raw['capital_heads']})", re.I),
        capitals=raw["capitals"],
        bilateral=re.compile(rf"\s*(?:{raw['bilateral_bodies']})(?!\w)", re.I),
        adjective_after=re.compile(
            r"\s*(?:[\w-]+\s+)?(?:"
            + "|".join(
                f"(?:{_alt(g['patterns'])})"
                for g in raw["cues"]
                if g["side"] == "after" and g["role"] in ("origin", "official")
            )
            + ")",
            re.I,
        ),
        groups=[
            (
                key,
                g["name"],
                re.compile(rf"\s*(?:{g['noun']})(?!\w)", re.I),
                re.compile(rf"(?<!\w)(?:{g['noun']})\s+(?:of\s+)?(?:the\s+)?$", re.I),
            )
            for key, g in raw["groups"].items()
        ],
        counts=[Rx(p) for p in agg["count"]],
        not_count=re.compile(agg["not_count"], re.I),
        head_after=re.compile(agg["head_after"], re.I),
        head_titles=re.compile(agg["head_titles"], re.I),
        default_partner=agg["default_partner"],
        forum_word=re.compile(agg["forum_word"], re.I),
        title_words=Rx(rf"(?<!\w)(?:{raw['title_words']})", exact=True),
        title_before=re.compile(raw["title_before"], re.I),
        name_lead=re.compile(raw["name_lead"]),
        travel_words=re.compile(raw["travel_words"], re.I),
        capital_is_country=set(raw["capital_is_country"]),
        relative={
            k: Rx(rf"(?<!\w)(?:{_alt(v)})(?!\w)", exact=True) for k, v in raw["relative_dates"].items()
        },
        any_relative=Rx(
            rf"(?<!\w)(?:{_alt([_alt(v) for v in raw['relative_dates'].values()])})(?!\w)", exact=True
        ),
        earlier=re.compile(raw["earlier"], re.I),
        dated_max_chars=raw["dated_max_chars"],
        dateline=re.compile(raw["dateline"]),
        forum=re.compile(raw["forum_of_regions"]["pattern"], re.I),
        forum_first_year=raw["forum_of_regions"]["first_year"],
        not_visitors=Rx(rf"(?<!\w)(?:{raw['not_visitors']})(?!\w)", exact=True),
        day_month=Rx(
            rf"(?<![\w.])(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{months})(?!\w)"
            rf"|(?<!\w)(?P<month2>{months})\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?![\w.])",
            exact=True,
        ),
        month_only=Rx(rf"(?<!\w)(?:in|в|во)\s+(?P<month>{months})(?!\w)(?!\s+\d)", exact=True),
        of_this_year=Rx(
            r"\s*(?:of\s+)?(?:this|the\s+current)\s+year|\s*(?:этого|текущего)\s+года", exact=True
        ),
        this_that=re.compile(r"(?:this|that|these|those|этот|этого|этой|этом|эту|этим|данн\w+)\s+$", re.I),
        name=re.compile(
            r"(?:[A-ZА-ЯЁ]\.\s?){1,2}\s?[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ]?[a-zа-яё]+)?"
            r"|[A-ZА-ЯЁ][a-zа-яё]+(?:-[a-zа-яё]+)?(?:\s+(?:al-|bin\s+)?[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ]?[a-zа-яё]+)?){1,2}"
        ),
        initial_end=re.compile(r"(?<![\w.])[A-ZА-ЯЁ]\.\s*$"),
    )


def _party(place: Place) -> Party:
    return place.as_party()


def _group(name: str, country: str) -> Party:
    return Party(name, country, "group", None, None)


@cache
def _adjective(country: str) -> str:
    """The English adjective of a country, from the gazetteer ("Russian")."""
    adjectives = [
        lx.text for lx in lexemes() if lx.role == "adj" and lx.lang == "en" and lx.place_id == country
    ]
    return adjectives[0] if adjectives else country_place(country).name


# --- sentences -------------------------------------------------------------------------------


def units(doc: Document) -> list[Sentence]:
    """The body sentences, a sentence cut after an initial ("Governor V.") joined to the next."""
    out: list[Sentence] = []
    initial = rules().initial_end
    for s in doc.sentences:
        if s.zone != "body":
            continue
        prev = out[-1] if out else None
        # the regex can only match where the text ends (but for spaces): try it only there
        if prev and prev.paragraph == s.paragraph and initial.match(prev.text, len(prev.text.rstrip()) - 2):
            out[-1] = Sentence(prev.start, s.stop, doc.text[prev.start : s.stop], prev.zone, prev.paragraph)
        else:
            out.append(s)
    return out


# --- mentions and roles ----------------------------------------------------------------------


class DocContext:
    """What a sentence may borrow from its document: earlier places, people's offices, dates."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._offices: dict[str, Party | None] = {}
        self._main: Party | None | bool = False
        self._starts = [s.start for s in doc.sentences]
        self.dated = _reliable_date(doc)
        self.short = len(doc.text) <= rules().dated_max_chars
        self._latest_year: int | None | bool = False
        self.before = ""  # the paragraph's text before the sentence being read

    def focus(self, before: int, country: str, level: str) -> Party | None:
        """The place of ``country`` the text named last before offset ``before`` (a region or city),
        looking back a few thousand characters and at the title."""
        text = self.doc.text
        start = max(0, before - 1500)
        candidates = [(m.start + start, m) for m in find_places(text[start:before])]
        if start > 0:
            candidates = [(m.start, m) for m in find_places(text[:600])] + candidates
        best = None
        for _, m in candidates:
            p = m.place
            if m.kind != "name" or p.country != country or p.level == "country":
                continue
            if level == "city" and not _city_like(_party(p)):
                continue
            best = p
        return _party(best) if best else None

    def office_of(self, name: str) -> Party | None:
        """The territory whose office the document gives the person named ``name`` anywhere in it
        ("Ramzan Kadyrov, Head of the Chechen Republic"), if it gives exactly one."""
        key = _surname_key(name)
        if key not in self._offices:
            surname = name.split()[-1].split(".")[-1].strip()
            stem = surname[: max(4, len(surname) - 2)]
            found: dict[tuple, Party] = {}
            text = self.doc.text
            starts = self._starts
            pos = text.find(stem)
            seen = set()
            while pos >= 0 and len(seen) < 20:
                i = bisect.bisect_right(starts, pos) - 1
                if i >= 0 and i not in seen:
                    seen.add(i)
                    s = self.doc.sentences[i]
                    if rules().title_words.search(s.text):
                        mentions = _roles(s.text, _mentions(s.text, self, s.start, resolve_anaphora=False))
                        for m in mentions:
                            if m.role == "official" and any(
                                _surname_key(n) == key for n in _adjacent_names(s.text, m)
                            ):
                                found[m.party.key()] = m.party
                pos = text.find(stem, pos + 1)
            self._offices[key] = next(iter(found.values())) if len(found) == 1 else None
        return self._offices[key]

    def main_region(self) -> Party | None:
        """The foreign region the page names most often (at least ``focus_min_mentions`` times and
        more often than any other), if there is one."""
        if self._main is False:
            counts: dict[str, list] = {}
            for m in find_places(self.doc.text):
                p = m.place
                if p.country != BELARUS and p.level != "country" and p.region:
                    counts.setdefault(p.region, []).append(p)
            ranked = sorted(counts.values(), key=len, reverse=True)
            self._main = None
            if (
                ranked
                and len(ranked[0]) >= rules().focus_min
                and (len(ranked) == 1 or len(ranked[0]) > len(ranked[1]))
            ):
                places = ranked[0]
                best = next((p for p in places if p.level == "region"), places[0])
                self._main = _party(best)
        return self._main  # type: ignore[return-value]

    def latest_year(self) -> int | None:
        """The latest year the body mentions: the time frame of an undated document."""
        if self._latest_year is False:
            years = [d.year for s in self.doc.sentences if s.zone == "body" for d in find_dates(s.text)]
            self._latest_year = max(years) if years else None
        return self._latest_year  # type: ignore[return-value]

    def reference_year(self) -> int | None:
        return self.dated[0] if self.dated else self.latest_year()


def _surname_key(name: str) -> str:
    return name.split()[-1].split(".")[-1].strip().casefold()[:5]


def _adjacent_names(text: str, m: Mention) -> list[str]:
    """A person's name right after an official's place ("Governor of Tver Region Igor Rudenya",
    "... of Russia, Aleksei Russkikh") or right before its title ("Ramzan Kadyrov, Head of")."""
    r = rules()
    out = []
    after = r.name_lead.match(text[m.stop : m.stop + 80])
    tail = text[m.stop + (after.end() if after else 0) :]
    first = r.name.match(tail)
    if first:
        out.append(first.group(0))
    start = m.cue_start if m.cue_start is not None else m.start
    head = text[max(0, start - 60) : start]
    before = re.search(rf"({r.name.pattern}),\s*(?:the\s+)?$", head)
    if before:
        out.append(before.group(1))
    return out


def _mentions(text: str, ctx: DocContext, offset: int, resolve_anaphora: bool = True) -> list[Mention]:
    """The party candidates of one sentence: places, groups, the leader, "our country"."""
    r = rules()
    found = [Mention(m.start, m.stop, m.place.as_party(), m.kind) for m in find_places(text)]
    masked = _masked_spans(text) if found else None
    out = [m for m in found if not any(a <= m.start and m.stop <= b for a, b in masked)] if masked else found
    out = _groups(text, out)
    out = _drop_qualifiers(text, out)
    out = _adjectives(text, out, found, ctx, offset if resolve_anaphora else None)
    if resolve_anaphora and ctx.short:
        out += _bare_offices(text, out, ctx)
    for lm in r.leaders.finditer(text):
        inside = [m for m in out if lm.start() <= m.start < lm.end()]
        for m in inside:
            m.kind, m.role = "leader", "leader"
            m.party = _party(country_place(r.leader_country))
        if not inside:
            out.append(
                Mention(lm.start(), lm.end(), _party(country_place(r.leader_country)), "leader", "leader")
            )
    for om in r.our.finditer(text):
        out.append(Mention(om.start(), om.end(), _party(country_place(r.our_country)), "our"))
    countries = [m for m in out if m.party.level == "country"]
    for bm in _HYPHENED.finditer(text) if len(countries) >= 2 else ():
        pair = [m for m in countries if bm.start() <= m.start < bm.end()]
        if len(pair) == 2 and r.bilateral.match(text, bm.end()):
            for m in pair:
                m.role = "member"
    return sorted(out, key=lambda m: m.start)


_HYPHENED = re.compile(r"(?<!\w)(\w+)-(\w+)(?=\s)")
_OF_THE = re.compile(r"\s*(?:of\s+)?(?:the\s+)?(?:[\w-]+['’]s\s+)?", re.I)


def _bare_offices(text: str, mentions: list[Mention], ctx: DocContext) -> list[Mention]:
    """ "the governor", "губернатор Игорь Руденя": an office whose territory the sentence leaves
    out is, on a news page, the office of the foreign region the page is about."""
    out = []
    for om in rules().bare_offices.finditer(text):
        nxt = next((m for m in mentions if m.start >= om.end()), None)
        if nxt is not None and _OF_THE.fullmatch(text, om.end(), nxt.start):
            continue  # "губернатор Тульской области", "Governor of the Tula Region": the place is named
        if any(m.start <= om.start() < m.stop for m in mentions):
            continue
        party = ctx.main_region()
        if party is not None:
            out.append(Mention(om.start(), om.end(), party, "office"))
    return out


def _groups(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Russian regions", "регионов России", "constituent entities of the Russian Federation"."""
    r = rules()
    out = []
    for m in mentions:
        if m.party.level != "country":
            out.append(m)
            continue
        for _key, name, noun_after, noun_before in r.groups:
            after = noun_after.match(text, m.stop) if m.kind == "adjective" else None
            left = text[max(0, m.start - 60) : m.start]
            before = noun_before.search(left) if m.kind == "name" else None
            if after or before:
                start, stop = (
                    (m.start, after.end()) if after else (m.start - len(left) + before.start(), m.stop)
                )
                group = _group(name.format(adjective=_adjective(m.country)), m.country)
                out.append(Mention(start, stop, group, "group"))
                break
        else:
            out.append(m)
    return out


def _drop_qualifiers(text: str, mentions: list[Mention]) -> list[Mention]:
    """A country that only says where a place lies ("Ulyanovsk Region of Russia", "the Belarusian
    city of Zhodino", "Кемеровской области Российской Федерации") is not a party of its own."""
    gap = rules().qualifier_gap
    drop = set()
    for i, m in enumerate(mentions):
        if m.party.level != "country" or m.kind == "group":
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(mentions):
                continue
            n = mentions[j]
            if n.party.level in ("country", "group") or n.country != m.country:
                continue
            between = text[n.stop : m.start] if j < i else text[m.stop : n.start]
            if gap.match(between) and len(between) < 25:
                drop.add(i)
    return [m for i, m in enumerate(mentions) if i not in drop]


def _adjectives(text: str, mentions: list[Mention], found: list[Mention], ctx, offset) -> list[Mention]:
    """A country adjective is a party only as "the Belarusian side", "Belarusian delegation",
    "Belarusian President", one half of "Kyrgyz-Belarusian"; "the Belarusian capital" is the
    capital; "that Russian region", "this Chinese city" point back to the place of that country
    the text named last. Any other adjective only qualifies ("Belarusian technologies")."""
    r = rules()
    out = []
    for m in mentions:
        if m.kind != "adjective" or m.party.level != "country":
            out.append(m)
            continue
        capital = r.capital_heads.match(text, m.stop)
        noun = r.anaphor.match(text, m.stop)
        if capital:
            party = _capital(m.country)
            if party:
                out.append(Mention(m.start, capital.end(), party, "name"))
        elif noun:
            if offset is None:
                continue
            level = "city" if re.match(r"\s*(?:city|town|город)", noun.group(0), re.I) else "region"
            earlier = [x for x in found if x.stop <= m.start and x.country == m.country and x.kind == "name"]
            earlier = [x for x in earlier if x.party.level != "country"]
            party = earlier[-1].party if earlier else ctx.focus(offset + m.start, m.country, level)
            if party is not None:
                out.append(Mention(m.start, noun.end(), party, "name"))
        elif r.this_that.search(text[max(0, m.start - 12) : m.start]):
            continue
        elif (
            r.country_heads.match(text, m.stop)
            or r.adjective_after.match(text, m.stop)
            or text[m.stop : m.stop + 1] == "-"
            or text[m.start - 1 : m.start] == "-"
        ):
            out.append(m)
    return out


@cache
def _capital(country: str) -> Party | None:
    name = rules().capitals.get(country)
    found = find_places(name) if name else []
    return _party(found[0].place) if found else None


def _roles(text: str, mentions: list[Mention]) -> list[Mention]:
    """Give each mention the role of its nearest cue; a list continues its first item's role.
    A cue is blocked by any nearer cue, even one too far to govern the mention itself. Cues that
    hold only in some sentences (``when``: "thanked ... for the warm welcome") come first."""
    if not mentions:
        return mentions
    r = rules()
    scan = _cue_scan(text)
    prev: Mention | None = None
    for m in mentions:
        if m.role in ("leader", "member"):
            prev = m
            continue
        if any(a <= m.start < b for a, b, _ in scan.heads):
            m.role = "head"
            prev = m
            continue
        special = scan.special  # most sentences have no conditional cue: skip their lookups
        before = (special and _before(text, m, mentions, scan.special_before)) or _before(
            text, m, mentions, scan.plain_before
        )
        # an adjective belongs to the noun right after it first: "посетила гомельская делегация"
        adjective = m.kind == "adjective"
        after = adjective and ((special and _after(text, m, special)) or _after(text, m, r.plain_cues))
        if after:
            m.role = after
        elif before and (before[2] or before[3]):
            m.role, m.cue_start = before[0], before[1].start()
        elif not adjective and (
            after := (special and _after(text, m, special)) or _after(text, m, r.plain_cues)
        ):
            m.role = after
        elif (
            prev is not None
            and prev.role
            and m.kind != "adjective"  # "..., the Belarusian side proposed": no list item
            and r.list_connector.match(text[prev.stop : m.start])
        ):
            m.role, m.cue_start = prev.role, prev.cue_start
        elif before:
            m.role, m.cue_start = before[0], before[1].start()
        if m.kind == "our" and m.role in ("dest", "location"):
            m.role = "our"
        if m.kind == "office" and m.role not in ("origin", "head", "hosted", "dest"):
            m.role = "official"
        if m.role == "location" and not any(abs(t - m.start) <= r.location_window for t in scan.triggers):
            m.role = None  # "in" far from any visit word says where something else is
        prev = m
    return mentions


@dataclass(frozen=True, slots=True)
class _CueScan:
    """What a sentence's text says for the roles of any of its mentions, read once."""

    special: tuple[int, ...]  # the conditional cues (indices into ``rules().cues``) that hold
    special_before: tuple[list[int], list[tuple[Cue, re.Match]]]  # see _cue_matches
    plain_before: tuple[list[int], list[tuple[Cue, re.Match]]]
    heads: tuple[tuple[int, int, str], ...]
    triggers: list[int]  # starts of the visit words, but for weak ones


@lru_cache(maxsize=256)
def _cue_scan(text: str) -> _CueScan:
    r = rules()
    holding = [w for w in r.whens if w.search(text)]
    special = tuple(i for i, c in enumerate(r.cues) if c.when is not None and c.when in holding)
    return _CueScan(
        special,
        _cue_matches(text, special),
        _cue_matches(text, r.plain_cues),
        _head_spans(text),
        [t.start() for t in _triggers(text) if not r.weak_triggers.match(t.group(0))],
    )


@lru_cache(maxsize=256)
def _triggers(text: str) -> tuple[re.Match, ...]:
    """The visit words of a sentence (the prefilter, on its lower case)."""
    r = rules()
    low = text.lower()
    if r.prefilter_needs is not None and not r.prefilter_needs.held_by(low):
        return ()  # most sentences have none: one Aho-Corasick pass tells
    return tuple(r.prefilter.finditer(low))


def _cue_matches(text: str, cues: tuple[int, ...]) -> tuple[list[int], list[tuple[Cue, re.Match]]]:
    """The matches of the cues that stand before their place, nearest-first from any point, with
    their ends negated (ascending: to bisect)."""
    if not cues:
        return [], []
    chosen, locator = _before_cues(cues)
    found: list[tuple[Cue, re.Match]] = []
    low = locator.fast_text(text) if locator is not None else None
    if low is None:
        found = [(c, cm) for c in chosen for cm in c.pattern.finditer(text)]
        found.sort(key=lambda c: -c[1].end())
        return [-cm.end() for _, cm in found], found
    if starts := [lm.start() for lm in locator.fast.finditer(low)]:
        # Each cue's finditer, tried only where some cue matches (and only if the text holds a
        # literal the cue needs): the same matches.
        for c in chosen:
            needs = c.pattern.needs
            if needs is not None and not needs.held_by(low):
                continue
            rx, end = c.pattern.fast, 0
            for pos in starts:
                if pos >= end and (cm := rx.match(low, pos)):
                    found.append((c, cm))
                    end = cm.end()
    found.sort(key=lambda c: -c[1].end())
    return [-cm.end() for _, cm in found], found


@cache
def _before_cues(cues: tuple[int, ...]) -> tuple[tuple[Cue, ...], Rx | None]:
    """The cues of ``cues`` that stand before their place, and a regex that finds every offset
    where one of them matches (None if one cannot be matched on lower-cased text)."""
    chosen = tuple(c for c in (rules().cues[i] for i in cues) if c.side == "before")
    prefix = r"(?<![\w-])"
    sources = [c.pattern.pattern.removeprefix(prefix) for c in chosen]
    if not chosen or any(
        c.pattern.fast is None or not c.pattern.pattern.startswith(prefix) or c.pattern.fast.groups
        for c in chosen
    ):
        return chosen, None
    if any(sre_parse.parse(c.pattern.pattern).getwidth()[0] == 0 for c in chosen):
        return chosen, None  # an empty match would make finditer step on
    locator = Rx(prefix + "(?=" + "|".join(f"(?:{s})" for s in sources) + ")")
    return chosen, locator if locator.fast is not None else None


def _before(text: str, m: Mention, mentions: list[Mention], matches) -> tuple | None:
    """(role, cue match, near, special) of the nearest cue left of ``m``, if it governs ``m``."""
    neg_ends, found = matches
    i = bisect.bisect_left(neg_ends, -m.start)  # the first cue that ends before ``m``
    if i == len(found):
        return None
    c, cm = found[i]
    between = any(cm.end() <= o.start and o.stop <= m.start for o in mentions)
    if c.role != "head" and not between and c.gap.fullmatch(text, cm.end(), m.start):
        near = c.tight or len(text[cm.end() : m.start].split()) <= 1
        return (c.role, cm, near, c.when is not None)
    return None


def _after(text: str, m: Mention, cues: tuple[int, ...]) -> str | None:
    """The role of the first cue right of ``m`` ("Belarusian delegation", "Stavropol Governor")."""
    joined, roles = _after_cues(cues, m.kind)
    if joined is None:
        return None
    found = joined.match(text[m.stop : m.stop + 80])
    return roles[found.lastgroup] if found else None


@cache
def _after_cues(cues: tuple[int, ...], kind: str) -> tuple[Rx | None, dict[str, str]]:
    """The after cues of ``cues`` that apply to mentions of ``kind``, joined into one regex whose
    first matching alternative (group ``c<i>``) is the first cue that matches."""
    chosen = [(i, c) for i, c in ((i, rules().cues[i]) for i in cues) if c.side == "after"]
    chosen = [(i, c) for i, c in chosen if c.kinds is None or kind in c.kinds]
    if not chosen:
        return None, {}
    sources = "|".join(f"(?P<c{i}>{_GROUP_NAME.sub('(?:', c.source)})" for i, c in chosen)
    joined = Rx(f"^(?:{sources})", exact=any(c.pattern.exact for _, c in chosen))
    return joined, {f"c{i}": c.role for i, c in chosen}


@lru_cache(maxsize=256)
def _head_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """ "headed by Governor Vasily Orlov" -> the span and the text of the head."""
    r = rules()
    out = []
    for cm in r.head_cue.finditer(text):
        rest = text[cm.end() : cm.end() + r.head_max]
        stop = r.head_stop.search(rest)
        phrase = rest[: stop.start()] if stop else rest
        phrase = phrase.strip()
        if phrase:
            out.append((cm.end(), cm.end() + len(rest[: stop.start()] if stop else rest), phrase))
    return tuple(out)


# --- dates -----------------------------------------------------------------------------------


def _reliable_date(doc: Document) -> tuple[int, int | None, int | None] | None:
    """The document's own date, if it stands as a dateline: on a short line of its own or at
    the end of a line near the top (not a date inside a sentence of the text)."""
    if not doc.dated or doc.dated[2] is None:
        return None
    head = doc.text[:800]
    year = str(doc.dated[0])
    for line in head.splitlines():
        if year not in line:
            continue  # a date of the document's year writes the year out
        for d in find_dates(line):
            if (d.year, d.month, d.day) != doc.dated:
                continue
            rest = line[d.stop :].strip(" ,.;:|-–—0123456789")
            if len(line.strip()) <= 60 or not rest or rules().dateline.match(line[: d.start]):
                return doc.dated
    return None


@dataclass(frozen=True, slots=True)
class When:
    start: int
    year: int | None
    month: int | None = None
    day: int | None = None


def _dates(text: str, ctx: DocContext) -> list[When]:
    """Dates in a sentence: full ones, and those the document's date completes ("23 June",
    "in July of this year", "last summer", "today"); "in the same year" is the last year
    named in the paragraph before the sentence."""
    before = ctx.before
    own = ctx.dated[0] if ctx.dated else None
    out = []
    for kind, start, year, month, day, this_year in _date_marks(text):
        if kind == "full":
            out.append(When(start, year, month, day))
        elif kind in ("day", "month"):  # "23 June", "in July of this year"
            out.append(When(start, ctx.reference_year() if this_year else own, month, day))
        elif kind == "this_year" and (ref := ctx.reference_year()):
            out.append(When(start, ref))
        elif kind == "last_year" and (ref := ctx.reference_year()):
            out.append(When(start, ref - 1))
        elif kind == "today" and ctx.dated:
            out.append(When(start, *ctx.dated))
        elif kind == "same_year" and before:
            years = [d.year for d in find_dates(before)]
            if years:
                out.append(When(start, years[-1]))
    return sorted(out, key=lambda w: w.start)


class _DateMark(NamedTuple):
    kind: str  # full | day | month | a key of ``relative_dates``
    start: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    this_year: bool = False  # "23 June of this year": the year is the reference year


@lru_cache(maxsize=256)
def _date_marks(text: str) -> tuple[_DateMark, ...]:
    """What the text of a sentence alone says of its dates, in the order _dates reads them."""
    r = rules()
    full = find_dates(text)
    out = [_DateMark("full", d.start, d.year, d.month, d.day) for d in full]
    taken = [(d.start, d.stop) for d in full]

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    for m in r.day_month.finditer(text):
        if free(m.start(), m.end()):
            month = month_of(m.group("month") or m.group("month2"))
            this_year = r.of_this_year.match(text, m.end())
            if month:
                day = int(m.group("day") or m.group("day2"))
                out.append(_DateMark("day", m.start(), None, month, day, bool(this_year)))
                taken.append((m.start(), this_year.end() if this_year else m.end()))
    for m in r.month_only.finditer(text):
        if free(m.start(), m.end()):
            this_year = r.of_this_year.match(text, m.end())
            month = month_of(m.group("month"))
            if month:
                out.append(_DateMark("month", m.start(), None, month, None, bool(this_year)))
                taken.append((m.start(), this_year.end() if this_year else m.end()))
    if r.any_relative.search(text):  # one pass for all the kinds: most sentences have none
        for kind, pattern in r.relative.items():
            for m in pattern.finditer(text):
                if free(m.start(), m.end()):
                    out.append(_DateMark(kind, m.start()))
    return tuple(out)


def _when(text: str, ctx: DocContext, anchor: int) -> When | None:
    """The date of the visit a sentence tells: the date nearest the visit words; else, on a news
    page, the page's own date (unless the sentence looks back); else the Forum of Regions' year."""
    r = rules()
    dates = [d for d in _dates(text, ctx) if d.year is not None or d.month is not None]
    if dates:
        return min(dates, key=lambda d: abs(d.start - anchor))
    forum = r.forum.search(text) or r.forum.search(ctx.before)  # "В его работе ..." after "XI Форум"
    if forum:
        n = _ordinal(forum.group("n"))
        if n:
            return When(forum.start(), r.forum_first_year + n - 1)
    if ctx.dated and ctx.short and not r.earlier.search(text):
        return When(0, ctx.dated[0], ctx.dated[1], ctx.dated[2])
    return None


_ROMAN = {"I": 1, "V": 5, "X": 10}


def _ordinal(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    total = 0
    for i, c in enumerate(s.upper()):
        v = _ROMAN.get(c)
        if v is None:
            return None
        nxt = _ROMAN.get(s.upper()[i + 1], 0) if i + 1 < len(s) else 0
        total += -v if v < nxt else v
    return total


# --- facts -----------------------------------------------------------------------------------


def _evidence(
    doc: Document, unit: Sentence, rule: str, confidence: float, note: str | None = None
) -> Evidence:
    start = unit.start + (len(unit.text) - len(unit.text.lstrip()))
    stop = unit.stop - (len(unit.text) - len(unit.text.rstrip()))
    return Evidence(
        start, stop, doc.text[start:stop], unit.start, unit.stop, rule, EXTRACTOR, confidence, note
    )


def _city_like(p: Party) -> bool:
    """A city, or a region that is a city (Minsk, Moscow, Shanghai)."""
    return p.level == "city" or (
        p.level == "region" and p.place_id is not None and place_kind(p.place_id) == "city"
    )


def _place_name(p: Party) -> str | None:
    return p.name if _city_like(p) else None


def _negated(text: str, triggers: tuple[re.Match, ...]) -> bool:
    """An invitation, a plan or a video call near a visit word (``triggers``); a remote meeting
    anywhere."""
    r = rules()
    if r.remote.search(text):
        return True
    negative, t = r.negative.pick(text)
    if negative is None:
        return False  # the sentence lacks every word they need: no window to search
    w = r.negative_window
    return any(negative.search(t, max(0, m.start() - w), m.end() + w) for m in triggers)


def _single_visits(doc: Document, unit: Sentence, mentions: list[Mention], ctx: DocContext) -> list[Fact]:
    r = rules()
    text = unit.text
    # a place in the head's title is a side too, the visitor's when no other is named ("a
    # delegation led by Brest Mayor Sergei Lobodinsky arrived in Karakol")
    parties = [m for m in mentions if (m.role in PARTY_ROLES or m.role == "head") and m.kind != "group"]
    if not parties:
        return []
    by_country: dict[str, list[Mention]] = {}
    for m in parties:
        by_country.setdefault(m.country or "", []).append(m)
    if BELARUS not in by_country:
        return []
    others = [c for c in by_country if c != BELARUS]
    facts = []
    when, dated = None, False  # the date is read for the first fact
    for other in others or [None]:
        sides = {BELARUS: by_country[BELARUS], **({other: by_country[other]} if other else {})}
        net = {
            c: sum(HOST_WEIGHT.get(m.role, 0) - VISITOR_WEIGHT.get(m.role, 0) for m in ms)
            for c, ms in sides.items()
        }
        if other is None:
            # Only Belarus named: a Belarusian delegation's visit needs its host from elsewhere.
            continue
        if net[BELARUS] == net[other]:
            continue
        host_c = BELARUS if net[BELARUS] > net[other] else other
        visitor_c = other if host_c == BELARUS else BELARUS
        if not any(
            HOST_WEIGHT.get(m.role) or VISITOR_WEIGHT.get(m.role) for ms in sides.values() for m in ms
        ):
            continue
        travelled = any(m.role in ("dest", "our", "hosted", "origin") for ms in sides.values() for m in ms)
        officials = [m for m in sides[visitor_c] if m.role in ("official", "leader", "person", "member")]
        if not travelled and officials and all(_resident(text, m) for m in officials):
            continue  # an ambassador meeting someone where he is posted
        visitors = _visitor_parties(sides[visitor_c])
        if not visitors:
            continue  # only places where things were ("held in Gomel, Smolensk, ..."): nobody came
        host, place = _host_party(text, sides[host_c], visitors)
        if host is None:
            continue
        if all(m.role == "member" for m in sides[visitor_c] if m.role in PARTY_ROLES):
            # A shared body of two countries meets in one of them: a visit to that country.
            host = _party(country_place(host.country))
        rule, confidence = _rule(sides[host_c] + sides[visitor_c])
        if (
            rule == "visit.meeting_with_leader"
            and not travelled
            and all(v.level == "country" for v in visitors)
        ):
            continue  # two heads of state "held talks": where, the sentence does not say
        head = _head(text, sides[visitor_c])
        if not dated:
            travel = r.trigger.search(text)
            when, dated = _when(text, ctx, travel.start() if travel else 0), True
        for v in visitors:
            facts.append(_fact(doc, unit, v, host, place, head, when, rule, confidence))
    return facts


# The rule a visit is told by, named after its strongest cue, and how far it is trusted.
RULES = (
    ("dest", "visit.destination", 0.85),  # "visited Minsk", "прибыл в Иркутскую область"
    ("our", "visit.destination", 0.8),  # "came to our country"
    ("hosted", "visit.hosted", 0.8),  # "Zhodino hosted ... attended by representatives of"
    ("member", "visit.bilateral_body", 0.75),  # "the Kyrgyz-Belarusian Commission, held in Bishkek"
    ("location", "visit.venue", 0.7),  # "the delegation of X ... in Minsk"
    ("leader", "visit.meeting_with_leader", 0.75),  # "Lukashenko met with the Governor of X"
)


def _rule(mentions: list[Mention]) -> tuple[str, float]:
    roles = {m.role for m in mentions}
    return next(((name, conf) for role, name, conf in RULES if role in roles), ("visit.delegation", 0.7))


def _resident(text: str, m: Mention) -> bool:
    """An ambassador or consul: an official who lives in the host country."""
    start = m.cue_start if m.cue_start is not None else m.start
    return bool(rules().resident.search(text, max(0, start - 3), m.stop + 30))


def _visitor_parties(ms: list[Mention]) -> list[Party]:
    chosen: list[Party] = []
    for roles in (("origin",), ("official", "person", "leader"), ("member",), ("head",)):
        chosen = [m.party for m in ms if m.role in roles]
        if chosen:
            break
    sub = [p for p in chosen if p.level != "country"]
    chosen = sub or chosen
    return list({p.key(): p for p in chosen}.values())


def _host_party(text: str, ms: list[Mention], visitors: list[Party]) -> tuple[Party | None, str | None]:
    """The host: where the visitor went, else where it happened, else whose official received.
    Several places of one list in different regions ("в Минске и Бресте") are their country."""
    r = rules()
    chosen: list[Mention] = []
    for roles in (("dest", "our", "hosted"), ("location",), ("official", "person", "leader", "member")):
        chosen = [m for m in ms if m.role in roles]
        if chosen:
            break
    if not chosen:
        return None, None
    place = next(
        (
            _place_name(m.party)
            for m in ms
            if m.role in ("dest", "location", "hosted") and _place_name(m.party)
        ),
        None,
    )
    sub = [m for m in chosen if m.party.level != "country"]
    if any(m.party.level == "country" and m.role == "dest" for m in chosen):
        sub = []  # "during a visit to Belarus ... visited enterprises of the Gomel region"
    first = sub[0] if sub else chosen[0]
    host = first.party
    listed = [first]
    for m in sub[1:]:
        if r.list_connector.match(text[listed[-1].stop : m.start]):
            listed.append(m)
    if len({m.party.region for m in listed}) > 1:
        host, place = _party(country_place(host.country)), None
    if (
        host.region in r.capital_is_country
        and first.role != "hosted"
        and all(p.level in ("region", "country") and not _city_like(p) for p in visitors)
    ):
        place = place or host.name
        host = _party(country_place(host.country))
    return host, place


def _head(text: str, visitor_side: list[Mention]) -> str | None:
    """Who led the visit: the phrase after "headed by" / "во главе с", else the visiting
    official with the name that follows ("Governor of the Amur Region Vasily Orlov")."""
    heads = _head_spans(text)
    if heads:
        return heads[0][2]
    official = next((m for m in visitor_side if m.role in ("official", "person")), None)
    return _official_phrase(text, official) if official else None


def _official_phrase(text: str, m: Mention) -> str:
    """The title, the place and the name of an official, as the sentence writes them."""
    if m.kind == "person":
        return text[m.start : m.stop]
    start = m.cue_start
    if start is None:
        title = rules().title_before.search(text[max(0, m.start - 50) : m.start])
        start = m.start - (min(50, m.start) - title.start()) if title else m.start
    stop = m.stop
    for c in rules().cues:
        if c.side == "after" and c.role == "official":
            after = c.pattern.match(text[stop : stop + 80])
            if after:
                stop += after.end()
                break
    names = _adjacent_names(text, replace(m, stop=stop) if stop != m.stop else m)
    if names:
        i = text.find(names[0], stop)
        if 0 <= i <= stop + 40:
            stop = i + len(names[0])
    return re.sub(r"\s+", " ", text[start:stop]).strip(" ,")


def _fact(
    doc, unit, visitor: Party, host: Party, place, head, when: When | None, rule, conf, count=1
) -> Fact:
    attrs = {
        "head": head,
        "year": when.year if when else None,
        "month": when.month if when else None,
        "day": when.day if when else None,
        "place": place,
    }
    aggregate = rule == "visit.aggregate"
    return Fact(
        "visits", visitor, host, attrs, _evidence(doc, unit, rule, conf), aggregate=aggregate, count=count
    )


# --- aggregates ------------------------------------------------------------------------------


_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class _Aggregate:
    start: int
    stop: int
    count: int
    visitor: Party | None = None
    host: Party | None = None
    place: str | None = None
    head: str | None = None
    when: When | None = None


def _aggregates(
    doc: Document, unit: Sentence, mentions: list[Mention], ctx: DocContext, last: list
) -> list[Fact]:
    """ "36 delegations ... visited Belarus in 2024", "129 визитов белорусских делегаций в
    российские регионы", "(в том числе 7 визитов Премьер-министра ...)"."""
    r = rules()
    text = unit.text
    if not _DIGIT.search(text):
        return []
    found: list[tuple[int, int, int]] = []
    for pattern in r.counts:
        for m in pattern.finditer(text):
            n_start = m.start("n")
            if any(a == n_start for a, _, _ in found) or r.not_count.match(text, n_start):
                continue
            found.append((n_start, m.end(), int(m.group("n"))))
    found.sort()
    if not found:
        return []
    facts = []
    dates = _dates(text, ctx)
    for i, (start, end, count) in enumerate(found):
        if count < 2:
            continue
        clause_start = found[i - 1][1] if i else 0
        clause_stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        inside = [m for m in mentions if clause_start <= m.start < clause_stop]
        agg = _Aggregate(start, end, count)
        vis = [
            m
            for m in inside
            if m.role in ("origin", "official") and m.start >= start - 5 or m.role == "origin"
        ]
        hosts = [m for m in inside if m.role in ("dest", "location", "our")]
        if vis:
            agg.visitor = vis[0].party
        if hosts:
            h = hosts[0].party
            agg.host = h
        if agg.visitor and agg.host and agg.visitor.country == agg.host.country:
            agg.host = None
        prev = last[-1] if last else None
        if agg.visitor is None and agg.host is None and prev is None:
            continue
        if prev is not None:
            agg.visitor = agg.visitor or prev.visitor
            agg.host = agg.host or prev.host
        if agg.visitor is None and agg.host is not None and agg.host.country == BELARUS:
            partner = r.default_partner
            agg.visitor = _group(
                r.raw["groups"]["regions"]["name"].format(adjective=_adjective(partner)), partner
            )
        forum = r.forum_word.search(text, clause_start, clause_stop)
        if agg.host is None and agg.visitor is not None and agg.visitor.country != BELARUS and not forum:
            agg.host = _party(country_place(BELARUS))  # a forum may be held on either side
        if agg.visitor is None or agg.host is None:
            continue
        if BELARUS not in (agg.visitor.country, agg.host.country) or agg.visitor.country == agg.host.country:
            continue
        agg.host, agg.place = _aggregate_host(agg.visitor, agg.host)
        before = [d for d in dates if d.start <= clause_stop and d.year]
        agg.when = (
            min(before, key=lambda d: abs(d.start - start)) if before else (prev.when if prev else None)
        ) or _when(text, ctx, start)
        agg.head = _aggregate_head(text, start, clause_stop)
        last.append(agg)
        facts.append(
            _fact(
                doc,
                unit,
                agg.visitor,
                agg.host,
                agg.place,
                agg.head,
                agg.when,
                "visit.aggregate",
                0.85,
                count,
            )
        )
    return facts


def _aggregate_host(visitor: Party, host: Party) -> tuple[Party, str | None]:
    """Groups of regions visit a country; groups of cities visit a city."""
    if host.level in ("country", "group"):
        return host, None
    cities = visitor.level == "group" and visitor.name.endswith("cities")
    if cities:
        return host, _place_name(host)
    return _party(country_place(host.country)), None


def _aggregate_head(text: str, start: int, stop: int) -> str | None:
    """ "headed by governors", "во главе с заместителями губернаторов", "7 визитов Премьер-министра"."""
    r = rules()
    for a, _b, phrase in _head_spans(text):
        if start <= a < stop:
            return phrase
    count_end = text.find(" ", start)
    m = r.head_after.match(text, count_end, stop) if count_end >= 0 else None
    if m and r.head_titles.search(m.group(1)):
        return m.group(1).strip(" ,")
    return None


# --- the document ----------------------------------------------------------------------------


def extract(doc: Document) -> list[Fact]:
    r = rules()
    ctx = DocContext(doc)
    facts: list[Fact] = []
    last_aggregates: list[_Aggregate] = []
    paragraph = None
    starts = [s.start for s in doc.sentences]
    for unit in units(doc):
        if unit.paragraph != paragraph:
            paragraph, last_aggregates = unit.paragraph, []
        text = unit.text
        triggers = _triggers(text)
        if not triggers or _negated(text, triggers) or not _may_state_a_visit(text, ctx):
            continue
        ctx.before = _paragraph_before(doc, unit, starts)
        mentions = _roles(text, _mentions(text, ctx, unit.start))
        mentions = [m for m in mentions if not _business(text, m)]
        facts += _aggregates(doc, unit, mentions, ctx, last_aggregates)
        if not any(m.role == "origin" for m in mentions) and r.repeated.search(text):
            continue
        singles = _single_visits(doc, unit, mentions, ctx)
        if not singles:
            singles = _with_persons(doc, unit, mentions, ctx)
        if not singles:
            singles = _host_by_default(doc, unit, mentions, ctx)
        facts += singles
    return _merge(_dedupe(facts))


def _may_state_a_visit(text: str, ctx: DocContext) -> bool:
    """A cheap test every sentence with a fact passes (most sentences without one fail it): it
    counts visits (an aggregate), or it names two sides: Belarus (a place, its leader, "our
    country") and another country (a place, the office of the page's region), or one of them
    and a person's name (whose office, told elsewhere, may be the other side), or a foreign
    one and a travel word (a delegation whose host goes unsaid came to Belarus)."""
    r = rules()
    places = find_places(text)
    home = any(m.place.country == BELARUS for m in places)
    foreign = any(m.place.country != BELARUS for m in places)
    if home and foreign:
        return True
    home = home or bool(r.leaders.search(text) or r.our.search(text))
    foreign = foreign or bool(ctx.short and r.bare_offices.search(text))
    if (home and foreign) or ((home or foreign) and r.name.search(text)):
        return True
    if foreign and r.travel_words.search(text):
        return True
    return bool(_DIGIT.search(text)) and any(p.search(text) for p in r.counts)


def _paragraph_before(doc: Document, unit: Sentence, starts: list[int]) -> str:
    """Up to two sentences of the paragraph before ``unit``."""
    i = bisect.bisect_left(starts, unit.start)
    prior = [s for s in doc.sentences[max(0, i - 2) : i] if s.paragraph == unit.paragraph]
    return doc.text[prior[0].start : unit.start] if prior else ""


def _business(text: str, m: Mention) -> bool:
    """A delegation of companies or businessmen is not a territory's."""
    if m.role != "origin" or m.cue_start is None:
        return False
    return bool(rules().not_visitors.search(text, m.cue_start, m.start))


def _with_persons(doc, unit, mentions, ctx) -> list[Fact]:
    """ "Aleksei Russkikh visited Belarus": the visitor's territory from the office the
    document gives the person elsewhere."""
    if not any(m.role in ("dest", "our") for m in mentions):
        return []
    text = unit.text
    names = [
        nm for nm in rules().name.finditer(text) if not any(m.start <= nm.start() < m.stop for m in mentions)
    ]
    extra = []
    for nm in names:
        party = ctx.office_of(nm.group(0))
        if party:
            extra.append(Mention(nm.start(), nm.end(), party, "person", "person"))
    if not extra:
        return []
    facts = _single_visits(doc, unit, sorted(mentions + extra, key=lambda m: m.start), ctx)
    for f in facts:
        f.attrs["head"] = f.attrs["head"] or text[extra[0].start : extra[0].stop]
        f.evidence = replace(f.evidence, rule=f.evidence.rule + "+person", confidence=0.7)
    return facts


def _host_by_default(doc, unit, mentions, ctx) -> list[Fact]:
    """ "The visit of the delegation of the Chechen Republic started today": a foreign delegation
    whose host the sentence leaves out has come to Belarus."""
    text = unit.text
    origin = [m for m in mentions if m.role == "origin" and m.kind != "group" and m.country != BELARUS]
    if not origin or any(m.role in ("dest", "our", "location") for m in mentions):
        return []
    if any(m.role == "origin" and m.country == BELARUS for m in mentions):
        return []  # delegations of both sides: who went where is not said
    if not rules().travel_words.search(text):
        return []
    if len({m.country for m in origin}) != 1:
        return []
    host = _party(country_place(BELARUS))
    when = _when(text, ctx, rules().trigger.search(text).start())
    visitors = _visitor_parties(origin)
    head = _head(text, origin)
    return [
        _fact(doc, unit, v, host, None, head, when, "visit.delegation_default_host", 0.6) for v in visitors
    ]


def _key(f: Fact) -> tuple:
    return (f.a.key(), f.b.key(), f.aggregate, f.count, f.attrs["year"], f.attrs["month"], f.attrs["day"])


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per statement: the same visit twice in a sentence is one row."""
    seen, out = set(), []
    for f in facts:
        k = (_key(f), f.evidence.char_start)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def _loose(p: Party) -> tuple:
    """Two parties in one region are one party when statements are merged (Vladimir city and
    Vladimir Oblast), as the scorer counts them."""
    return (p.country, p.level == "country", p.region or p.name)


def _merge(facts: list[Fact]) -> list[Fact]:
    """Statements of one visit told twice in a document: an undated statement takes the date of
    the last dated one with the same parties before it (it refers back to it); a stop inside the visited country ("visited the Brest
    Region" during a visit to Belarus) is the same visit."""
    singles = [f for f in facts if not f.aggregate]
    for f in singles:
        if f.b.level == "country":
            continue
        trip = [
            g
            for g in singles
            if g is not f
            and (_loose(g.a) == _loose(f.a) or (f.a.level == "country" and f.a.country == g.a.country))
            and g.b.level == "country"
            and g.b.country == f.b.country
            and (f.attrs["year"] is None or g.attrs["year"] in (None, f.attrs["year"]))
        ]
        if trip:
            g = trip[0]
            f.a, f.b = g.a, g.b
            f.attrs = {**g.attrs, "head": f.attrs["head"] or g.attrs["head"]}
            f.evidence = replace(
                f.evidence, note=f"part of the visit stated at {g.evidence.char_start}-{g.evidence.char_end}"
            )
    for f in singles:
        if f.attrs["year"] is not None:
            continue
        dated = [
            g
            for g in singles
            if g.attrs["year"] is not None
            and _loose(g.a) == _loose(f.a)
            and _loose(g.b) == _loose(f.b)
            and g.evidence.char_start < f.evidence.char_start
        ]
        if dated:
            g = max(dated, key=lambda g: g.evidence.char_start)
            f.a, f.b = g.a, g.b
            f.attrs = {
                **f.attrs,
                **{k: g.attrs[k] for k in ("year", "month", "day")},
                "place": f.attrs["place"] or g.attrs["place"],
            }
            f.evidence = replace(
                f.evidence, note=f"date from the statement at {g.evidence.char_start}-{g.evidence.char_end}"
            )
    return facts
