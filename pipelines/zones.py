"""Document zones: which spans of a text are running text (``body``) and which are the
apparatus of a book (``front_matter``, ``footnote``, ``bibliography``).

Extractors read only the body: footnotes and bibliographies are full of article titles
("Gomel region and the Republic of Tuva intend to develop cooperation") that are not
statements of the document. The rules work line by line, in one pass each:

- front matter: everything before the first chapter/introduction heading, but only when a
  front-matter cue (ISBN, Copyright, Contents...) comes before it, and only in the first half;
- bibliography (and endnotes): from a heading such as "Literature" / "Список литературы"
  that citations follow, to the next body heading or the end;
- footnotes: a line led by a label — superscript digits ("¹⁷⁸ Economy, ...") or, in PDF dumps,
  a plain number after a page break ("1 Easy, P. Regional mass media ... URL: ...") whose
  entry carries a citation cue — with its continuation lines; body text that resumes after
  the footnotes at a page break stays body.

Cues and headings live in ``data/zones.yaml``. Short news pages come out all ``body``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, islice
from pathlib import Path

import yaml

from pipelines.model import Substring

BODY, FOOTNOTE, BIBLIOGRAPHY, FRONT_MATTER = "body", "footnote", "bibliography", "front_matter"
NAVIGATION = "navigation"  # a news page's lists of other articles ("Read also:")

_DATA = Path(__file__).parent / "data" / "zones.yaml"
_FRONT_MATTER_MAX = 0.5  # front matter ends in the first half of a document
_HEADING_MAX = 120  # longest line taken for a heading
_LOOKAHEAD = 6  # non-blank lines read after an apparatus heading to confirm it
_CUELESS_MAX = 2  # title lines without a cue a footnote entry may run on for
_PIECE_MAX = 300  # longest paragraph taken for a stray piece of a footnote
_LABEL_GAP = 3  # in a run of footnotes a PDF dump may lose a few entries

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_LABEL = re.compile(
    rf"[ \t]*[{_SUPERSCRIPTS}]+[.)]?[ \t]+(?=\S)"
)  # "¹⁷⁸Text" is a marker that lost its line
_MD_LABEL = re.compile(r"[ \t]*\[\^[^\]\s]{1,8}\]:")  # a Markdown footnote definition
_NUM_LABEL = re.compile(r"[ \t]{0,2}(\d{1,3})[ \t]+(?=\S)")
# Line starts ("\n" + text) a footnote label leads: one pass over the text, not three tests a line.
_LABEL_LINE = re.compile(
    "\n(?:" + "|".join(f"(?:{p.pattern})" for p in (_SUP_LABEL, _MD_LABEL, _NUM_LABEL)) + ")"
)
_URL_FRAGMENT = re.compile(r"\s*\S*(?:[/=&]|www\.|https?:)\S*\s*")  # one token, a piece of a URL
_ONE_TOKEN = re.compile(r"\s*\S*[-_.%\d]\S*\s*")  # a lone piece of a word: "173804-2015.", "mediciny.html."
_URL_END = re.compile(r"(?:https?:|www\.)\S*[-/_.=&]\s*$")  # a line broken inside a URL
_MARKS = " \t\r#*_>|:."  # Markdown and list marks around a heading
_NUMBERING = re.compile(r"(?:\d{1,2}|[ivxlc]{1,5})[.)]\s*")
_LOOSE_TOC = re.compile(r".{0,150}\S\s+\d{1,3}\s*")  # a title and a page number
_SUP_MARKER = re.compile(rf"[{_SUPERSCRIPTS}]+")
_DIGITS = re.compile(r"\d+")
_WORD_BEFORE = re.compile(r"(?<![\w-])[A-ZА-ЯЁ]?[a-zа-яё]{2,}$")  # "ones" of "ones1."
_WORD_AFTER = re.compile(r"[a-zа-яё]{2,}")  # "to" of "73to implement"
_QUOTES = "\"»”’'"
_YEAR_AND_MARKER = re.compile(r"(?:19|20)\d{3,5}")
_AFTER_YEAR = ' \t\n.,;:!?")»”'
_MARKER_WINDOW = (-3, 15)  # a plain-number marker is near the previous one in the sequence
_MARKER_NEXT = 2  # ... and may lack its footnote when it comes right after the previous marker


@dataclass(frozen=True, slots=True)
class _Rules:
    apparatus: dict[str, str]  # heading -> zone of the section it opens
    heading_words: frozenset[str]  # first words of body headings, to test few lines
    apparatus_words: frozenset[str]
    first_words: frozenset[str]  # of all headings: only a line led by one can be a heading
    body_heading: re.Pattern
    toc_line: re.Pattern
    front_matter: re.Pattern
    citation_cues: re.Pattern  # literal, to search in casefolded text (IGNORECASE is slow)
    citation_patterns: re.Pattern
    citation_tail: re.Pattern
    not_marker: frozenset[str]
    navigation: frozenset[str]  # headings that open a list of other articles' headlines
    navigation_line_max: int


@cache
def _rules() -> _Rules:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    cues = "|".join(re.escape(c.casefold()) for c in data["citation_cues"])
    heads = data["body_headings"]
    numbered = "|".join(map(re.escape, heads["numbered"]))
    number = "|".join([r"\d{1,2}", "[ivxlc]{1,6}", *map(re.escape, heads["number_words"])])
    plain = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in heads["plain"])
    apparatus = {h.casefold(): BIBLIOGRAPHY for h in data["bibliography_headings"]}
    apparatus |= {h.casefold(): FOOTNOTE for h in data["endnote_headings"]}
    heading_words = frozenset(h.split()[0].casefold() for h in heads["numbered"] + heads["plain"])
    apparatus_words = frozenset(h.split()[0] for h in apparatus)
    navigation = frozenset(h.casefold() for h in data["navigation_headings"])
    first_words = heading_words | apparatus_words | {h.split()[0].strip(_MARKS) for h in navigation}
    return _Rules(
        apparatus=apparatus,
        heading_words=heading_words,
        apparatus_words=apparatus_words,
        first_words=frozenset(first_words),
        body_heading=re.compile(
            rf"(?:{numbered})\s+(?:{number})\.?(?:\s*[.:—–-]\s*\S.{{0,100}})?|(?:{plain})(?:\s+\S{{1,4}})?",
            re.I,
        ),
        toc_line=re.compile(data["toc_line_pattern"], re.I),
        front_matter=re.compile("|".join(f"(?:{p})" for p in data["front_matter_patterns"]), re.I | re.M),
        citation_cues=re.compile(cues),
        citation_patterns=re.compile("|".join(f"(?:{p})" for p in data["citation_patterns"])),
        citation_tail=re.compile(data["citation_tail_pattern"], re.I),
        not_marker=frozenset(str(w).casefold() for w in data["not_marker_words"]),
        navigation=navigation,
        navigation_line_max=int(data["navigation_line_max"]),
    )


def find_zones(text: str) -> list[tuple[Substring, str]]:
    """Contiguous, non-overlapping spans covering ``text`` in order, each with its zone;
    neighbours of the same zone are merged. Empty text has no spans."""
    if not text:
        return []
    starts, zones, _ = _analyse(text)
    if len(zones) > 1 and starts[-1] == len(text):
        zones[-1] = zones[-2]  # the empty line after a final newline
    cuts = [i for i in range(len(zones)) if i == 0 or zones[i] != zones[i - 1]]
    out = []
    for k, i in enumerate(cuts):
        start = starts[i]
        stop = starts[cuts[k + 1]] if k + 1 < len(cuts) else len(text)
        out.append((Substring(start, stop, text[start:stop]), zones[i]))
    return out


def zone_at(zones: list[tuple[Substring, str]], offset: int) -> str:
    """The zone holding character ``offset`` (``body`` for a document without zones)."""
    if not zones:
        return BODY
    i = bisect.bisect_right(zones, offset, key=lambda z: z[0].start) - 1
    return zones[max(i, 0)][1]


def footnote_markers(text: str) -> list[Substring]:
    """Footnote markers inside body text: superscript digits ("cows"¹⁷⁸."), and in PDF dumps
    plain numbers glued to a word or quote ("ones1.", "plans"186.", "73to") — the latter only
    in a document with plain-number footnotes, near the previous marker's number, and either
    the number of a footnote or the next number after the previous marker."""
    rules = _rules()
    starts, zones, labels = _analyse(text)

    def in_body(pos: int) -> bool:
        return zones[bisect.bisect_right(starts, pos) - 1] == BODY

    found: list[Substring] = []
    for m in _SUP_MARKER.finditer(text):
        word = re.search(r"\w*$", text[max(0, m.start() - 12) : m.start()]).group()
        if word.casefold() not in rules.not_marker and in_body(m.start()):  # not a unit: m², км³
            found.append(Substring(m.start(), m.end(), m.group()))
    if labels:
        last = 0
        for start, stop in _plain_markers(text, rules):
            number = int(text[start:stop])
            known = number in labels or 0 < number - last <= _MARKER_NEXT  # a footnote the dump lost
            if known and last + _MARKER_WINDOW[0] <= number <= last + _MARKER_WINDOW[1] and in_body(start):
                last = number
                found.append(Substring(start, stop, text[start:stop]))
    return sorted(found, key=lambda s: s.start)


def _plain_markers(text: str, rules: _Rules) -> Iterator[tuple[int, int]]:
    """Spans of plain numbers glued where a footnote marker goes: after a word ("ones1."),
    a closing quote ('plans"186.'), a full stop ("Belarus.12 The"), before a word ("73to"),
    or onto a year ("until 203026:")."""
    for m in _DIGITS.finditer(text):
        start, stop = m.span()
        before = text[start - 1] if start else " "
        ahead = text[start - 2] if start > 1 else " "
        after = text[stop] if stop < len(text) else " "
        if len(m.group()) <= 3:
            if before.isalpha():
                word = _WORD_BEFORE.search(text, max(0, start - 30), start)
                glued = bool(word) and not (after.isalnum() or after == "_")
                glued = glued and word.group().casefold() not in rules.not_marker
            elif before in _QUOTES:
                glued = (ahead.isalnum() or ahead in ".,!?%)") and not after.isdigit()
            elif before in ".,;:!?":
                glued = ahead.islower() and after.isspace()
            else:
                word = _WORD_AFTER.match(text, stop) if before.isspace() else None
                glued = bool(word) and word.group().casefold() not in rules.not_marker
            if glued:
                yield start, stop
        elif _YEAR_AND_MARKER.fullmatch(m.group()) and after in _AFTER_YEAR and not _in_number(before):
            yield start + 4, stop  # a year, then the marker: "until 203026:"


def _in_number(char: str) -> bool:
    return char.isalnum() or char in ".,"


def _analyse(text: str) -> tuple[list[int], list[str], set[int]]:
    """Line starts, the zone of each line, and the numbers of plain-number footnotes."""
    rules = _rules()
    lines = text.split("\n")
    starts = list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))
    zones: list[str | None] = [None] * len(lines)
    # The tests of headings and footnotes run only on the lines that may pass them.
    candidates = _heading_candidates(lines, rules)
    label_lines = [bisect.bisect_right(starts, m.start()) - 1 for m in _LABEL_LINE.finditer("\n" + text)]
    heads = [i for i in candidates if _is_body_heading(lines[i], rules)]

    front_end = _front_matter_end(text, lines, starts, heads, rules)
    zones[:front_end] = [FRONT_MATTER] * front_end
    _mark_sections(lines, zones, front_end, heads, rules, candidates)
    labels = _mark_footnotes(lines, zones, rules, label_lines)
    _mark_navigation(lines, zones, rules, candidates)
    if any(zones):
        _settle_blank_lines(lines, zones)
    else:  # what _settle_blank_lines makes of a text without apparatus
        zones = [BODY] * len(lines)
    return starts, zones, labels


def _heading_candidates(lines: list[str], rules: _Rules) -> list[int]:
    """The lines whose first or second word (as ``_lead_words`` reads them) is the first word of
    a heading: the only lines the tests of headings need to look at."""
    first = rules.first_words
    out = []
    for i, line in enumerate(lines):
        lead = line.lstrip(_MARKS).split(None, 2)
        if lead and (
            lead[0].strip(_MARKS).casefold() in first
            or (len(lead) > 1 and lead[1].strip(_MARKS).casefold() in first)
        ):
            out.append(i)
    return out


def _mark_navigation(lines: list[str], zones: list[str | None], rules: _Rules, candidates) -> None:
    """A "Read also:" heading and the short headline lines after it, up to the first long
    paragraph: another article's headline is not this article's claim. Only ``candidates``
    (sorted line numbers) can be such a heading."""
    after = 0  # the line after a list is no heading
    for i in candidates:
        if i >= after and zones[i] is None and _bare(lines[i]).rstrip(":").casefold() in rules.navigation:
            j = i
            while j < len(lines) and zones[j] is None and len(lines[j].strip()) <= rules.navigation_line_max:
                zones[j] = NAVIGATION
                j += 1
            after = j + 1


def _bare(line: str) -> str:
    return " ".join(line.strip(_MARKS).split())


def _lead_words(line: str) -> list[str]:
    """The first two words of a line, casefolded, without marks: a cheap test for headings."""
    return [w.strip(_MARKS).casefold() for w in line.lstrip(_MARKS).split(None, 2)[:2]]


def _is_body_heading(line: str, rules: _Rules) -> bool:
    if len(line) > _HEADING_MAX or not (lead := _lead_words(line)) or lead[0] not in rules.heading_words:
        return False
    return rules.body_heading.fullmatch(_bare(line)) is not None and not rules.toc_line.match(line)


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return j
    return None


def _front_matter_end(text, lines, starts, heads, rules) -> int:
    """Index of the line where the body starts after front matter, or 0 (no front matter)."""
    half = len(text) * _FRONT_MATTER_MAX
    heads = [i for i in heads if starts[i] <= half]
    cue = rules.front_matter.search(text, 0, starts[heads[-1]]) if heads else None
    if cue is None:
        return 0
    cue_line = bisect.bisect_right(starts, cue.start()) - 1
    for i in heads[bisect.bisect_right(heads, cue_line) :]:
        nxt = _next_nonblank(lines, i)
        # a heading of the table of contents is followed by more of the table
        loose_toc = nxt is not None and _LOOSE_TOC.fullmatch(lines[nxt])
        if nxt is not None and not loose_toc and not _is_body_heading(lines[nxt], rules):
            return i
    return 0


def _apparatus_kind(line: str, rules: _Rules) -> str | None:
    if len(line) > 80 or not (lead := _lead_words(line)) or not rules.apparatus_words.intersection(lead):
        return None
    key = _bare(line).casefold()
    if numbering := _NUMBERING.match(key):
        key = key[numbering.end() :]
    kind = rules.apparatus.get(key)
    return kind if kind and not rules.toc_line.match(line) else None


def _mark_sections(lines, zones, begin, heads, rules, candidates) -> None:
    """Bibliography and endnote sections: a heading that citations follow, up to the next body
    heading. Only ``candidates`` (sorted line numbers) can be such a heading."""
    for i in candidates:
        if i < begin or (kind := _apparatus_kind(lines[i], rules)) is None:
            continue
        k = bisect.bisect_right(heads, i)
        stop = heads[k] if k < len(heads) else len(lines)
        following = list(islice((ln for ln in islice(lines, i + 1, stop) if ln.strip()), _LOOKAHEAD))
        citing = sum(1 for ln in following if _cues(ln, rules) or rules.citation_tail.match(ln))
        if citing < 2 or citing * 2 < len(following):
            continue
        zones[i:stop] = [kind] * (stop - i)
        begin = stop


def _cues(line: str, rules: _Rules) -> int:
    """How many citation cues a line holds."""
    return len(rules.citation_cues.findall(line.casefold())) + len(rules.citation_patterns.findall(line))


def _is_label(line: str) -> bool:
    return bool(_SUP_LABEL.match(line) or _MD_LABEL.match(line) or _NUM_LABEL.match(line))


def _entry_stop(lines, zones, i, rules, first_cued: bool, trim: bool) -> int:
    """End (exclusive) of the footnote entry starting at line ``i``: its continuation lines
    run to a blank line, the next label, or a line led by a space (PDF body resuming after a
    page break) that is no piece of a citation. ``trim`` keeps only lines up to the last one
    with a cue; returns ``i`` when no line has one."""
    last_cued = i if first_cued else None
    cueless = 0
    j = i + 1
    while j < len(lines) and zones[j] is None:
        line = lines[j]
        if not line.strip() or _is_label(line):
            break
        if (
            _cues(line, rules)
            or _URL_FRAGMENT.fullmatch(line)
            or rules.citation_tail.match(line)
            or (_ONE_TOKEN.fullmatch(line) and _URL_END.search(lines[j - 1]))
        ):
            last_cued, cueless = j, 0
        elif line[0].isspace() or cueless >= _CUELESS_MAX:
            break
        else:
            cueless += 1
        j += 1
    if not trim:
        return j
    return i if last_cued is None else last_cued + 1


def _mark_footnotes(lines, zones, rules, label_lines: list[int]) -> set[int]:
    """Footnote entries; ``label_lines`` (sorted) are the lines a label leads."""
    labels: set[int] = set()
    seen = False  # a footnote came before: a paragraph that is a citation's tail is one too
    last_label: int | None = None
    i = 0
    while i < len(lines):
        if not seen:  # until the first footnote, only a labelled line can start one
            k = bisect.bisect_left(label_lines, i)
            if k == len(label_lines):
                break
            i = label_lines[k]
        line = lines[i]
        if zones[i] is not None or not line.strip():
            i += 1
            continue
        after_break = i > 0 and not lines[i - 1].strip()
        after_note = i > 0 and zones[i - 1] == FOOTNOTE
        stop = i
        if _SUP_LABEL.match(line) or _MD_LABEL.match(line):
            stop, last_label = _entry_stop(lines, zones, i, rules, True, trim=False), None
        elif (m := _NUM_LABEL.match(line)) and (after_break or after_note):
            label = int(m.group(1))
            cued = _cues(line[m.end() :], rules) > 0
            stop = _entry_stop(lines, zones, i, rules, cued, trim=True)
            if (
                stop == i
                and last_label is not None
                and 0 < label - last_label <= (_LABEL_GAP if after_note else 1)
            ):
                stop = i + 1  # the next number of the footnotes needs no cue
            if stop > i:
                labels.add(label)
                last_label = label
        elif seen and after_break and _is_citation_piece(line, lines, zones, i, rules):
            stop = _entry_stop(lines, zones, i, rules, True, trim=False)
        if stop > i:
            zones[i:stop] = [FOOTNOTE] * (stop - i)
            seen = True
            i = stop
        else:
            i += 1
    return labels


def _is_citation_piece(line, lines, zones, i, rules) -> bool:
    """A paragraph that is the rest of a footnote split by a page break: a citation's tail
    ("[Electronic resource]. - URL: ...", a URL), or a short line with several citation cues."""
    if rules.citation_tail.match(line) or _URL_FRAGMENT.fullmatch(line):
        return True
    if _ONE_TOKEN.fullmatch(line):
        k = i - 1
        while k > 0 and not lines[k].strip():
            k -= 1
        return zones[k] == FOOTNOTE and _URL_END.search(lines[k]) is not None
    return len(line) <= _PIECE_MAX and _cues(line, rules) >= 2


def _settle_blank_lines(lines, zones) -> None:
    """Lines left over are body; blank lines join the zone around them, else body."""
    prev_zone = BODY
    pending: list[int] = []
    for i, line in enumerate(lines):
        if zones[i] is None and not line.strip():
            pending.append(i)
            continue
        zone = zones[i] or BODY
        zones[i] = zone
        for j in pending:  # between two kinds of apparatus, a blank line goes with the first
            zones[j] = prev_zone if zone == prev_zone or BODY not in (zone, prev_zone) else BODY
        pending.clear()
        prev_zone = zone
    for j in pending:
        zones[j] = BODY
