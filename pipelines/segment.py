"""Sentence segmentation with exact offsets, for English and Russian.

Text is first cut into blocks at hard line breaks (a blank line, or a line break that
ends a heading, menu item or paragraph), then each block is split into sentences by
razdel's rules. Line breaks inside a block are the soft wraps of PDF-to-text output and are kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from razdel.segmenters.punct import CLOSE_BRACKETS, CLOSE_QUOTES, DASHES, ENDINGS, GENERIC_QUOTES
from razdel.segmenters.sentenize import (
    BULLET_SIZE,
    DELIMITER,
    DELIMITERS,
    PAIR_SOKR,
    SMILE_PREFIX,
    SMILES,
    TOKEN,
    WORD,
    is_bullet,
    is_sokr,
)
from razdel.segmenters.sokr import HEAD_PAIR_SOKRS, HEAD_SOKRS, INITIALS, PAIR_SOKRS, SOKRS

from pipelines.model import Sentence, Substring

# A soft wrap: the line goes on in the next one (PDF-to-text output wraps at ~80 columns).
_WRAP_MIN_LINE = 60
_JOINING_END = ',-–([«"“'  # ... or a letter or digit: the last visible character of a wrapped line
_NEXT_LOWER = re.compile(r"\s*[a-zа-яё(\[«\"“-]")
_BLANK = re.compile(r"\n[ \t\f\v\xa0]*\n")
# razdel joins at every delimiter not followed by white space (its rules "empty_side" and
# "no_space_prefix"), so only these are worth its other rules. Without smileys (":)") in the
# text, a delimiter is one character: each is found by a pattern of its own, run only on a text
# holding it (a pattern led by one character searches several times faster than one led by a set).
_CUT = re.compile(rf"(?:{DELIMITER})(?=\s)")
_CUT_AT = tuple((char, re.compile(re.escape(char) + r"(?=\s)")) for char in DELIMITERS)
_SMILEY = re.compile(SMILES)
_START = re.Match.start
_WINDOW = 10  # razdel's rules look this many characters either side of a delimiter
# razdel's FIRST_TOKEN without "^", to match in place between a delimiter and the end of the window
_FIRST_TOKEN = re.compile(r"\s*([^\W\d]+|\d+|[^\w\s])")
# razdel's LAST_TOKEN ("([^\W\d]+|\d+|[^\w\s])\s*$", searched) read from the end: the same
# token, the run of letters, digits or the one sign ending the text, without a search from every start.
_LAST_TOKEN_REVERSED = re.compile(r"\s*([^\W\d]+|\d+|[^\w\s])")
# every word _abbreviation_left looks up (without a full stop before it, no pair is read)
_ABBREVIATION_WORDS = frozenset(HEAD_SOKRS | SOKRS | INITIALS | {pair[0] for pair in PAIR_SOKRS})
MAX_SENTENCE_CHARS = 4000  # about three times the longest sentence of the seed documents


def blocks(text: str) -> list[tuple[int, int, int]]:
    """(start, stop, paragraph) of each block; paragraph counts blank-line separated runs."""
    out = []
    n = len(text)
    pos = 0
    # the blank line appended ends the last paragraph: every match starts by ``n``
    for paragraph, m in enumerate(_BLANK.finditer(text + "\n\n")):
        para_stop, after = m.span()
        block_start = pos
        while (nl := text.find("\n", pos, para_stop)) >= 0:
            if not _soft_wrap(text, pos, nl, para_stop):
                out.append((block_start, nl, paragraph))
                block_start = nl + 1
            pos = nl + 1
        out.append((block_start, para_stop, paragraph))
        if after >= n:
            break
        pos = after
    return out


def _soft_wrap(text: str, start: int, nl: int, stop: int) -> bool:
    """Whether the line ``text[start:nl]`` goes on after its line break: the next line starts in
    lower case, or the line ends in a comma, hyphen, opening bracket or quote, or (when long) a word."""
    if _NEXT_LOWER.match(text, nl + 1, min(stop, nl + 80)):
        return True
    last = text[start:nl].rstrip()[-1:]
    in_word = last.isalnum() or last == "_"
    return (in_word and nl - start >= _WRAP_MIN_LINE) or (last != "" and last in _JOINING_END)


def sentences(text: str, zones: list[tuple[Substring, str]] | None = None) -> list[Sentence]:
    """All sentences of ``text`` with offsets into it (see ``sentence_spans``)."""
    return [
        Sentence(a, b, text[a:b], zone, paragraph) for a, b, zone, paragraph in sentence_spans(text, zones)
    ]


def sentence_spans(
    text: str, zones: list[tuple[Substring, str]] | None = None
) -> list[tuple[int, int, str, int]]:
    """(start, stop, zone, paragraph) of each sentence of ``text``, its zone (``find_zones``) the
    one holding its start (default ``body``); a block is cut where the zone changes at a line
    start, so that no sentence runs from a footnote into the body text resuming after it."""
    zone_starts = [span.start for span, _ in zones] if zones else [0]
    zone_names = [zone for _, zone in zones] if zones else ["body"]
    starts, stops = _delimiters(text, 0, len(text))
    bisect_left = bisect.bisect_left
    out: list[tuple[int, int, str, int]] = []
    first = 0  # the first delimiter of the piece: delimiters, no white space, lie inside blocks
    for b_start, b_stop, paragraph in blocks(text):
        if len(zone_names) == 1:
            pieces: Iterable[tuple[int, int, str]] = ((b_start, b_stop, zone_names[0]),)
        else:
            pieces = _zone_pieces(text, b_start, b_stop, zone_starts, zone_names)
        for p_start, p_stop, zone in pieces:
            last = bisect_left(starts, p_stop, first)
            if (  # one sentence with nothing to strip: the common case
                first == last
                and 0 < p_stop - p_start <= MAX_SENTENCE_CHARS
                and not text[p_start].isspace()
                and not text[p_stop - 1].isspace()
            ):
                out.append((p_start, p_stop, zone, paragraph))
                continue
            for start, stop in _razdel_split(text, p_start, p_stop, starts[first:last], stops[first:last]):
                if stop - start <= MAX_SENTENCE_CHARS:
                    out.append((start, stop, zone, paragraph))
                else:
                    out.extend((a, b, zone, paragraph) for a, b in _pieces(text, start, stop))
            first = last
    return out


def _delimiters(text: str, start: int, stop: int) -> tuple[list[int], list[int]]:
    """Starts and stops of razdel's delimiters followed by white space in ``text[start:stop]``."""
    if any(_SMILEY.match(text, i) for c in "=:;" for i in _positions(text, c, start, stop)):
        spans = [m.span() for m in _CUT.finditer(text, start, stop)]
        return [a for a, _ in spans], [b for _, b in spans]
    window = text if start == 0 and stop == len(text) else text[start:stop]
    starts: list[int] = []
    for char, pattern in _CUT_AT:
        if char in window:
            starts.extend(map(_START, pattern.finditer(text, start, stop)))
    starts.sort()
    return starts, [i + 1 for i in starts]


def _positions(text: str, char: str, start: int, stop: int) -> Iterator[int]:
    i = text.find(char, start, stop)
    while i >= 0:
        yield i
        i = text.find(char, i + 1, stop)


def razdel_sentences(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Spans of the sentences razdel's ``sentenize`` finds in ``text[start:stop]`` (same rules,
    same answer), offset into ``text``. razdel builds an object and runs eleven rules at every
    delimiter; here the rules run only where a sentence can end."""
    return _razdel_split(text, start, stop, *_delimiters(text, start, stop))


def _razdel_split(
    text: str, start: int, stop: int, d_starts: list[int], d_stops: list[int]
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    piece = start  # razdel's "buffer": the text since the last cut
    for d_start, d_stop in zip(d_starts, d_stops, strict=True):
        # at the end of the piece, no word follows: razdel joins ("empty_side")
        if d_stop < stop and not _razdel_joins(text, d_start, d_stop, start, stop, piece):
            while text[piece].isspace():  # the sentence ends in its delimiter: only its start to strip
                piece += 1
            spans.append((piece, d_stop))
            piece = d_stop
    _add_stripped(spans, text, piece, stop)
    return spans


def _add_stripped(spans: list[tuple[int, int]], text: str, start: int, stop: int) -> None:
    chunk = text[start:stop]
    kept = chunk.lstrip()
    start += len(chunk) - len(kept)
    if kept := kept.rstrip():
        spans.append((start, start + len(kept)))


def _razdel_joins(text: str, d_start: int, d_stop: int, start: int, stop: int, piece: int) -> bool:
    """razdel's rules (razdel/segmenters/sentenize.py) for the delimiter ``text[d_start:d_stop]``,
    followed by white space in ``text[start:stop]``: True where razdel joins the text on both
    sides into one sentence. ``piece`` is where the sentence being built starts. Each rule either
    joins or passes, so razdel joins where any rule does; they are asked here cheapest first.
    razdel's windows are ``text[left_start:d_start]`` and ``text[d_stop:right_stop]``."""
    right_stop = min(stop, d_stop + _WINDOW)
    right_token = _FIRST_TOKEN.match(text, d_stop, right_stop)
    if right_token is None:  # empty_side
        return True
    right_token = right_token[1]
    if right_token.isalpha():  # no sign: delimiter_right and dash_right pass
        if right_token.islower():  # lower_right
            return True
    elif (
        right_token not in GENERIC_QUOTES
        and (  # delimiter_right
            right_token in DELIMITERS
            or (right_token in "=:;" and SMILE_PREFIX.match(text[d_stop:right_stop]))
        )
    ):
        return True
    elif right_token in DASHES:  # dash_right
        word = WORD.search(text[d_stop:right_stop])
        if word and word[1].isalpha() and word[1].islower():
            return True
    left = text[max(start, d_start - _WINDOW) : d_start]
    left_token = _LAST_TOKEN_REVERSED.match(left[::-1])
    if left_token is None:  # empty_side
        return True
    left_token = left_token[1][::-1]
    delimiter = text[d_start:d_stop]
    list_item = d_start - piece <= BULLET_SIZE and _list_item(text, piece, d_start)
    if delimiter == ".":
        return list_item or _abbreviation_left(left, left_token, right_token)
    if delimiter == ")" and list_item:
        return True
    if delimiter in GENERIC_QUOTES:  # close_quote
        return left[-1].isspace() or left_token not in ENDINGS
    # close_quote, close_bracket
    return (delimiter in CLOSE_QUOTES or delimiter in CLOSE_BRACKETS) and left_token not in ENDINGS


def _list_item(text: str, start: int, stop: int) -> bool:
    """razdel's list_item: the sentence so far, ``text[start:stop]``, is a list bullet ("1.", "IV.", "a)")."""
    return all(is_bullet(t) for t in TOKEN.findall(text, start, stop))


def _abbreviation_left(left: str, left_token: str, right_token: str) -> bool:
    """razdel's sokr_left, inside_pair_sokr and initials_left: a full stop that ends an
    abbreviation ("т. е.", "г.", "Mr.") or an initial ("A. Lukashenko")."""
    lower = left_token.lower()
    if "." not in left and lower not in _ABBREVIATION_WORDS:  # no pair, nor word of one: the common case
        return left_token.isupper() and len(left_token) == 1
    pair = PAIR_SOKR.search(left) if "." in left else None
    pair = pair and (pair.group(1).lower(), pair.group(2).lower())
    if pair in HEAD_PAIR_SOKRS:
        return True
    if pair in PAIR_SOKRS:
        if is_sokr(right_token):
            return True
    elif lower in HEAD_SOKRS or (lower in SOKRS and is_sokr(right_token)):
        return True
    if (lower, right_token.lower()) in PAIR_SOKRS:
        return True
    return (left_token.isupper() and len(left_token) == 1) or lower in INITIALS


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


def _zone_pieces(
    text: str, start: int, stop: int, zone_starts: list[int], zone_names: list[str]
) -> Iterator[tuple[int, int, str]]:
    i = bisect.bisect_right(zone_starts, start) - 1
    zone = zone_names[max(i, 0)]
    if i + 1 >= len(zone_starts) or zone_starts[i + 1] > stop:  # no zone starts inside the block
        yield start, stop, zone
        return
    piece = start
    nl = text.find("\n", start, stop)
    while nl >= 0:
        z = zone_names[bisect.bisect_right(zone_starts, nl + 1) - 1]
        if z != zone:
            yield piece, nl + 1, zone
            piece, zone = nl + 1, z
        nl = text.find("\n", nl + 1, stop)
    yield piece, stop, zone


def spans(items) -> list[Substring]:
    return [Substring(s.start, s.stop, s.text) for s in items]
