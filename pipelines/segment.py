"""Sentence segmentation with exact offsets, for English and Russian.

Text is first cut into blocks at hard line breaks (a blank line, or a line break that
ends a heading, menu item or paragraph), then razdel splits each block into sentences.
Line breaks inside a block are the soft wraps of PDF-to-text output and are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from razdel import sentenize
from razdel.segmenters.sentenize import DELIMITER

from pipelines.model import Sentence, Substring

# A soft wrap: the line goes on in the next one (PDF-to-text output wraps at ~80 columns).
_WRAP_MIN_LINE = 60
_JOINING_END = re.compile(r"[,\-–(\[«\"“]\s*$|\w\s*$")
_NEXT_LOWER = re.compile(r"\s*[a-zа-яё(\[«\"“-]")
_BLANK = re.compile(r"\n[ \t\f\v\xa0]*\n")
_LINE = re.compile(r"[^\n]*\n?")
# razdel considers a split only at these; a chunk with none, or with a run of them only at
# its end ("... signed.", "... 2024.»"), is one sentence, found here without calling razdel.
_DELIMITER = re.compile(DELIMITER)
_DELIMITERS_AT_END = re.compile(rf"(?:{DELIMITER})+\s*\Z")
MAX_SENTENCE_CHARS = 4000  # about three times the longest sentence of the seed documents


def blocks(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield (start, stop, paragraph) of each block; paragraph counts blank-line separated runs."""
    pos = 0
    for paragraph, m in enumerate(_BLANK.finditer(text + "\n\n")):
        para_stop = min(m.start(), len(text))
        yield from _split_lines(text, pos, para_stop, paragraph)
        pos = m.end()
        if pos >= len(text):
            break


def _split_lines(text: str, start: int, stop: int, paragraph: int) -> Iterator[tuple[int, int, int]]:
    block_start = start
    pos = start
    while pos < stop:
        nl = text.find("\n", pos, stop)
        if nl < 0:
            break
        line = text[pos:nl]
        nxt = text[nl + 1 : min(stop, nl + 80)]
        soft = bool(_NEXT_LOWER.match(nxt)) or (
            _JOINING_END.search(line) is not None
            and (len(line) >= _WRAP_MIN_LINE or not re.search(r"\w\s*$", line))
        )
        if not soft:
            yield block_start, nl, paragraph
            block_start = nl + 1
        pos = nl + 1
    yield block_start, stop, paragraph


def sentences(text: str, zone_of=None) -> list[Sentence]:
    """All sentences of ``text`` with offsets into it. ``zone_of(offset)`` names the zone
    of an offset (default ``body``); a block is cut where the zone changes at a line start,
    so that no sentence runs from a footnote into the body text resuming after it."""
    out: list[Sentence] = []
    for b_start, b_stop, paragraph in blocks(text):
        pieces = _zone_pieces(text, b_start, b_stop, zone_of) if zone_of else [(b_start, b_stop, "body")]
        for p_start, p_stop, zone in pieces:
            chunk = text[p_start:p_stop]
            if not chunk.strip():
                continue
            for s in sentenize(chunk):
                for start, stop in _pieces(text, p_start + s.start, p_start + s.stop):
                    out.append(Sentence(start, stop, text[start:stop], zone, paragraph))
    return out


def _pieces(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """A "sentence" longer than MAX_SENTENCE_CHARS (a table or a dump without full stops) is cut
    at white space into pieces no longer than that: extractors compare the mentions of a sentence
    pairwise, and one 5 MB sentence would take them hours."""
    while stop - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit), text.rfind("\n", start, limit))
        cut = cut if cut > start else limit
        end = cut
        while end > start and text[end - 1].isspace():
            end -= 1
        yield start, end
        start = cut
        while start < stop and text[start].isspace():
            start += 1
    if start < stop:
        yield start, stop


def _zone_pieces(text: str, start: int, stop: int, zone_of) -> Iterator[tuple[int, int, str]]:
    piece, zone = start, zone_of(start)
    nl = text.find("\n", start, stop)
    while nl >= 0:
        if (z := zone_of(nl + 1)) != zone:
            yield piece, nl + 1, zone
            piece, zone = nl + 1, z
        nl = text.find("\n", nl + 1, stop)
    yield piece, stop, zone


def spans(items) -> list[Substring]:
    return [Substring(s.start, s.stop, s.text) for s in items]
