"""The few types that flow through the whole pipeline.

One offset-carrying type, ``Substring`` (as in razdel), marks every span: sentences,
zones, place mentions, evidence. Offsets are 0-based, end-exclusive, and always refer
to ``Document.text``, the normalised text stored in ``documents.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FACT_TABLES = ("agreements", "visits", "trade_flows", "twinnings")
LEVELS = ("country", "region", "city", "district", "group")
ZONES = ("body", "footnote", "bibliography", "front_matter", "navigation")


@dataclass(frozen=True, slots=True)
class Substring:
    start: int
    stop: int
    text: str


@dataclass(frozen=True, slots=True)
class Place:
    """A canonical place of the gazetteer (one row of the ``places`` table)."""

    place_id: str
    name: str  # English name in common use (Wikipedia's)
    name_ru: str | None
    country: str  # ISO 3166-1 alpha-2
    level: str  # country | region | city | district
    region: str | None  # ISO 3166-2 of the region that is or holds the place; None for a country
    parent: str | None = None  # place_id

    def as_party(self) -> Party:
        return Party(self.name, self.country, self.level, self.region, self.place_id)


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a fact: a place, or a group such as "Russian regions" (level ``group``)."""

    name: str
    country: str | None
    level: str
    region: str | None = None
    place_id: str | None = None

    def key(self) -> tuple:
        return (self.place_id or self.name, self.country, self.level, self.region)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place found in running text. ``kind`` is ``name`` ("Bryansk region") or
    ``adjective`` ("Belarusian", "белорусских"), which extractors may weigh differently."""

    start: int
    stop: int
    text: str
    place: Place
    kind: str = "name"


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    stop: int
    text: str
    zone: str = "body"
    paragraph: int = 0  # index of the paragraph (blank-line separated block) holding it


@dataclass(slots=True)
class Document:
    doc_id: str
    doc_name: str
    text: str
    language: str
    sentences: list[Sentence] = field(default_factory=list)
    zones: list[tuple[Substring, str]] = field(default_factory=list)
    dated: tuple[int, int | None, int | None] | None = None  # the document's own date, if it states one


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact is stated. ``char_start:char_end`` is the quote; the sentence offsets,
    rule, version and confidence let a reviewer tell which rule to blame."""

    char_start: int
    char_end: int
    quote: str
    sentence_start: int
    sentence_end: int
    rule: str
    extractor: str  # name@version
    confidence: float
    note: str | None = None  # e.g. which earlier sentence supplied a carried-over party


@dataclass(slots=True)
class Fact:
    """A candidate fact, before validation. ``attrs`` holds the table's own columns
    (see CONTRACT.md): e.g. kind/year/month/day/place for agreements."""

    table: str
    a: Party
    b: Party
    attrs: dict[str, Any]
    evidence: Evidence
    aggregate: bool = False
    count: int = 1


# Their two parties are a pair; in visits a is the visitor.
UNORDERED = {"agreements", "trade_flows", "twinnings"}
