"""Trade flows: stated values of trade between two parties over a period, English and Russian.

"In 2023, the trade turnover between our countries reached another record - 54 billion
dollars." -> Belarus / Russia, turnover, 2023-01..2023-12, 54e9 USD.

One pass of a literal automaton over the document finds the body sentences with a currency cue;
only those, and the few before each, are read. Each money amount becomes a flow when a flow word
(turnover / export / import) governs it, or "it" / "the figure" refers back to the trade stated
just before; when the two parties are known (named in the sentence, or carried from the
sentences before it when it says "the region", "between the parties", "our countries"); when
a period is stated (or carried); and when nothing marks it as something else: a target, a
forecast, an investment, a cost or contract, a balance, one product group, one company, exchange
trading, a union's trade. All the words are data: ``data/rules/trade_flows.yaml`` (amounts:
``numbers.yaml``, periods: ``periods.yaml``, changes: ``changes.yaml``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from operator import attrgetter

import ahocorasick

from pipelines.extract.amounts import Amount, automaton, currency_cues, find_amounts
from pipelines.extract.changes import Change, find_changes
from pipelines.extract.folding import FirstRule, Folded, GuardedFolded
from pipelines.extract.periods import Period, find_periods, unanchored
from pipelines.extract.rulefiles import load_rules, longest_first
from pipelines.model import Document, Evidence, Fact, Party, PlaceMention
from pipelines.places.gazetteer import country_place
from pipelines.places.resolver import find_places

NAME = "trade_flows"
VERSION = "3"

BELARUS = "BY"
CHAIN_BACK = 3  # sentences looked back for a carried party or period
LEFT_WINDOW = 150  # characters before an amount searched for what it is a value of
QUALIFIER_WINDOW = 40
DEFAULT_PARTNER_SPAN = 20000  # characters of a document searched for its partner country
CHANGE_LINK = 40  # a change this close before an amount, joined by "to", qualifies it
_BROKEN_OFF = (",", ";", ":", "–", "—", "-")  # a sentence ending so goes on in the next one
_START, _STOP = attrgetter("start"), attrgetter("stop")
_TERMINAL = re.compile(r"[.!?…][\"'»”’)\]]*[\d⁰¹²³⁴⁵⁶⁷⁸⁹]*\s*\.?$")
_POSSESSIVE_GAP = re.compile(r"\W{0,2}(?:s\s+)?")  # "Belarus's exports", "Belarusian exports"
_LAST_WORD = re.compile(r"(\w+)\W*$")
_PARTNER_WORDS = frozenset(
    ("with", "to", "into", "from", "between", "and", "с", "со", "в", "во", "из", "между", "и")
)
_CLAUSE_END = re.compile(r"[,;.()]|\s(?:and|и|while|а)\s")
_CLAUSE_MARK = re.compile(r"[,;:(]|$")
_TIGHT_GAP = re.compile(r"\s*(?:in|for|over|during|в|за|по\s+итогам)?\s*(?:the\s+)?", re.I)
_LOOSE_GAP = re.compile(r"[\s,]*(?:in|for|over|during|в|за|по\s+итогам)?\s*(?:the\s+)?", re.I)
_DIRECTION_WORD = re.compile(r"(\w+)\W*(?:(?:the|this|that|its|their|these|эт\w+)\s+)*$", re.I)
_BEFORE_FLOW_WORD = re.compile(r"[\s']*(?:s\s+|'s\s+)?")
_TWO_WORDS_BEFORE = re.compile(r"(?:\S+\s+){0,2}$")
_WORTH_OF = re.compile(r"\W{0,3}(?:worth\s+of|of|в\s+виде)\s+(?:\S+\s+){0,2}\S+", re.I)
_LIST_MARK = re.compile(r"\s*[-–—:(]\s*\\?")


def _words(patterns) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{longest_first(patterns)})(?!\w)", re.I)


def _folded_words(patterns) -> Folded:
    return Folded(_words(patterns))


@dataclass(frozen=True, slots=True)
class _Rules:
    trade_cues: ahocorasick.Automaton
    # case-insensitive rules run over folded text (``folding``): only their spans are used
    triggers: Folded
    anaphora: GuardedFolded
    placeholders: Folded
    country_pair: Folded
    placeholder_noun: Folded
    unresolved_place: Folded
    level_region: Folded
    qualifiers: list[tuple[Folded, str]]
    comparison: Folded
    period_pair: Folded
    to_words: frozenset[str]
    from_words: frozenset[str]
    # the rules below are run only when a word they need is in the text (see ``literals``)
    left: FirstRule  # one rule per kind of thing an amount is not, in the words before it
    around: GuardedFolded  # ... in the sentence or its neighbours
    product: GuardedFolded
    company: FirstRule
    product_except: re.Pattern
    change_link: Folded
    default_partner: str
    whole_trade: Folded
    breakdown: Folded
    change_result: re.Pattern


@cache
def _rules() -> _Rules:
    data = load_rules("rules/trade_flows.yaml")
    trig = data["triggers"]
    triggers = "|".join(
        f"(?P<{kind}>{longest_first(trig[kind])})" for kind in ("turnover", "export", "import")
    )
    quals = data["qualifiers"]
    gap = data["qualifier_gap"]
    neg = data["not_a_flow"]

    def groups(scope: str) -> re.Pattern:
        alts = [f"(?P<{k}>{longest_first(v['patterns'])})" for k, v in neg.items() if v["scope"] == scope]
        return re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)", re.I)

    return _Rules(
        trade_cues=automaton(data["trade_cues"]),
        triggers=Folded(re.compile(rf"(?<!\w)(?:{triggers})(?!\w)", re.I)),
        anaphora=GuardedFolded(_words(data["anaphora"])),
        placeholders=_folded_words(data["placeholders"]),
        country_pair=_folded_words(data["country_pair"]),
        level_region=_folded_words(data["region_placeholders"]),
        unresolved_place=Folded(re.compile(rf"\s+(?:{data['unresolved_place_nouns']})(?!\w)", re.I)),
        placeholder_noun=Folded(re.compile(rf"\s+{data['placeholder_nouns']}(?!\w)", re.I)),
        qualifiers=[
            (Folded(re.compile(rf"(?<!\w)(?:{longest_first(ps)})(?!\w){gap}$", re.I)), q)
            for q, ps in quals.items()
        ],
        comparison=_folded_words(data["comparison"]),
        period_pair=Folded(re.compile(data["period_pair"], re.I)),
        to_words=frozenset(w.casefold() for w in data["direction"]["to"]),
        from_words=frozenset(w.casefold() for w in data["direction"]["from"]),
        left=FirstRule({k: v["patterns"] for k, v in neg.items() if v["scope"] == "left"}),
        around=GuardedFolded(groups("paragraph")),
        product=GuardedFolded(_words(neg["product"]["patterns"])),
        company=FirstRule({"company": neg["company"]["patterns"]}),
        product_except=_words(data["not_a_flow"]["product"]["except"]),
        default_partner=data["default_partner"],
        whole_trade=_folded_words(data["whole_trade"]),
        breakdown=_folded_words(data["breakdown"]),
        change_result=re.compile(data["change_result"], re.I),
        change_link=Folded(
            re.compile(
                r"^[\s,–—-]*(?:and\s+|и\s+)?(?:\w+\s+){0,2}?(?:to|до|reaching|amounting(?:\s+to)?|amounted\s+to|totall?ing|exceeding|составив|составил\w*|достиг\w*)\b",
                re.I,
            )
        ),
    )


# ---------------------------------------------------------------------------------------------
# Sentences: units and chains


@dataclass(slots=True, eq=False)
class _Unit:
    """One sentence, or several adjacent ones when the text broke mid-sentence ("..,")."""

    start: int
    stop: int
    text: str
    paragraph: int
    last_index: int  # position of its last sentence in doc.sentences
    mentions: list[PlaceMention] | None = None
    money: bool = False  # a currency cue is in it
    _amounts: list[Amount] | None = None

    def amounts(self) -> list[Amount]:
        if self._amounts is None:
            self._amounts = find_amounts(self.text) if self.money else []
        return self._amounts


def _units(doc: Document, until: int) -> list[_Unit]:
    """The units of the body up to the one after the unit holding offset ``until`` (none after
    it is read)."""
    units: list[_Unit] = []
    text = doc.text
    prev: _Unit | None = None
    for i, s in enumerate(doc.sentences):
        if s.zone != "body":
            continue
        if prev is not None and prev.last_index == i - 1 and prev.text.rstrip().endswith(_BROKEN_OFF):
            prev.stop = s.stop
            prev.text = text[prev.start : s.stop]
            prev.last_index = i
        elif prev is not None and prev.start > until:
            break  # ``prev`` is whole, and it is the one after the last one read
        else:
            prev = _Unit(s.start, s.stop, s.text, s.paragraph, i)
            units.append(prev)
    return units


def _mentions(unit: _Unit) -> list[PlaceMention]:
    """Places named in the unit, leaving out those inside a money amount ("U.S. dollars")."""
    if unit.mentions is None:
        amounts = unit.amounts()
        unit.mentions = [
            m
            for m in find_places(unit.text)
            if not any(m.start < a.stop and a.start < m.stop for a in amounts)
        ]
    return unit.mentions


# ---------------------------------------------------------------------------------------------
# Parties


@dataclass(slots=True)
class _Side:
    party: Party
    mention: PlaceMention | None
    carried_from: _Unit | None = None


@dataclass(slots=True)
class _Context:
    """The last trade statement: what a following "it" or "the parties" refers to."""

    unit: _Unit
    a: _Side | None
    b: _Side | None
    flow: str
    periods: list[Period] = field(default_factory=list)


def _is_party(text: str, m: PlaceMention) -> bool:
    """A country's adjective before "region", "capital", "side" stands for a place in it, not
    for the country ("the Russian region"); a region's adjective is that region ("пензенского края")."""
    if m.kind != "adjective" or m.place.level != "country":
        return True
    return not _rules().placeholder_noun.match(text, m.stop)


def _pick(cands: list[PlaceMention], anchor: int, specific: bool = True) -> PlaceMention | None:
    """Names before adjectives; with ``specific``, a region or city before its own country
    ("Russia's Pskov region"); then the nearest to ``anchor``."""
    if not cands:
        return None
    names = [m for m in cands if m.kind == "name"] or cands
    if specific:
        countries = {m.place.country for m in names if m.place.level != "country"}
        names = [m for m in names if m.place.level != "country" or m.place.country not in countries]
    return min(names, key=lambda m: min(abs(m.start - anchor), abs(m.stop - anchor)))


def _sides_in(text: str, mentions: list[PlaceMention], anchor: int, skip=()) -> tuple:
    """The Belarusian and the other party named in the text: the nearest to the flow word; on
    the other side a region before its country, on the Belarusian side ("Belarus and Smolensk
    Oblast", "the Oblast and Russia") whichever is nearest."""
    usable = [m for m in mentions if _is_party(text, m) and m not in skip and not _dateline(text, m)]
    by = _pick([m for m in usable if m.place.country == BELARUS], anchor, specific=False)
    other = _pick([m for m in usable if m.place.country != BELARUS], anchor)
    return by, other


def _dateline(text: str, m: PlaceMention) -> bool:
    """ "MINSK, 12 March (BelTA) -": the place a news item was filed from."""
    return m.start < 3 and m.text.isupper() and len(m.text) > 2 and text[m.stop : m.stop + 1] in (",", " ")


def _carry(
    chain: list[_Unit], belarusian: bool, level: str | None
) -> tuple[PlaceMention | None, _Unit] | None:
    """The party of the wanted side named last in the sentences before: a region (or, for
    "the two countries", a country) where there is one; cities and districts, named as venues
    more often than as traders, are not carried. A place of that side named but not resolved
    ("the Belarusian metropolitan area") blocks the carry: it is a party we cannot name."""
    rules = _rules()
    found: list[tuple[PlaceMention, _Unit]] = []
    for u in reversed(chain):
        side = sorted(
            (m for m in _mentions(u) if (m.place.country == BELARUS) == belarusian), key=lambda m: -m.start
        )
        if not found and side and rules.unresolved_place.match(u.text, side[0].stop):
            return None, u
        cands = [m for m in side if _is_party(u.text, m) and m.place.level in ("country", "region")]
        names = [m for m in cands if m.kind == "name"] or cands
        found += [(m, u) for m in names]
    if level == "country":
        found = [f for f in found if f[0].place.level == "country"]
    elif level == "region":
        found = [f for f in found if f[0].place.level != "country"] or found
    return found[0] if found else None


def _exporter(text: str, m: PlaceMention, triggers: list[re.Match]) -> bool:
    """Is the place the one whose exports or imports these are ("Belarusian exports")?"""
    return any(
        t.lastgroup != "turnover"
        and m.stop <= t.start()
        and _POSSESSIVE_GAP.fullmatch(text[m.stop : t.start()])
        for t in triggers
    )


def _linked(text: str, m: PlaceMention) -> bool:
    """Is the named party introduced as a partner ("with Russia", "to Russia", "между ...")?"""
    before = _LAST_WORD.search(text[max(0, m.start - 20) : m.start])
    return bool(before) and before.group(1).casefold() in _PARTNER_WORDS


# ---------------------------------------------------------------------------------------------
# Amount attributes: qualifier, change, period, flow


def _qualifier(text: str, amount: Amount) -> str:
    left = text[max(0, amount.start - QUALIFIER_WINDOW) : amount.start]
    for pattern, q in _rules().qualifiers:
        if pattern.search(left):
            return q
    return "exact"


def _assign_changes(text: str, amounts: list[Amount], changes: list[Change]) -> dict[int, float]:
    """Each change qualifies the amount it leads to ("grew by 80% to $175 million") or else
    the amount it follows ("$121 million and increased by 12%"); an amount keeps the nearest."""
    rules = _rules()
    best: dict[int, tuple[int, float]] = {}
    for start, stop, value in ((c.start, c.stop, c.pct) for c in changes):
        prev = max((i for i, a in enumerate(amounts) if a.stop <= start), default=None)
        nxt = min((i for i, a in enumerate(amounts) if a.start >= stop), default=None)
        leads = (
            nxt is not None
            and amounts[nxt].start - stop <= CHANGE_LINK
            and (prev is None or rules.change_link.search(text[stop : amounts[nxt].start]))
        )
        target = nxt if leads or prev is None else prev
        if target is None:
            continue
        a = amounts[target]
        distance = start - a.stop if start >= a.stop else a.start - stop
        if target not in best or distance < best[target][0]:
            best[target] = (distance, value)
    return {i: v for i, (_, v) in best.items()}


def _comparison_spans(text: str) -> list[tuple[int, int]]:
    """From a comparison word ("compared to", "по сравнению с") to the end of its clause."""
    spans = []
    for m in _rules().comparison.finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        spans.append((m.start(), end.start() if end else len(text)))
    return spans


def _period_for(
    text: str, amount: Amount, amounts: list[Amount], periods: list[Period], pairs
) -> Period | None:
    if pairs and amount in pairs:
        return pairs[amount]
    nxt = min((a.start for a in amounts if a.start > amount.start), default=len(text))
    prv = max((a.stop for a in amounts if a.stop <= amount.start), default=0)
    before = [p for p in periods if p.stop <= amount.start]
    after = [p for p in periods if amount.stop <= p.start < nxt and p.start - amount.stop <= 25]
    if (
        after
    ):  # "$284 million in 2019"; but in "в 2021 году $512 млн, в 2022 году $601 млн" 2022 is the next one's
        gap = text[amount.stop : after[0].start]
        if _TIGHT_GAP.fullmatch(gap) or (
            _LOOSE_GAP.fullmatch(gap) and not [p for p in before if p.start >= prv]
        ):
            return after[0]
    if before:
        return before[-1]
    later = [p for p in periods if p.start >= amount.stop and p.start < nxt]
    return later[0] if later else None


def _period_pairs(text: str, amounts: list[Amount], periods: list[Period]) -> dict[Amount, Period]:
    """ "in the period from 2010 to 2015 ... increased from 15.4 to 41.3 million dollars"."""
    rules = _rules()
    pairs: dict[Amount, Period] = {}
    spans = [m.span() for m in rules.period_pair.finditer(text)]
    for i, (s1, e1) in enumerate(spans):
        p_in = [p for p in periods if s1 <= p.start and p.stop <= e1]
        for s2, e2 in spans[i + 1 :]:
            a_in = [a for a in amounts if s2 <= a.start and a.stop <= e2 + 30]
            if len(p_in) == 2 and len(a_in) >= 2 and a_in[1].start - a_in[0].stop <= 6:
                pairs[a_in[0]], pairs[a_in[1]] = p_in[0], p_in[1]
    return pairs


def _flow(
    kind: str,
    text: str,
    trigger: re.Match | None,
    amount: Amount,
    mentions: list[PlaceMention],
    view: bool | None = None,
) -> tuple[str, bool | None]:
    """turnover, or which way goods go. The side named right after the flow word with "from" /
    "of" / as an adjective is where goods come from ("exports from Russia", "imports of Belarusian
    goods", "экспорт белорусской продукции"), with "to" / "в" where they go; a side named right
    before it is the exporter of exports, the importer of imports ("Belarusian exports",
    "Russia's imports"). Else the view of an earlier flow word of the sentence (``view``: whether
    its exports or imports were the a side's: "экспорт области в Белоруссию составил ..., импорт
    — ..."), else the Belarusian side's view: its exports, its imports. Also whose view this flow
    word states, if it names one."""
    if kind == "turnover":
        return "turnover", None
    rules = _rules()
    exporter_is_a: bool | None = None
    if trigger is not None:
        span_end = amount.start if amount.start > trigger.end() else min(len(text), trigger.end() + 60)
        for m in mentions:  # a is the Belarusian side
            is_a = m.place.country == BELARUS
            if trigger.end() <= m.start < span_end:
                word = _DIRECTION_WORD.search(text[trigger.end() : m.start])
                w = word.group(1).casefold() if word else ""
                if w in rules.to_words:
                    exporter_is_a = not is_a
                    break
                if w in rules.from_words or not word or m.kind == "adjective":
                    exporter_is_a = is_a
                    break
            elif m.stop <= trigger.start() and _BEFORE_FLOW_WORD.fullmatch(text[m.stop : trigger.start()]):
                exporter_is_a = is_a == (kind == "export")
                break
    if exporter_is_a is None:
        owner = True if view is None else view
        exporter_is_a = owner == (kind == "export")
        stated = None
    else:
        stated = exporter_is_a == (kind == "export")
    return ("export_a_to_b" if exporter_is_a else "export_b_to_a"), stated


# ---------------------------------------------------------------------------------------------
# What an amount is not


def _rejected_around(text: str, neighbours: str) -> str | None:
    """Why no amount of the unit is a value of bilateral trade, if the sentence or those either
    side speak of exchange trading or of a union's trade as a whole."""
    rules = _rules()
    m = rules.around.search(text) or rules.around.search(neighbours)
    return m.lastgroup if m else None


def _rejected(text: str, amount: Amount, left_from: int, trigger, previous: str | None) -> str | None:
    """Why the amount is not a value of trade between the parties, if it is not. ``previous``:
    the sentences before, when this one only goes on from them (names no party, says no "the
    parties"): a product group or a company there is what this one goes on about."""
    rules = _rules()
    left = rules.change_result.sub(" ", text[max(left_from, amount.start - LEFT_WINDOW) : amount.start])
    kind = rules.left.first(left)
    if kind:
        return kind
    chunks = []
    if trigger is not None:
        chunks.append(text[trigger.end() : amount.start] if trigger.end() <= amount.start else "")
        chunks.append(_TWO_WORDS_BEFORE.search(text[max(0, trigger.start() - 25) : trigger.start()]).group())
    worth = _WORTH_OF.match(text[amount.stop : amount.stop + 40])
    chunks.append(worth.group() if worth else "")
    if previous:
        chunks.append(previous)
        if rules.company.first(previous):
            return "company"
    if any(rules.product.search(rules.product_except.sub(" ", c)) for c in chunks):
        return "product"
    return None


# ---------------------------------------------------------------------------------------------
# The extractor


def _party(m: PlaceMention) -> Party:
    return _party_of(m.place)


@lru_cache(maxsize=1024)
def _party_of(place) -> Party:
    return place.as_party()  # a Party is immutable: one for each place will do


def _default_partner(doc: Document) -> Party | None:
    """The partner country of "between our countries" when none is named nearby: the one the
    data names (Russia), if the document names it (its first pages are enough)."""
    code = _rules().default_partner
    if any(
        m.place.country == code and m.place.level == "country"
        for m in find_places(doc.text[:DEFAULT_PARTNER_SPAN])
    ):
        return country_place(code).as_party()
    return None


def extract(doc: Document) -> list[Fact]:
    rules = _rules()
    own_year = doc.dated[0] if doc.dated else None
    # One pass over the body finds the sentences with money in them; only those, and the few
    # before each (which may name the parties or the trade they refer to), are read further.
    body = [s for s in doc.sentences if s.zone == "body"]
    if not body:
        return []
    cues = currency_cues(doc.text, min(map(_START, body)), max(map(_STOP, body)))
    if not cues:
        return []  # no money in the body (most pages): nothing to read
    units = _units(doc, max(cues))
    money = _units_at(units, cues)
    for i in money:
        units[i].money = True
    facts: list[Fact] = []
    seen: set[tuple] = set()
    context: _Context | _Pending | None = None
    for k in sorted({i - back for i in money for back in range(CHAIN_BACK + 1) if i >= back}):
        unit = units[k]
        # the body sentences just before: carried parties come from them
        chain = units[max(0, k - CHAIN_BACK) : k]
        if context is not None and context.unit not in chain:
            context = None  # a trade statement is referred back to only from close by
        if next(rules.trade_cues.iter(unit.text), None) is None:
            continue
        triggers = list(rules.triggers.finditer(unit.text))
        following = units[k + 1] if k + 1 < len(units) else None
        if triggers and k not in money:  # read only if a sentence after refers back to it
            context = _Pending((doc, unit, following, chain, context, triggers, own_year))
        elif triggers or (context is not None and k in money):
            ctx = _resolved(context)
            context = _read_unit(doc, unit, following, chain, ctx, triggers, own_year, facts, seen) or ctx
    return facts


@dataclass(slots=True)
class _Pending:
    """A trade statement without money, read only when a later sentence refers back to it."""

    args: tuple
    result: _Context | None = None
    done: bool = False

    @property
    def unit(self) -> _Unit:
        return self.args[1]


def _resolved(context: _Context | _Pending | None) -> _Context | None:
    if not isinstance(context, _Pending):
        return context
    if not context.done:
        doc, unit, following, chain, previous, triggers, own_year = context.args
        previous = _resolved(previous)
        context.result = (
            _read_unit(doc, unit, following, chain, previous, triggers, own_year, [], set()) or previous
        )
        context.done = True
    return context.result


def _units_at(units: list[_Unit], offsets) -> set[int]:
    """Indices of the units holding these offsets (none for an offset outside the body)."""
    starts = [u.start for u in units]
    found = set()
    for pos in offsets:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and pos < units[i].stop:
            found.add(i)
    return found


def _parties(
    doc, unit, chain, context, triggers, mentions, placeholders
) -> tuple[_Side | None, _Side | None, list[str]]:
    """The Belarusian side and the other side of the unit's trade: named in it, or carried from
    the sentences before when it points back to them ("the region", "between the parties").
    ``placeholders``: the spans of the words in it that stand for a party."""
    rules = _rules()
    text = unit.text
    placeholder = any(
        not any(m.start < end and start < m.stop for m in mentions) for start, end in placeholders
    ) or any(not _is_party(text, m) for m in mentions)
    anchor = triggers[0].start() if triggers else 0
    by_m, other_m = _sides_in(text, mentions, anchor)
    a = _Side(_party(by_m), by_m) if by_m else None
    b = _Side(_party(other_m), other_m) if other_m else None
    notes: list[str] = []
    named_linked = any(_linked(text, m) for m in (by_m, other_m) if m is not None)
    if a and b:
        return a, b, notes
    if not (placeholder or named_linked or not (by_m or other_m)):
        # "Belarusian exports reached ..." right after a statement of Belarus's trade with X: to X
        named = by_m or other_m
        fresh = context is not None and chain and context.unit is chain[-1]
        if fresh and _exporter(text, named, triggers) and not rules.whole_trade.search(text):
            ctx_side = context.b if named is by_m else context.a
            if ctx_side is not None:
                carried = _Side(ctx_side.party, ctx_side.mention, context.unit)
                return (a, carried, notes) if named is by_m else (carried, b, notes)
        return a, b, notes
    broken = bool(chain) and not _TERMINAL.search(chain[-1].text.rstrip())  # goes on from the one before
    if not (placeholder or named_linked or broken):
        # names no one, points at no one: the same trade as the statement before
        if context is not None and context.a is not None and context.b is not None:
            return (
                _Side(context.a.party, context.a.mention, context.unit),
                _Side(context.b.party, context.b.mention, context.unit),
                notes,
            )
        # No trade statement before: the pair the sentences just before name ("the agreement
        # between Belarus and X was signed in 1999. Turnover for 2024 totalled ...").
        if not rules.whole_trade.search(text):
            by, other = _carry(chain, True, None), _carry(chain, False, "region")
            if by and by[0] is not None and other and other[0] is not None:
                for m, u in (by, other):
                    notes.append(f"party {m.place.name} from sentence {u.start}-{u.stop}")
                return _Side(_party(by[0]), by[0], by[1]), _Side(_party(other[0]), other[0], other[1]), notes
        return a, b, notes
    region_hint = bool(rules.level_region.search(text))
    country_hint = bool(rules.country_pair.search(text))
    for belarusian in (True, False):
        if (a if belarusian else b) is not None:
            continue
        if belarusian:
            level = "region" if region_hint and b is not None else None
        else:
            level = "country" if country_hint else "region"
        side = None
        found = _carry(chain, belarusian, level)
        if found and found[0] is not None:
            side = _Side(_party(found[0]), found[0], found[1])
        src = (context.a if belarusian else context.b) if context is not None else None
        if src is not None and (found is None or context.unit.start >= found[1].start):
            side = _Side(src.party, src.mention, context.unit)  # the last trade statement is the nearer
        if side is None and not belarusian and country_hint:
            partner = _default_partner(doc)
            if partner is not None:
                side = _Side(partner, None, None)
                notes.append(f"partner {partner.name}: the partner country the document names")
        if belarusian:
            a = side
        else:
            b = side
    return a, b, notes


def _read_unit(doc, unit, following, chain, context, triggers, own_year, facts, seen) -> _Context | None:
    """Facts of one unit appended to ``facts``; returns the unit's trade context, if any."""
    rules = _rules()
    text = unit.text
    amounts = unit.amounts()
    anaphors = list(rules.anaphora.finditer(text))
    if not triggers and not (anaphors and context is not None and amounts):
        return None
    comparisons = _comparison_spans(text)
    periods = [p for p in find_periods(text, own_year) if not any(s <= p.start < e for s, e in comparisons)]
    mentions = _mentions(unit)
    list_items = _list_items(text, amounts, mentions)
    listed = set(list_items.values())
    # Parties are named before the amounts or in their clause: in "$3.1 billion, with Russia
    # accounting for 70%" Russia is not the partner.
    last = amounts[-1].stop if amounts else len(text)
    clause_end = _CLAUSE_MARK.search(text, last).start()
    named_here = [m for m in mentions if m not in listed and m.start < clause_end]
    breakdown = _breakdown(text, amounts, named_here)
    if breakdown is not None:  # the whole is the trade of the places before the marker
        named_here = [m for m in named_here if m.start < breakdown.start]
    placeholders = [p.span() for p in rules.placeholders.finditer(text)]
    a, b, notes = _parties(doc, unit, chain, context, triggers, named_here, placeholders)
    if triggers:
        new_context = _Context(
            unit, a, b, triggers[-1].lastgroup, periods or (context.periods if context else [])
        )
    else:  # "it was", "the figure was": the same trade as before
        new_context = _Context(unit, context.a, context.b, context.flow, periods or context.periods)
    if not amounts:
        return new_context
    neighbours = (chain[-1].text if chain else "") + " " + (following.text if following else "")
    if _rejected_around(text, neighbours):
        return new_context
    named = bool(listed) or any(_is_party(text, m) for m in mentions)
    pointing = bool(placeholders) or any(not _is_party(text, m) for m in mentions)
    previous = " ".join(u.text for u in chain[-2:]) if chain and not named and not pointing else None
    pairs = _period_pairs(text, amounts, periods) if len(periods) > 1 and len(amounts) > 1 else {}
    changes = _assign_changes(text, amounts, find_changes(text))
    trigger_ends = [t.end() for t in triggers]  # in order: the triggers do not overlap
    prev_stop = 0
    view: bool | None = None  # whose exports and imports the sentence has spoken of (True: a's)
    for i, amount in enumerate(amounts):
        left_from = prev_stop
        prev_stop = amount.stop
        before = bisect.bisect_right(trigger_ends, amount.start)  # the triggers ending before it
        trigger = triggers[before - 1] if before else None
        anaphor = bool(anaphors) and any(left_from <= m.start() < amount.start for m in anaphors)
        pa, pb = a, b
        if trigger is not None and not (anaphor and trigger.end() <= left_from):
            kind, rule = trigger.lastgroup, trigger.lastgroup
        elif anaphor and context is not None:
            kind, rule = context.flow, "anaphora"
            pa, pb = (
                _Side(context.a.party, None, context.unit) if context.a else None,
                (_Side(context.b.party, None, context.unit) if context.b else None),
            )
        else:
            continue
        if _rejected(text, amount, left_from, trigger, previous):
            continue
        period, period_note = _period_of(text, amount, amounts, periods, pairs, chain, context, own_year)
        if period is None:
            continue
        if amount in list_items:
            pa, pb, rule = (
                *_list_parties(list_items[amount], chain, context, text, mentions, listed, amount.start),
                "list",
            )
        if breakdown is not None and amount.start >= breakdown.stop and pa is not None and pb is not None:
            pa, pb = breakdown.part_of(pa, pb)
        if pa is None or pb is None or pa.party.key() == pb.party.key():
            continue
        if pa.party.country == BELARUS and pb.party.country == BELARUS:
            continue  # domestic
        if pa.party.country != BELARUS and rule != "list" and (pa.carried_from or pb.carried_from):
            continue  # two foreign parties only when the sentence names both
        flow, stated = _flow(kind, text, trigger, amount, mentions, view)
        view = view if stated is None else stated
        attrs = {
            "flow": flow,
            "period_start": date(*period.first, 1),
            "period_end": date(*period.last, 1),
            "value": amount.value,
            "currency": amount.currency,
            "qualifier": _qualifier(text, amount),
            "change_pct": changes.get(i),
        }
        key = (pa.party.key(), pb.party.key(), tuple(attrs.values()), unit.start)
        if key in seen:
            continue
        seen.add(key)
        note_parts = list(notes)
        for side in (pa, pb):
            if side.carried_from is not None:
                src = side.carried_from
                where = "" if src.paragraph == unit.paragraph else " (an earlier paragraph)"
                note_parts.append(f"party {side.party.name} from sentence {src.start}-{src.stop}{where}")
        if period_note:
            note_parts.append(period_note)
        facts.append(Fact("trade_flows", pa.party, pb.party, attrs, _evidence(doc, unit, rule, note_parts)))
    return new_context


@dataclass(frozen=True, slots=True)
class _Breakdown:
    """ "$900 million, of which $300 million with Gomel Oblast": where the marker stands, and the
    one place named after it, the partner of the amounts after it."""

    start: int
    stop: int
    place: PlaceMention

    def part_of(self, a: _Side, b: _Side) -> tuple[_Side, _Side]:
        """The whole's sides with the part's place for the side of its country."""
        part = _Side(_party(self.place), self.place)
        if part.party.country == a.party.country:
            return part, b
        return (a, part) if part.party.country == b.party.country else (a, b)


def _breakdown(text: str, amounts: list[Amount], named_here: list[PlaceMention]) -> _Breakdown | None:
    """The breakdown of the sentence's first amount into parts, if one follows it."""
    if len(amounts) < 2:
        return None
    m = _rules().breakdown.search(text, amounts[0].stop)
    if m is None or amounts[-1].start < m.end():
        return None
    after = [p for p in named_here if p.start >= m.end()]
    return _Breakdown(m.start(), m.end(), after[0]) if len(after) == 1 else None


def _evidence(doc: Document, unit: _Unit, rule: str, notes: list[str]) -> Evidence:
    confidence = 0.85 - 0.1 * len(notes) - (0.1 if rule == "anaphora" else 0)
    return Evidence(
        char_start=unit.start,
        char_end=unit.stop,
        quote=doc.text[unit.start : unit.stop],
        sentence_start=unit.start,
        sentence_end=unit.stop,
        rule=f"trade_flows.{rule}",
        extractor=f"{NAME}@{VERSION}",
        confidence=round(max(confidence, 0.3), 2),
        note="; ".join(notes) or None,
    )


def _period_of(
    text, amount, amounts, periods, pairs, chain, context, own_year
) -> tuple[Period | None, str | None]:
    """The period stated for the amount; else that of the sentence this one goes on from, or of
    the trade statement just before. On a page without a date, "this year" is the year of that
    period ("in the first half of this year" is its first half)."""
    period = _period_for(text, amount, amounts, periods, pairs)
    if period is not None:
        return period, None
    if unanchored(text, own_year):
        return None, None  # "last year" on an undated page is not the year of the sentence before
    carried, note = _carried_period(chain, context, own_year)
    if carried is not None and own_year is None:
        relative = [p for p in find_periods(text, carried.last[0]) if p.resolved == "relative"]
        this_year = _period_for(text, amount, amounts, relative, pairs)
        if this_year is not None:
            return this_year, note
    return carried, note


def _carried_period(chain, context, own_year) -> tuple[Period | None, str | None]:
    if chain and not _TERMINAL.search(chain[-1].text.rstrip()):
        carried = find_periods(chain[-1].text, own_year)
        if carried:
            return carried[-1], f"period from sentence {chain[-1].start}-{chain[-1].stop}"
    if context is not None and context.periods:
        return context.periods[-1], f"period from sentence {context.unit.start}-{context.unit.stop}"
    return None, None


def _list_items(text: str, amounts: list[Amount], mentions: list[PlaceMention]) -> dict[Amount, PlaceMention]:
    """ "trade with Azerbaijan - $47.93 million, Iran - $34.54 million": each amount's own partner,
    when at least two amounts of the sentence are led by a place and a dash, colon or bracket."""
    items = {}
    for amount in amounts:
        for m in mentions:
            if 0 <= amount.start - m.stop <= 5 and _LIST_MARK.fullmatch(text[m.stop : amount.start]):
                items[amount] = m
    return items if len(items) >= 2 else {}


def _list_parties(item, chain, context, text, mentions, listed, anchor):
    """A list item's partner is the item; the other side is whose trade the list is: a place
    named outside the list, else the region the sentences before are about."""
    outside = [m for m in mentions if m not in listed and _is_party(text, m)]
    subject_m = _pick(outside, anchor)
    if subject_m is not None:
        subject = _Side(_party(subject_m), subject_m)
    elif context is not None and context.b is not None and context.b.party.level != "country":
        subject = _Side(context.b.party, context.b.mention, context.unit)
    else:
        found = _carry(chain, False, "region") or _carry(chain, True, "region")
        if not found or found[0] is None or found[0].place.level == "country":
            return None, None
        subject = _Side(_party(found[0]), found[0], found[1])
    item_side = _Side(_party(item), item)
    if item.place.country == BELARUS:
        return item_side, subject
    return subject, item_side
