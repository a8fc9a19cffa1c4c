"""A decoded document made ready for extraction: zones, sentences, and its own date."""

from __future__ import annotations

from pipelines.extract.dates import find_dates
from pipelines.ingest import Decoded, read_document
from pipelines.model import Document
from pipelines.segment import sentences
from pipelines.zones import find_zones, zone_at

DATELINE_CHARS = 800  # a news page states its date near the top, among the site chrome


def document_date(text: str) -> tuple[int, int | None, int | None] | None:
    """The document's own date: the first full date near its top (a dateline), if any."""
    for d in find_dates(text[:DATELINE_CHARS]):
        if d.month is not None:
            return (d.year, d.month, d.day)
    return None


def build_document(doc_name: str, decoded: Decoded) -> Document:
    zones = find_zones(decoded.text)
    doc = Document(
        doc_id=decoded.doc_id,
        doc_name=doc_name,
        text=decoded.text,
        language=decoded.language,
        zones=zones,
        dated=document_date(decoded.text),
    )
    doc.sentences = sentences(decoded.text, lambda offset: zone_at(zones, offset))
    return doc


def document_from_bytes(doc_name: str, data: bytes) -> Document:
    """Convenience for tests and tools: raw bytes to a ready Document (raises ingest.Unreadable)."""
    return build_document(doc_name, read_document(data))
