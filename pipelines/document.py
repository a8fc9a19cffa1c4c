"""A decoded document made ready for extraction: zones, sentences, and its own date."""

from __future__ import annotations

import re
from typing import NamedTuple

from pipelines.extract.dates import find_dates
from pipelines.ingest import Decoded, read_document
from pipelines.model import Document, Substring
from pipelines.segment import sentence_spans, sentences
from pipelines.zones import find_zones

DATELINE_CHARS = 800  # a news page states its date near the top, among the site chrome
DATELINE_LINE = 60  # ... on a short line of its own ("11 June 2025, 17:39", "Flag Thursday, 12 June 2025")
_YEAR = re.compile(r"(?:19|20)\d\d")  # every date form writes out its year
_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)")


def document_date(text: str) -> tuple[int, int | None, int | None] | None:
    """The document's own date: the first full date (day, month, year) standing on a short line
    near the top, a line that also gives the time first ("15:48 03 November 2022"): that is when
    the article was published, while a site's header may show the day the page was served
    ("Flag Saturday, 25 May 2024"). A date inside a sentence of the article ("in January-March
    2024") is what the article speaks of, not when it was written, so it does not count. Only
    short lines with a year are searched: the date search over the whole head cost as much as
    sentence splitting."""
    lines = [
        line
        for line in text[:DATELINE_CHARS].split("\n")
        if len(line.strip()) <= DATELINE_LINE and _YEAR.search(line)
    ]
    for line in sorted(lines, key=lambda line: _TIME.search(line) is None):  # stable: timed lines first
        for d in find_dates(line):
            if d.day is not None and d.month is not None:
                return (d.year, d.month, d.day)
    return None


def build_document(doc_name: str, decoded: Decoded) -> Document:
    zones = find_zones(decoded.text)
    return Document(
        doc_id=decoded.doc_id,
        doc_name=doc_name,
        text=decoded.text,
        language=decoded.language,
        sentences=sentences(decoded.text, zones),
        zones=zones,
        dated=document_date(decoded.text),
    )


class DocumentParts(NamedTuple):
    """What ``build_document`` adds to a text, as the staged document keeps it."""

    zones: list[tuple[Substring, str]]
    dated: tuple[int, int | None, int | None] | None
    sentences: list[tuple[int, int, str, int]]  # (start, stop, zone, paragraph): no objects to build


def document_parts(text: str) -> DocumentParts:
    zones = find_zones(text)
    return DocumentParts(zones, document_date(text), sentence_spans(text, zones))


def document_from_bytes(doc_name: str, data: bytes) -> Document:
    """Convenience for tests and tools: raw bytes to a ready Document (raises ingest.Unreadable)."""
    return build_document(doc_name, read_document(data))
