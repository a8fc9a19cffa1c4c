"""Signed agreements between two territories: cooperation agreements, action plans, programmes,
memorandums, protocols, road maps, twinning agreements (English and Russian).

A body sentence is read only when it holds one of the prefilter's stems (the places of a sentence
are looked up only once its wording can state a fact). What a sentence states is read from its
text alone and kept for that text (``read_sentence``); its date line and the sentences before it,
which may date it or supply a missing side, are read for each document. Each noun opens a *scope* (the noun and the words after it, up to the next noun; the first scope also holds
the words before it), unless it only names the document being implemented ("a plan *to implement
the agreement*") without a signing of its own. A scope is a fact when it says the document was
signed, concluded or approved (or, weaker, that it is in force), nothing in the sentence says it is
only planned, and it is not a document spoken of before ("this agreement", "the agreement" with
neither signatories nor date). Its parties are the places before the noun and those after it that
follow "between", "with", "by" (see ``sides``); a missing side comes from the rest of the sentence,
then from the sentences before. Rules live in ``data/rules/agreements.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from types import SimpleNamespace

from pipelines.extract.dates import DateMention, PrefixDates, find_dates
from pipelines.extract.literals import AnyOf, Guarded
from pipelines.extract.memo import listing, memoised
from pipelines.extract.rulefiles import load_rules
from pipelines.extract.sides import (
    ByStart,
    Context,
    SentenceSides,
    Side,
    Stems,
    alternation,
    fold,
    grouped,
    has_organisation,
    hinted,
    named_party,
    parties,
    points_back,
    sides,
    without_containers,
)
from pipelines.model import Document, Evidence, Fact, Party, Sentence

NAME = "agreements"
VERSION = "3"
EXTRACTOR = f"{NAME}@{VERSION}"
_STRUCTURED = {
    "documents",
    "kind_modifiers",
    "frame_pairs",
    "news_max_chars",
    "same_document_chars",
    "connector_reach",
}
_TESTS = ("not_fact", "excluded", "existing", "weak_voids")
_RELATIVE_CUES = (
    "today",
    "last_year",
    "this_year",
    "inherits_date",
    "years_later",
    "same_day",
    "years_since",
)
# rules that need a rare word ("today", "since", "respectively"): run only when it is in the text
_RARE = (
    "today",
    "last_year",
    "this_year",
    "same_day",
    "years_later",
    "years_since",
    "inherits_date",
    "kind_prefix_twinning",
    "reduced_relative",
    "respectively",
)
_NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
    "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "двадцать": 20, "тридцать": 30, "сорок": 40,
    "пятьдесят": 50, "сто": 100,
}  # fmt: skip


@cache
def rules() -> SimpleNamespace:
    raw = load_rules("rules/agreements.yaml")
    flags = 0  # the rules are lower case and run on folded text (re.IGNORECASE is several times slower)
    nouns = "|".join(f"(?P<{kind}>{alternation(patterns)})" for kind, patterns in raw["documents"].items())
    patterns = {k: re.compile(alternation(v), flags) for k, v in raw.items() if k not in _STRUCTURED}
    # rules only asked whether they match: each of their patterns is run only when a word it
    # needs is in the sentence (see ``literals``)
    patterns.update({k: AnyOf(raw[k], flags) for k in _TESTS})
    patterns.update({k: Guarded(patterns[k]) for k in _RARE})
    patterns["relative_cue"] = AnyOf([raw[k] for k in _RELATIVE_CUES], flags)  # any of them
    patterns["prefilter"] = Stems("|".join(raw["prefilter"]))  # plain stems: an automaton
    return SimpleNamespace(
        documents=re.compile(rf"(?<!\w)(?:{nouns})(?!\w)", flags),
        is_signed=AnyOf(raw["signed"], flags),  # ``signed`` where only whether it matches counts
        modifiers={k: re.compile(alternation(v), flags) for k, v in raw["kind_modifiers"].items()},
        frame_pairs={frozenset(p) for p in raw["frame_pairs"]},
        news_max_chars=int(raw["news_max_chars"]),
        same_document_chars=int(raw["same_document_chars"]),
        connector_reach=int(raw["connector_reach"]),
        **patterns,
    )


def number(word: str) -> int | None:
    """ "450", "three hundred", "двадцать" as an integer."""
    word = re.sub(r"\s+", " ", word.lower().strip())
    if word.isdigit():
        return int(word)
    if word.endswith("hundred"):
        head = word.split(" ")[0]
        return 100 * (_NUMBER_WORDS.get(head, 1) if head != "hundred" else 1)
    return _NUMBER_WORDS.get(word)


# --- scopes -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scope:
    """One document noun of a sentence and the words that speak of it (offsets into the sentence)."""

    start: int
    stop: int
    noun_start: int
    noun_stop: int
    kind: str
    generic: bool = False  # "document(s)": a fact only when counted
    lead: str = ""  # the words just before the noun ("the", "this", "to implement the")
    cue_start: int = 0  # where words about this noun may begin ("under a number of other agreements")


@listing(maxsize=512)
def scopes(text: str) -> list[Scope]:
    """The document nouns of a sentence (folded, see ``sides.fold``) that may state a fact, each
    with its scope."""
    r = rules()
    nouns = list(r.documents.finditer(text))
    out: list[Scope] = []
    for k, m in enumerate(nouns):
        kind = m.lastgroup
        nxt = nouns[k + 1].start() if k + 1 < len(nouns) else len(text)
        if out:
            prev = out[-1]
            gap = text[prev.noun_stop : m.start()]
            if r.name_gap.fullmatch(gap):  # "protocol of agreements", "План (”Дорожная карта“)"
                joined = kind if re.fullmatch(r"[\W_]*", gap) and kind != "other" else prev.kind
                out[-1] = replace(prev, kind=joined, noun_stop=m.end())
                continue
            implemented = r.implements.search(gap)
            if implemented or kind == "other":
                own = text[prev.noun_stop + implemented.end("verb") if implemented else m.start() : nxt]
                if not (r.is_signed.search(own) or r.existing.search(own) or r.own_date.search(own)):
                    continue  # the document implemented belongs to the scope before
        lead = text[max(0, m.start() - 40) : m.start()]
        cue_start = max(out[-1].noun_stop, m.start() - 50) if out else 0
        out.append(
            Scope(
                m.start() if out else 0, len(text), m.start(), m.end(), kind, kind == "other", lead, cue_start
            )
        )
    return [replace(a, stop=b.start) for a, b in zip(out, out[1:], strict=False)] + out[-1:]


def document_kind(text: str, scope: Scope) -> str:
    """The kind, refined by the words of the name: "agreement on twinning", "of intent"."""
    r = rules()
    if scope.kind != "cooperation_agreement":
        return scope.kind
    name = text[scope.noun_stop : scope.noun_stop + 120]
    cut = r.name_end.search(name)
    name = name[: cut.start()] if cut else name
    if r.kind_prefix_twinning.search(scope.lead) or r.modifiers["twinning_agreement"].search(name):
        return "twinning_agreement"
    if r.modifiers["other"].search(name):
        return "other"
    return scope.kind


def aggregate_count(text: str, scope: Scope) -> int | None:
    """The number of documents a scope counts: "about 450 agreements", "подписано 20 планов",
    "signed agreements ... with 27 regions"."""
    r = rules()
    m = r.aggregate_count.search(text[max(0, scope.noun_start - 60) : scope.noun_start])
    if m:
        return number(m.group("n"))
    m = r.partner_count.search(text[scope.noun_stop : scope.stop])
    return number(m.group("n")) if m else None


# --- dates ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class When:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    how: str = "none"


@listing(maxsize=512)
def signing_dates(text: str) -> list[DateMention]:
    """Dates of a sentence that can be a signing date (not "for 2021-2023", "until 2026")."""
    dates = find_dates(text)
    if not dates:
        return []
    r = rules()
    low = fold(text)
    return [d for d in dates if not r.not_signing_date_before.search(low[max(0, d.start - 60) : d.start])]


def scope_date(
    text: str, scope: Scope, dates: ByStart[DateMention], opening: list[DateMention]
) -> When | None:
    """The date of the scope nearest its signing word; else ``opening``, the date opening the
    sentence ("In 2012, ... the Treaty was signed"); else None: the sentence's relative date (the
    same for every scope of it, and read from its context: see ``relative_date``)."""
    r = rules()
    since = r.years_since.search(text, scope.start, scope.stop)
    if since and since.group("y"):  # "it will be ten years in 2025 since the signing"
        return When(int(since.group("y")) - (number(since.group("n")) or 0), how="years_since")
    inside = dates.within(scope.start, scope.stop) or opening
    if inside:
        cue = r.signed.search(text, scope.start, scope.stop)
        anchor = cue.start() if cue else scope.noun_start
        best = min(inside, key=lambda d: (abs(d.start - anchor), d.month is None))
        return When(best.year, best.month, best.day, "text")
    return None


@dataclass(frozen=True, slots=True)
class RelativeCues:
    """The words that date a sentence from its context: "today", "last year", "as a result" (the
    date of the sentence before), "a year later", "the same day", "ten years since"."""

    today: bool = False
    last_year: bool = False
    this_year: bool = False
    inherits: bool = False
    later: int | None = None  # "a year later": years after the date before
    same_day: bool = False
    since: tuple[int | None, int] | None = None  # "ten years (in 2025) since": (that year, years)


def relative_cues(low: str) -> RelativeCues:
    """The ``RelativeCues`` of a folded sentence."""
    r = rules()
    if not r.relative_cue.search(low):
        return RelativeCues()
    later = r.years_later.search(low)
    since = r.years_since.search(low)
    return RelativeCues(
        today=bool(r.today.search(low)),
        last_year=bool(r.last_year.search(low)),
        this_year=bool(r.this_year.search(low)),
        inherits=bool(r.inherits_date.match(low)),
        later=(number(later.group("n") or "1") or 1) if later else None,
        same_day=bool(r.same_day.search(low)),
        since=(
            (int(since.group("y")) if since.group("y") else None, number(since.group("n")) or 0)
            if since
            else None
        ),
    )


def relative_date(doc: Document, ctx: Context, i: int, cues: RelativeCues, strong: bool) -> When:
    """ "today", "last year", "the same day", "a year later", "ten years since", or the date line
    of a news page for a document it reports signed."""
    news = _dateline_before(doc, ctx, ctx.body[i].start)
    if news and cues.today:
        return When(*doc.dated, how="today")
    if news and cues.last_year:
        return When(doc.dated[0] - 1, how="last_year")
    if news and cues.this_year:
        return When(doc.dated[0], how="this_year")
    if cues.inherits:
        before = _earlier_date(ctx, i)
        if before is not None:
            return When(before.year, before.month, before.day, how="previous_sentence")
    if cues.later is not None or cues.same_day:
        before = _earlier_date(ctx, i)
        if before is not None and cues.same_day:
            return When(before.year, before.month, before.day, how="same_day")
        if before is not None:
            return When(before.year + cues.later, how="years_later")
    if cues.since is not None and (cues.since[0] is not None or news):
        base = cues.since[0] if cues.since[0] is not None else doc.dated[0]
        return When(base - cues.since[1], how="years_since")
    if news and strong:
        return When(*doc.dated, how="dateline")
    return When()


def _dateline_before(doc: Document, ctx: Context, offset: int) -> bool:
    """The document is a news item whose own date is stated before ``offset`` (a date line),
    not one found further down ("(от 12 декабря 2019 года)")."""
    if doc.dated is None or len(doc.text) > rules().news_max_chars:
        return False
    dates = ctx.memo.get("dates")
    if dates is None:  # the document's dates, read once for all its sentences
        dates = ctx.memo["dates"] = PrefixDates(doc.text)
    return any((d.year, d.month, d.day) == doc.dated for d in dates.before(offset))


def _earlier_date(ctx: Context, i: int) -> DateMention | None:
    paragraph = ctx.body[i].paragraph
    for j in range(i - 1, max(-1, i - 4), -1):
        if ctx.body[j].paragraph != paragraph:
            return None
        found = signing_dates(ctx.body[j].text)
        if found:
            return found[-1]
    return None


def party_years(text: str, listed: list[Side], dates: ByStart[DateMention], scope: Scope) -> dict:
    """Years tied to one party: "the South Kazakhstan Oblast (2003)", or "in 2000 and 2002 ...
    with the Brest and Gomel committees" (as many years as listed parties, in order)."""
    out = {}
    for s in listed:
        m = re.match(r"\s*\(\D{0,20}?((?:19|20)\d\d)\b", text[s.stop : s.stop + 30]) if s.start >= 0 else None
        if m:
            out[s.party.key()] = When(int(m.group(1)), how="bracket")
    if out:
        return out
    years = [d for d in dates.within(scope.start, scope.stop) if d.month is None]
    if 1 < len(years) == len(listed) and all(
        re.fullmatch(r"\s*(?:,|and|и)\s*", text[a.stop : b.start])
        for a, b in zip(years, years[1:], strict=False)
    ):
        return {s.party.key(): When(d.year, how="paired") for s, d in zip(listed, years, strict=True)}
    return out


# --- parties ----------------------------------------------------------------------------


def scope_sides(
    text: str, low: str, scope: Scope, sentence_sides: SentenceSides
) -> tuple[list[Side], bool, bool]:
    """The sides a scope names: those before its noun, and those after it that follow "between",
    "with", "by" (up to the end of that clause); whether the connector points back to parties
    named earlier ("between the parties"); and whether an organisation follows it ("between the
    State University and ..."): then the document is not one between territories."""
    r = rules()
    c = r.party_connectors.search(low, scope.noun_stop, scope.stop)
    after: list[Side] = []
    back = by_organisation = False
    if c is not None:
        back = bool(r.connector_anaphor.match(low, c.end()))
        end = r.clause_end.search(low, c.end(), scope.stop)
        stop = end.start() if end else scope.stop
        after = sentence_sides.within(c.start(), stop)
        if after and after[0].start - c.end() > r.connector_reach:
            after = []  # "to fill the agreement with concrete projects, ... the Chechen leader"
        first = after[0].start if after else min(stop, c.end() + 60)
        by_organisation = has_organisation(text[c.end() : first])
    by, other = parties(after)
    before = sentence_sides.within(scope.start, scope.noun_start)
    if by and other and not _smaller_before(before, by):
        # "the Treaty ... was signed between A and B": its own signatories
        return after, back, by_organisation
    return before + after, back, by_organisation


def _smaller_before(before: list[Side], by: list[Side]) -> bool:
    """The Belarusian sides after the connector are only the country, and a place of it is named
    before the noun ("Brest signed agreements with Omsk during a visit to Belarus"): that place
    is the signatory."""
    return all(s.party.level == "country" for s in by) and any(
        s.belarusian and s.party.level != "country" for s in parties(before)[0]
    )


def gapped_clauses(
    low: str, scope: Scope, found: list[Side], sentence_sides: SentenceSides
) -> list[tuple[list[Side], list[Side]]]:
    """The clauses of a gapped list ("Brest Oblast signed agreements with Pskov Oblast, Vitebsk
    Oblast - with Bryansk Oblast"), each as the Belarusian and the other sides of its own head and
    the places up to the next head: [] when the scope has no such list. A head named by its
    adjective alone takes the noun of the head before it ("Брестская область ..., Витебская — с").
    A list of pairs ("between A and B, between C and D") is one too, each clause naming both sides."""
    r = rules()
    marks = sorted(
        [
            *r.gapped_clause.finditer(low, scope.noun_stop, scope.stop),
            *r.between_clause.finditer(low, scope.noun_stop, scope.stop),
        ],
        key=re.Match.start,
    )
    if not marks:
        return []
    after = [s for s in found if s.start >= scope.noun_stop]
    head = sentence_sides.within(scope.start, scope.noun_start)
    clauses: list[tuple[list[Side], list[Side]]] = []
    start = scope.noun_stop
    noun = ""  # the head word of the last head named in full ("область")
    for m in marks:
        next_head: list[Side] = []  # "..., between C and D": the clause names both its sides
        if m.re is r.gapped_clause:
            noun = next((w[-1] for s in head if len(w := low[s.start : s.stop].split()) > 1), noun)
            a, b = m.span("head")
            mine, other = parties([s for s in after if a <= s.start and s.stop <= b])
            next_head = mine + other
            if not next_head and m.group("dash") and noun:
                party = named_party(f"{m.group('head')} {noun}")
                next_head = [Side(a, b, party)] if party else []
            if not next_head and not m.group("dash"):
                continue  # "..., which was signed with": no new head
        clauses.append(parties(head + [s for s in after if start <= s.start < m.start()]))
        head, start = next_head, m.end()
    if not clauses:
        return []
    clauses.append(parties(head + [s for s in after if s.start >= start]))
    return [(by, other) for by, other in clauses if by and other]


def _venue(found: list[Side]) -> str | None:
    return next((s.party.name for s in found if s.venue and not s.group), None)


def _pairs(text: str, by: list[Side], other: list[Side]) -> list[tuple[Side, Side]]:
    if len(by) > 1 and len(other) > 1:
        if rules().respectively.search(text):
            return list(zip(last_run(text, by), last_run(text, other), strict=False))
        by, other = without_containers(by), without_containers(other)
        if len(by) > 1 and len(other) > 1:
            return []  # many to many: who signed with whom is not said
    return [(a, b) for a in without_containers(by) for b in without_containers(other)]


def last_run(text: str, found: list[Side]) -> list[Side]:
    """The last list of sides joined by commas and "and" ("Borisov, Nesvizh ... and Myadel")."""
    run = [found[-1]]
    for s in reversed(found[:-1]):
        if re.fullmatch(r"(?:\s*(?:,|and|и)\s*)+[\w\s-]{0,20}?", text[s.stop : run[0].start]) is None:
            break
        run.insert(0, s)
    return run


def _not_frame(other: list[Side]) -> list[Side]:
    """Russia as a whole beside Belarus is the frame of the corpus, not a party of a regional document."""
    frame = rules().frame_pairs
    return [
        s for s in other if not (s.party.level == "country" and frozenset(("BY", s.party.country)) in frame)
    ]


def _belarus() -> Party:
    from pipelines.places.gazetteer import country_place

    return country_place("BY").as_party()


def named_sides(
    text: str,
    scope: Scope,
    found: list[Side],
    named: tuple[list[Side], list[Side]],
    sentence_sides: SentenceSides,
) -> tuple[list[Side], list[Side], bool]:
    """The two sides of a scope as the sentence names them (``named``: the ``parties`` of its
    ``found`` sides), and whether they are final: both named (a missing one taken from the rest
    of the sentence), or none may be carried in (an organisation is the other signatory; the
    missing side is a group, "all regions of Belarus")."""
    by, other = named[0], _not_frame(named[1])
    if by and other:
        return by, other, True
    if has_organisation(text[scope.start : scope.stop]):
        return by, other, True
    s_by, s_other = sentence_sides.parties_outside(scope.start, scope.stop)  # coordinated nouns
    s_other = _not_frame(s_other)
    by = by or s_by
    if not other and not hinted(found):
        other = s_other
    if by and other:
        return by, other, True
    if (not by and grouped(found, True)) or (not other and grouped(found, False)):
        return [], [], True  # that side is a group ("all regions of Belarus"): no single fact
    return by, other, False


def carried_sides(
    ctx: Context, i: int, by: list[Side], other: list[Side], far: bool, strong, hinted_sentence: bool
) -> tuple[list[Side], list[Side], list[str]]:
    """The sides ``named_sides`` left missing, from the sentences before (within the paragraph,
    or further when the sentence points back: ``far``); a missing Belarusian side of a document
    reported signed is Belarus itself."""
    notes: list[str] = []
    if not by and not other:
        got = ctx.carry_pair(i, far)
        if got is None or (got[0] is None and not strong and got[1].party.level == "country"):
            return [], [], notes
        a, b = got
        notes.append(f"b {b.note}")
        notes.append(f"a {a.note}" if a is not None else "a is Belarus (not named)")
        return [Side(-1, -1, a.party if a else _belarus())], [Side(-1, -1, b.party)], notes
    if not other and not hinted_sentence:
        got = ctx.carry(i, belarusian=False, far=far)
        if got:
            party, src = got
            other = [Side(-1, -1, party)]
            notes.append(f"b from sentence {src.start}:{src.stop}")
    if not by and other:
        got = ctx.carry(i, belarusian=True, far=far)
        if got:
            party, src = got
            notes.append(f"a from sentence {src.start}:{src.stop}")
        elif other[0].party.level not in ("city", "district") and (
            strong or other[0].party.level != "country"
        ):
            # a town's partner is a town (or district) we could not read, never Belarus itself
            party = _belarus()
            notes.append("a is Belarus (not named)")
        else:
            return [], other, notes
        by = [Side(-1, -1, party)]
    return by, other, notes


def signed_pairs(
    low: str, scope: Scope, by: list[Side], other: list[Side], dates: ByStart[DateMention]
) -> list[tuple[Party, Party, When | None]]:
    """Who signed with whom, each pair with the year tied to one of its parties (None: the
    scope's date), leaving out a country of the frame pair ("Belarus and Russia")."""
    frame = rules().frame_pairs
    years = party_years(low, by if len(by) > 1 else other, dates, scope)
    return [
        (a.party, b.party, years.get(a.party.key()) or years.get(b.party.key()))
        for a, b in _pairs(low, by, other)
        if not (frozenset((a.party.country, b.party.country)) in frame and b.party.level == "country")
    ]


# --- facts ------------------------------------------------------------------------------


def _fact(
    s: Sentence,
    a: Party,
    b: Party,
    kind: str,
    when: When,
    place,
    rule: str,
    confidence: float,
    note,
    count=None,
) -> Fact:
    evidence = Evidence(
        char_start=s.start,
        char_end=s.stop,
        quote=s.text,
        sentence_start=s.start,
        sentence_end=s.stop,
        rule=rule,
        extractor=EXTRACTOR,
        confidence=confidence,
        note=note or None,
    )
    attrs = {"kind": kind, "year": when.year, "month": when.month, "day": when.day, "place": place}
    return Fact("agreements", a, b, attrs, evidence, aggregate=count is not None, count=count or 1)


def _is_anaphoric(text: str, scope: Scope, found: list[Side], back: bool) -> bool:
    """ "this agreement", "the signed document"; or "the agreement" with neither signatories nor
    its own date after it."""
    r = rules()
    if r.anaphoric.search(scope.lead):
        return True
    if not r.definite.search(scope.lead):
        return False
    if (
        r.own_date.search(text, scope.noun_stop, scope.stop)
        or r.period_name.match(text, scope.noun_stop)
        or back
    ):
        return False
    after = [s for s in found if s.start >= scope.noun_stop and not s.venue]
    if r.reduced_relative.match(text, scope.noun_stop):
        return not after  # "to fill the agreement signed in June 2017 with projects": spoken of before
    if r.is_signed.search(text, scope.noun_stop, scope.stop):
        return False  # "the first cooperation agreement was signed"
    return not [s for s in found if not s.venue]  # "Grodno and Akmola adopted the Memorandum"


@dataclass(frozen=True, slots=True)
class Missing:
    """The sides of a scope the sentence leaves to its context (see ``carried_sides``)."""

    by: list[Side]
    other: list[Side]
    far: bool


@dataclass(frozen=True, slots=True)
class ScopeReading:
    """What one scope states, read from its sentence alone."""

    kind: str
    when: When | None  # None: the sentence's relative date
    place: str | None
    count: int | None  # a counted line ("about 450 agreements")...
    counted: tuple[Party | None, Party] | None  # ...and its sides (None: carried, or Belarus)
    pairs: list[tuple[Party, Party, When | None]] | None  # the single facts: each pair and its own year
    missing: Missing | None  # or, when the sentence leaves a side out, what it names
    scope: Scope


@dataclass(frozen=True, slots=True)
class Reading:
    """What a sentence states about documents, read from its text alone: kept for each text (a
    site repeats its sentences), while the date line and the sentences before, which date it or
    supply a missing side, are read for each document by ``sentence_facts``."""

    strong: bool  # a signing word: else only a weak cue ("in force")
    sides: bool  # its places were read (the resolver reports the ones it could not resolve)
    hinted: bool  # it names a side we do not know ("the city of Yiu")
    cues: RelativeCues | None  # read when a scope has no date of its own
    scopes: list[ScopeReading]
    low: str
    dates: ByStart[DateMention] | None


@memoised(maxsize=1024)
def read_sentence(text: str) -> Reading | None:
    """The ``Reading`` of a body sentence; None when it names no document or only a planned one."""
    r = rules()
    low = fold(text)  # every rule runs on this; places and dates on the text itself
    units = scopes(low)
    if not units or r.not_fact.search(low):
        return None
    out: list[ScopeReading] = []
    # what the whole sentence says is read once, not once per scope, and a scope finds its own
    # sides and dates by bisection (a long list of documents would cost its length times the
    # number of its nouns)
    sentence_sides: SentenceSides | None = None
    dates: ByStart[DateMention] | None = None
    opening: list[DateMention] = []  # the date before the first noun ("In 2012, ... was signed")
    strong = bool(r.is_signed.search(low))
    voided: bool | None = None  # future wording, voiding a weak cue
    relative = False
    for scope in units:
        if r.excluded.search(low, scope.start, scope.stop):
            continue
        if not strong:
            weak = r.existing.search(low, scope.cue_start, scope.stop) or r.bracket_year.match(
                low, scope.noun_stop, scope.stop
            )
            if not weak:
                continue
            if voided is None:
                voided = bool(r.weak_voids.search(low))
            if voided:
                continue
        if sentence_sides is None or dates is None:  # places and dates only now: the costly steps
            sentence_sides = SentenceSides(sides(text))
            dates = ByStart(signing_dates(text))
            opening = [d for d in dates.items if d.stop <= units[0].noun_start][-1:]
        found, back, by_organisation = scope_sides(text, low, scope, sentence_sides)
        if by_organisation:
            continue
        reading = _read_scope(text, low, scope, found, back, strong, sentence_sides, dates, opening)
        if reading is not None:
            out.append(reading)
            relative = relative or reading.when is None
    return Reading(
        strong,
        sentence_sides is not None,
        sentence_sides is not None and sentence_sides.hinted,
        relative_cues(low) if relative else None,
        out,
        low,
        dates,
    )


def _read_scope(
    text: str,
    low: str,
    scope: Scope,
    found: list[Side],
    back: bool,
    strong: bool,
    sentence_sides: SentenceSides,
    dates: ByStart[DateMention],
    opening: list[DateMention],
) -> ScopeReading | None:
    """What a scope whose sides are ``found`` states: a counted line, single facts, or nothing."""
    r = rules()
    kind = document_kind(low, scope)
    when = scope_date(low, scope, dates, opening)
    place = _venue(sentence_sides.within(scope.start, scope.stop))
    count = aggregate_count(low, scope)
    by, other = parties(found)
    if count is None and not strong and r.counted_only.search(low, scope.cue_start, scope.stop):
        return None  # "include 7 regions": a cue for a count only
    counted = None
    clauses = gapped_clauses(low, scope, found, sentence_sides)
    if count is not None and count > max(len(by), len(other), 1):
        counted = _counted_sides(found, sentence_sides.items)
        if scope.generic or len(other) < 2 or not by:  # singles only for the named members of a counted list
            return ScopeReading(kind, when, place, count, counted, None, None, scope)
    else:
        count = None
        # "documents" alone are facts only in a signed list of pairs ("between A and B, between C and D")
        if (scope.generic and not (strong and len(clauses) > 1)) or _is_anaphoric(low, scope, found, back):
            return None
    if clauses:
        pairs = [p for by, other in clauses for p in signed_pairs(low, scope, by, _not_frame(other), dates)]
        return ScopeReading(kind, when, place, count, counted, pairs, None, scope)
    by, other, final = named_sides(text, scope, found, (by, other), sentence_sides)
    if final:
        return ScopeReading(
            kind, when, place, count, counted, signed_pairs(low, scope, by, other, dates), None, scope
        )
    missing = Missing(by, other, back or points_back(text))
    return ScopeReading(kind, when, place, count, counted, None, missing, scope)


def _counted_sides(found: list[Side], sentence_sides: list[Side]) -> tuple[Party | None, Party] | None:
    """The sides of a counted line ("about 450 agreements between the regions of Belarus and
    Russia"): a single named party or a group, from the scope or else the sentence."""

    def side(pool, belarusian):
        named = [x for x in pool if not (x.venue or x.hint) and x.belarusian == belarusian]
        singles = [x for x in named if not x.group]
        return (singles[:1] if len(singles) == 1 else []) or [x for x in named if x.group][:1]

    a = side(found, True) or side(sentence_sides, True)
    b = side(found, False) or side(sentence_sides, False)
    if not b:
        return None
    return (a[0].party if a else None), b[0].party


def sentence_facts(doc: Document, ctx: Context, i: int) -> list[Fact]:
    """The agreements body sentence ``i`` states (``ctx.body[i]``)."""
    s = ctx.body[i]
    reading = read_sentence(s.text)
    if reading is None:
        return []
    if reading.sides:
        ctx.sides(i)  # the places of the sentence, for the sentences after it (and the resolver's report)
    strong = reading.strong
    rule = f"agreement.{'signed' if strong else 'in_force'}"
    relative: When | None = None  # the same for every scope: read at most once
    facts: list[Fact] = []
    for scope in reading.scopes:
        when = scope.when
        if when is None:
            if relative is None:
                relative = relative_date(doc, ctx, i, reading.cues, strong)
            when = relative
        if scope.counted is not None:
            a, b = scope.counted
            if a is None:
                got = ctx.carry(i, belarusian=True, far=False)
                a = got[0] if got else _belarus()
            facts.append(
                _fact(s, a, b, scope.kind, when, scope.place, "agreement.count", 0.7, None, scope.count)
            )
        pairs, notes = scope.pairs, []
        if scope.missing is not None:
            missing = scope.missing
            # a sentence naming neither side ("The treaty was signed during the visit") of a news
            # page goes on from the paragraphs before: sites give each sentence a paragraph
            far = missing.far or (
                not missing.by and not missing.other and len(doc.text) <= rules().news_max_chars
            )
            by, other, notes = carried_sides(ctx, i, missing.by, missing.other, far, strong, reading.hinted)
            pairs = signed_pairs(reading.low, scope.scope, by, other, reading.dates)
        confidence = (0.9 if strong else 0.7) - (0.15 if notes else 0.0)
        for a, b, year in pairs or ():
            own = year or when
            note = notes + ([f"date: {own.how}"] if own.how not in ("text", "none") else [])
            facts.append(_fact(s, a, b, scope.kind, own, scope.place, rule, confidence, "; ".join(note)))
    return facts


def _prune(facts: list[Fact]) -> list[Fact]:
    """An undated mention of a document stated with its date nearby is the same document."""
    near = rules().same_document_chars

    def same(f: Fact, g: Fact) -> bool:
        return (
            frozenset((f.a.key(), f.b.key())) == frozenset((g.a.key(), g.b.key()))
            and f.attrs["kind"] == g.attrs["kind"]
            and f.aggregate == g.aggregate
            and abs(f.evidence.char_start - g.evidence.char_start) <= near
        )

    dated = [f for f in facts if f.attrs["year"] is not None]
    return [f for f in facts if f.attrs["year"] is not None or not any(same(f, g) for g in dated)]


def extract(doc: Document) -> list[Fact]:
    ctx = Context.of(doc)
    facts: list[Fact] = []
    for i, read in enumerate(ctx.holding(rules().prefilter)):
        if read:
            facts.extend(sentence_facts(doc, ctx, i))
    return _prune(facts)
