"""Property tests: the pure functions never raise on arbitrary text, and every span they return
lies inside the text with its quote equal to the text's slice.

The text strategy mixes arbitrary Unicode (control characters, combining marks, lone
surrogates, right-to-left and zero-width characters, emoji) with fragments of the documents the
pipeline reads (place names, trigger words, numbers, dates, currencies, line breaks in both
languages), so that the rules actually fire on the hostile input instead of skipping it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipelines.extract
from pipelines.document import build_document
from pipelines.extract.dates import find_dates
from pipelines.extract.registry import EXTRACTOR_MODULES
from pipelines.ingest import Decoded, Unreadable, doc_id_of, normalise, read_document
from pipelines.model import FACT_TABLES, Document
from pipelines.segment import blocks, sentences
from pipelines.zones import find_zones

# fmt: off
PLACES = [
    "Minsk", "the Bryansk region", "the Vitebsk Oblast", "Pskov", "the Republic of Tatarstan", "Belarus",
    "Russia", "Belarusian", "Russian regions", "Gomel", "Mogilev", "St. Petersburg", "Kazan", "China",
    "Минск", "Брянская область", "Брянской области", "Витебской областью", "Республика Беларусь",
    "белорусских", "российских регионов", "Гомель", "Москва", "г. Могилёв", "Татарстан", "Китаем",
]
TRIGGERS = [
    " signed an agreement on cooperation with ", " visited ", " delegation headed by Governor ",
    " trade turnover between ", " and ", " amounted to ", " are twin towns with ", " sister city of ",
    " signed a memorandum with ", " exports to ", " подписали соглашение о сотрудничестве с ",
    " посетила ", " делегация во главе с губернатором ", " товарооборот между ", " и ", " составил ",
    " города-побратимы ", " утвердили дорожную карту с ", " план мероприятий ", " протокол ", " экспорт в ",
]
FIGURES = [
    " in May 2019", " on 11 June 2025", " 11.06.2025", " в мае 1999 года", " 20 марта 2020 г.",
    " in 2024", " в 2024 году", " $1.2 billion", " 1,2 млрд долларов", " USD 350 million",
    " 45.6%", " на 12,3 %", " in January-September 2023", " за январь–сентябрь 2023 г.",
    " 36 delegations", " 13", " 2100", " 0", " -5", " 9999999999999999999999", " 31.02.2019", "",
]
AMOUNTS = [" $1.2 billion", " 1,2 млрд долларов", " USD 350 million", " 45,6 млн долл. США", " 0", " -5 $"]
PERIODS = [" in 2021", " in January-September 2023", " за январь–сентябрь 2023 г.", " в 2024 году", ""]
MARKS = [
    ".", ". ", "!", "?", ";", ",", " - ", " – ", "—", "«", "»", '"', "(", ")", "[1]", "¹⁷⁸", "...",
    "\n", "\n\n", "\r\n", "\r", "\t", "  ", "\xa0", "\u2028", "\u2029", "\f",
    "Contents", "ISBN 978-5-00000-000-0", "Literature", "Список литературы", "URL: http://x.by/a?b=1",
    # hostile code points: NUL, BOM, zero-width, right-to-left override, combining accent,
    # lone surrogates, astral, non-characters, case-folding and compatibility oddities
    "\x00", "\ufeff", "\u200b", "\u200d", "\u202e", "\u0301", "e\u0301", "\ud800", "\udfff",
    "\U0001f600", "\uffff", "ß", "İ", "ﬁ", "Ⅻ", "٣", "𝟐𝟎𝟏𝟗",
]
# fmt: on
FRAGMENTS = PLACES + TRIGGERS + FIGURES + MARKS

arbitrary = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=8)
noise = st.one_of(st.sampled_from(MARKS), arbitrary, st.just(""))


def shaped(*parts) -> st.SearchStrategy[str]:
    """A statement shaped like the ones the extractors look for, parts chosen from each list."""
    return st.tuples(*(p if isinstance(p, st.SearchStrategy) else st.sampled_from(p) for p in parts)).map(
        "".join
    )


ENDS = [". ", ".\n", "\n\n", "", "!"]
agreement_like = shaped(PLACES, noise, TRIGGERS, PLACES, noise, FIGURES, FIGURES, ENDS)
trade_like = shaped(
    ["The trade turnover between ", "Товарооборот между ", "Exports from ", "Экспорт "],
    PLACES, noise, [" and ", " и ", " to ", " в "], PLACES, PERIODS,
    [" amounted to ", " составил ", " reached ", " вырос на "], AMOUNTS, noise, ENDS,
)  # fmt: skip
visit_like = shaped(
    ["A delegation of ", "Делегация ", "The Governor of ", "Губернатор "], PLACES, noise,
    [" visited ", " посетила ", " arrived in ", " прибыл в "], PLACES, FIGURES, ENDS,
)  # fmt: skip
hostile_text = st.lists(
    st.one_of(agreement_like, trade_like, visit_like, st.sampled_from(FRAGMENTS), arbitrary), max_size=30
).map("".join)

PROPERTY = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def assert_span(text: str, start: int, stop: int, quote: str, what: str) -> None:
    assert 0 <= start <= stop <= len(text), f"{what}: span {start}:{stop} outside a text of {len(text)}"
    assert text[start:stop] == quote, f"{what}: quote {quote!r} is not the text's slice {text[start:stop]!r}"


def extractor_modules() -> list[str]:
    """The registered extractors, and any module of pipelines.extract that is one (NAME, extract)."""
    found = set(EXTRACTOR_MODULES)
    for info in pkgutil.iter_modules(pipelines.extract.__path__, "pipelines.extract."):
        module = importlib.import_module(info.name)
        if callable(getattr(module, "extract", None)) and hasattr(module, "NAME"):
            found.add(info.name)
    return sorted(found)


def document(text: str, language: str, normalised: bool) -> Document:
    """A Document as the ingest layer makes it (normalised text), or straight from the raw text:
    an extractor must not fail on a carriage return or a lone surrogate either."""
    if normalised:
        text = normalise(text)
    doc_id = doc_id_of(text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    return build_document(
        "hostile.txt", Decoded(text, "utf-8", language, "0" * 64, doc_id, len(text), "text")
    )


@PROPERTY
@given(hostile_text)
def test_segmentation_never_raises_and_sentences_are_slices(text):
    previous_stop = 0
    for s in sentences(text):
        assert_span(text, s.start, s.stop, s.text, "sentence")
        assert s.start >= previous_stop, "sentences overlap or go backwards"
        previous_stop = s.stop
    for start, stop, _ in blocks(text):
        assert 0 <= start <= stop <= len(text)


@PROPERTY
@given(hostile_text)
def test_zones_cover_the_text_in_order(text):
    position = 0
    for span, zone in find_zones(text):
        assert_span(text, span.start, span.stop, span.text, f"zone {zone}")
        assert span.start == position
        position = span.stop
    assert position == len(text)


@PROPERTY
@given(hostile_text)
def test_date_mentions_are_slices(text):
    for d in find_dates(text):
        assert_span(text, d.start, d.stop, d.text, "date")
        assert d.month is None or 1 <= d.month <= 12


@PROPERTY
@given(hostile_text)
def test_place_resolution_never_raises_and_mentions_are_slices(text):
    from pipelines.places.resolver import find_places, resolve_json_lines, resolve_name, scan

    mentions, unresolved = scan(text)
    previous_stop = 0
    for m in mentions:
        assert_span(text, m.start, m.stop, m.text, f"place {m.place.place_id}")
        assert m.start >= previous_stop, "place mentions overlap"
        previous_stop = m.stop
    for u in unresolved:
        assert_span(text, u.start, u.stop, u.text, "unresolved place")
    assert [(m.start, m.stop) for m in find_places(text)] == [(m.start, m.stop) for m in mentions]
    for obj in resolve_json_lines(text):
        assert_span(text, obj["start"], obj["end"], obj["mention"], "coop resolve")
    resolve_name(text)


@pytest.mark.parametrize("module_name", extractor_modules())
def test_extractors_never_raise_and_evidence_is_a_slice(module_name):
    module = importlib.import_module(module_name)

    @PROPERTY
    @given(hostile_text, st.sampled_from(["en", "ru"]), st.booleans())
    def check(text, language, normalised):
        doc = document(text, language, normalised)
        for fact in module.extract(doc):
            assert fact.table in FACT_TABLES
            ev = fact.evidence
            assert_span(doc.text, ev.char_start, ev.char_end, ev.quote, f"{module_name} evidence")
            assert ev.char_start < ev.char_end, f"{module_name}: empty evidence"
            assert 0 <= ev.sentence_start <= ev.sentence_end <= len(doc.text)

    check()


@PROPERTY
@given(hostile_text, st.sampled_from(["utf-8", "utf-16", "cp1251", "koi8_r"]))
def test_ingest_reads_or_refuses_with_a_reason_never_crashes(text, encoding):
    data = (
        text.encode(encoding, errors="replace")
        if encoding != "utf-8"
        else text.encode("utf-8", "surrogatepass")
    )
    try:
        doc = read_document(data)
    except Unreadable as e:
        assert str(e) and "Traceback" not in str(e)
        return
    assert "\r" not in doc.text and "\x00" not in doc.text
    assert not any("\ud800" <= c <= "\udfff" for c in doc.text), "a lone surrogate reached documents.text"
    doc.text.encode("utf-8")  # storable in DuckDB and JSON


@PROPERTY
@given(st.binary(max_size=2000))
def test_ingest_of_arbitrary_bytes_reads_or_refuses(data):
    try:
        doc = read_document(data)
    except Unreadable as e:
        assert str(e)
        return
    doc.text.encode("utf-8")
    assert len(doc.text.strip()) >= 20
