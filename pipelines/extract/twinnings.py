"""Twin towns: every twinned pair a text names (English and Russian), one row per pair.

A body sentence is read when it speaks of a twinning relationship ("twinned", "sister cities",
"побратимы"; not a "twinning meeting"), and so are the sentences of the same paragraph that go on
with its list ("Among them are Dzerzhinsk (2005), Khimki (2005)...", "2. Volkovsky and Mozyr
(2006);") or finish it after a page break. Pairs are the places a sentence joins two by two
("Minsk and Lyon, Gomel and Clermont-Ferrand"), two lists matched "respectively", or one side
paired with each place of the other. A list item that leaves out its head noun ("Volosovsky and
Logoisky" under "such districts as") is resolved with the head put back. The year is the one given
with the pair or the date before it. Rules live in ``data/rules/twinnings.yaml``.
"""

from __future__ import annotations

import re
from functools import cache
from types import SimpleNamespace

from pipelines.extract import agreements
from pipelines.extract.dates import DateMention
from pipelines.extract.rulefiles import load_rules
from pipelines.extract.sides import (
    Context,
    Side,
    Stems,
    alternation,
    fold,
    parties,
    points_back,
    without_containers,
)
from pipelines.model import Document, Evidence, Fact, Party, Sentence
from pipelines.places.resolver import find_places

NAME = "twinnings"
VERSION = "2"
EXTRACTOR = f"{NAME}@{VERSION}"
_ENDED = re.compile(r"[.!?:;\"'»”)\]]\s*$")  # a sentence that ends; else a page break cut it
_LOWER_START = re.compile(r"^\W*[a-zа-яё]")
_HEADS_LIST = re.compile(r"\s*[-–—:]")  # "in October 2012 - Lepel district and Tashir"


@cache
def rules() -> SimpleNamespace:
    raw = load_rules("rules/twinnings.yaml")
    flags = 0  # lower-case rules on folded text, as in agreements
    one = {k: re.compile(v, flags) for k, v in raw.items() if isinstance(v, str)}
    many = {k: re.compile(alternation(v), flags) for k, v in raw.items() if isinstance(v, list)}
    one["prefilter"] = Stems(raw["prefilter"])  # plain stems: an automaton
    return SimpleNamespace(head_singular=raw["head_singular"], **one, **many)


def relation(low: str) -> re.Match | None:
    """The first trigger word of a folded sentence that speaks of a relationship, not of a
    meeting or a movement."""
    r = rules()
    events = [(m.start(), m.end()) for m in r.not_relation.finditer(low)]
    for m in r.trigger.finditer(low):
        if not any(a <= m.start() < b for a, b in events):
            return m
    return None


def _is_void(low: str) -> bool:
    return bool(rules().not_fact.search(low) or agreements.rules().not_fact.search(low))


def _places(found: list[Side]) -> list[Side]:
    """Named parties below the level of a country, in text order (a twinning joins places)."""
    return [
        s
        for s in found
        if not (s.group or s.venue or s.hint or s.compound) and s.party.level not in ("country", "unknown")
    ]


def joined_pairs(low: str, found: list[Side]) -> list[tuple[Side, Side]]:
    """Places joined two by two ("X and Y"), one Belarusian and one not."""
    r = rules()
    pairs = []
    k = 0
    while k < len(found) - 1:
        a, b = found[k], found[k + 1]
        if a.belarusian != b.belarusian and r.pair_join.match(low[a.stop : b.start]):
            pairs.append((a, b) if a.belarusian else (b, a))
            k += 2
        else:
            k += 1
    return pairs


def pair_year(
    text: str, pair: tuple[Side, Side], dates: list[DateMention], next_start: int
) -> tuple[int | None, int | None]:
    """The year given right after the pair ("Tambov (2015)", "are twinned since 2008", up to the
    next pair at ``next_start``), else the last date before it ("in June 2012 - Vitebsk region and
    Lori marz"), else the sentence's only date. A date that heads a list ("in October 2012 - ...")
    belongs to the pairs after it. A side carried from an earlier sentence has no offsets here."""
    r = rules()
    named = [x for x in pair if x.start >= 0]
    if not named:
        return (dates[0].year, dates[0].month) if len(dates) == 1 else (None, None)
    last = max(named, key=lambda s: s.stop)
    first = min(named, key=lambda s: s.start)
    m = r.item_year.match(fold(text[last.stop : last.stop + 40]))
    if m:
        return int(m.group(1)), None
    after = [d for d in dates if last.stop <= d.start < next_start and not _HEADS_LIST.match(text, d.stop)]
    if after:
        return after[0].year, after[0].month
    before = [d for d in dates if d.stop <= first.start]
    if before:
        return before[-1].year, before[-1].month
    if len(dates) == 1:
        return dates[0].year, dates[0].month
    return None, None


def _resolve_member(member: str, head: str | None, context: str) -> Party | None:
    """One member of a list item, with the list's head noun put back when it has none of its
    own; resolved after the intro sentence, whose places tell same-named districts apart."""
    r = rules()
    probes = (
        [member] if (head is None or r.item_own_head.search(fold(member))) else [f"{member} {head}", member]
    )
    for probe in probes:
        text = f"{context} {probe}"
        found = [m for m in find_places(text) if m.start > len(context)]
        if len(found) == 1 and found[0].place.level != "country":
            return found[0].place.as_party()
    return None


def item_pair(text: str, head: str | None, context: str) -> tuple[Party, Party] | None:
    """ "2. Volkovsky and Mozyr (2006);" under "such districts as": the pair, if one member is
    Belarusian and the other is not."""
    r = rules()
    item = r.item_number.sub("", text)
    item = re.split(r"\s*\(", item, maxsplit=1)[0].strip(" ;.,")
    members = r.item_members.split(item)
    if len(members) != 2:
        return None
    a, b = (_resolve_member(m.strip(), head, context) for m in members)
    if a is None or b is None or (a.country == "BY") == (b.country == "BY"):
        return None
    return (a, b) if a.country == "BY" else (b, a)


def _fact(
    s: Sentence, a: Party, b: Party, year, month, rule: str, confidence: float, note=None, count=None
) -> Fact:
    evidence = Evidence(s.start, s.stop, s.text, s.start, s.stop, rule, EXTRACTOR, confidence, note)
    return Fact(
        "twinnings",
        a,
        b,
        {"year": year, "month": month},
        evidence,
        aggregate=count is not None,
        count=count or 1,
    )


def _aggregates(ctx: Context, i: int) -> list[Fact]:
    """ "21 agreements on twinning between the cities and regions of Belarus and Armenia";
    "twinning links with over 450 cities in 38 countries"."""
    s = ctx.body[i]
    out = []
    for f in agreements.sentence_facts(ctx.doc, ctx, i):
        if f.aggregate and f.attrs["kind"] == "twinning_agreement":
            out.append(
                _fact(s, f.a, f.b, f.attrs["year"], f.attrs["month"], "twinning.count", 0.7, count=f.count)
            )
    m = rules().aggregate_cities.search(fold(s.text))
    if m and not out:
        countries = m.group("countries")
        b = Party(f"cities in {countries} countries" if countries else "foreign cities", None, "group")
        a = Party("Belarusian cities", "BY", "group")
        out.append(_fact(s, a, b, None, None, "twinning.count", 0.6, count=int(m.group("n"))))
    return out


def sentence_pairs(ctx: Context, i: int, mode: str, head: str | None = None, context: str = "") -> list[Fact]:
    """Twinned pairs of sentence ``i``. ``mode``: ``trigger`` (it speaks of twinning), ``intro``
    (it lists the partners of the side named before), ``more`` (it goes on with joined pairs)."""
    s = ctx.body[i]
    text = s.text
    low = fold(text)
    if _is_void(low):
        return []
    r = rules()
    hit = relation(low)
    cut = r.clause_end.search(low, hit.end() if hit else 0)
    end = cut.start() if cut else len(text)
    start = 0
    between = r.between.search(low, hit.end(), end) if hit else None
    if between:  # "the Treaty on Fraternal Relations was signed between A and B"
        start = between.start()
    found = _places([x for x in ctx.sides(i) if start <= x.start < end])
    dates = agreements.signing_dates(text[:end])
    by, other = parties(found)
    pairs: list[tuple[Side, Side]] = []
    note = None
    rule = "twinning.pair"
    if agreements.rules().respectively.search(low) and len(by) > 1 and len(other) > 1:
        pairs = list(zip(agreements.last_run(low, by), agreements.last_run(low, other), strict=False))
        rule = "twinning.respectively"
    if not pairs:
        pairs = joined_pairs(low, found)
    if not pairs and mode == "more" and head is not None:
        pair = item_pair(text, head, context)
        if pair is not None:
            year = re.search(r"\(\s*((?:19|20)\d\d)\b", text)
            return [
                _fact(
                    s,
                    pair[0],
                    pair[1],
                    int(year.group(1)) if year else None,
                    None,
                    "twinning.list_item",
                    0.75,
                )
            ]
    if not pairs and mode != "more":
        by, other = without_containers(by), without_containers(other)
        if by and other and (len(by) == 1 or len(other) == 1):
            pairs, rule = [(a, b) for a in by for b in other], "twinning.list"
        elif (len(by) == 1 and not other) or (other and not by):
            missing_by = not by
            if mode == "intro" or points_back(text):
                got = ctx.carry(i, belarusian=missing_by, far=False)
                if got:
                    party, src = got
                    carried = Side(-1, -1, party)
                    note = f"{'a' if missing_by else 'b'} from sentence {src.start}:{src.stop}"
                    pairs = [(carried, b) for b in other] if missing_by else [(a, carried) for a in by]
                    rule = "twinning.carried"
    facts = []
    starts = sorted(min(x.start for x in p) for p in pairs) + [len(text)]
    for a, b in pairs:
        if a.party.country != "BY" or b.party.country == "BY" or b.party.level == "country":
            continue
        next_start = next(x for x in starts if x > min(a.start, b.start))
        year, month = pair_year(text, (a, b), dates, next_start)
        facts.append(_fact(s, a.party, b.party, year, month, rule, 0.8 if note is None else 0.65, note))
    return facts


def extract(doc: Document) -> list[Fact]:
    r = rules()
    ctx = Context.of(doc)
    facts: list[Fact] = []
    listing = -1  # the last sentence that spoke of twinning or went on with its list
    head: str | None = None  # the head noun its list leaves out
    context = ""
    holding = ctx.holding(r.prefilter)
    for i, s in enumerate(ctx.body):
        going_on = listing >= 0 and listing == i - 1
        if not going_on and not holding[i]:
            continue
        text = s.text
        low = fold(text)
        prev = ctx.body[listing] if going_on else None
        cut_off = prev is not None and not _ENDED.search(prev.text) and _LOWER_START.match(text)
        if relation(low) and not cut_off:
            mode = "trigger"
        elif prev is not None and (prev.paragraph == s.paragraph or cut_off):
            if r.list_intro.search(low):
                mode = "intro"
            elif r.list_more.search(low) or cut_off:
                mode = "more"
            else:
                continue
        else:
            continue
        if mode == "trigger":
            m = r.list_head.search(low)
            head = r.head_singular.get((m.group("head") or m.group("head_ru")).lower()) if m else None
            context = text
            facts.extend(_aggregates(ctx, i))
        found = sentence_pairs(ctx, i, mode, head, context)
        facts.extend(found)
        if mode != "intro" or found:
            listing = i  # an item the gazetteer cannot resolve does not end the list
    return facts
