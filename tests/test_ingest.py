"""Ingestion on real seed documents and their re-encoded twins."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.ingest import MAX_BYTES, Unreadable, _script, doc_id_of, normalise, read_document, sha256_of
from tests.conftest import RAW

RU_DOC = RAW / "001_e2f942cc9c2fafbe.txt"
CONTROLS = {chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFEFF, 0xFFFE, 0xFFFF]}


def _cyrillic_safe(text: str) -> str:
    # Characters outside KOI8-R/cp1251 would be lost in the re-encoded twin, not by our decoder.
    return text.replace("«", '"').replace("»", '"').replace("–", "-").replace("№", "N")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_russian_twin_in_any_encoding_yields_the_same_text(encoding):
    text = _cyrillic_safe(RU_DOC.read_text(encoding="utf-8"))
    utf8 = read_document(text.encode("utf-8"))
    twin = read_document(
        text.encode(encoding) if encoding != "utf-16-be" else codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    )
    assert twin.text == utf8.text
    assert twin.doc_id == utf8.doc_id
    assert twin.sha256 != utf8.sha256 or encoding == "utf-8"
    assert twin.language == "ru"


def test_cp1251_full_seed_document_round_trips():
    text = RU_DOC.read_text(encoding="utf-8")
    twin = read_document(text.encode("cp1251"))
    assert twin.encoding == "cp1251"
    assert twin.text == read_document(text.encode("utf-8")).text


def test_languages_of_the_seeds():
    langs = {p.name[:3]: read_document(p.read_bytes()).language for p in sorted(RAW.glob("*.txt"))}
    assert langs == {"000": "en", "001": "ru", "002": "en", "003": "en", "004": "en"}


def test_crlf_and_nfd_are_normalised():
    doc = read_document("Минск\r\nи Брянск: cafe\u0301 sur la route.\r\n".encode())
    assert "\r" not in doc.text
    assert "café" in doc.text  # NFC


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x00" * 4096, "NUL"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG"),
        (b"PK\x03\x04" + bytes(200), "ZIP"),
        (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
        (b"   \n\n  ", "no text"),
        (bytes(range(256)) * 40, "encoding"),
    ],
)
def test_unreadable_input_is_refused_with_a_reason(data, reason):
    with pytest.raises(Unreadable, match=reason):
        read_document(data)


def test_a_few_nul_bytes_are_dropped_and_many_refuse_the_file():
    text = "Минск и Брянск подписали соглашение о сотрудничестве в сфере образования. " * 4
    assert read_document(text.encode() + b"\x00").text == text  # a NUL is a control character
    with pytest.raises(Unreadable, match="6 NUL bytes"):
        read_document(text.encode()[:300] + b"\x00" * 6)  # more than one byte in a hundred


# What normalise must drop (controls, U+FEFF-U+FFFF, lone surrogates), what shares their UTF-8
# lead bytes and must stay (Hangul, U+F000-U+FFFD), and ordinary text around them.
_AROUND_CONTROLS = list(
    "aя \n\t\r.\x00\x08\x0b\x0c\x1f\x7f\x80\xa0\ufeff\ufffe\uffff\ud800\udfff\ud55c\uf000\ufffd\u2028"
)


@given(st.text(alphabet=st.sampled_from(_AROUND_CONTROLS), max_size=40))
def test_normalise_drops_exactly_the_control_characters(text):
    unified = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    kept = "".join(c for c in unified if not (c in CONTROLS or "\ud800" <= c <= "\udfff"))
    assert normalise(text) == unicodedata.normalize("NFC", kept)


def test_oversized_input_is_refused_before_decoding():
    with pytest.raises(Unreadable, match="too large"):
        read_document(b"a" * (MAX_BYTES + 1))


def test_html_is_reduced_to_visible_text():
    html = (
        "<html><head><title>t</title><script>var x = 'Брянская область';</script></head>"
        "<body><nav>Menu</nav><p>The Bryansk delegation visited Minsk in May 2024.</p>"
        "<style>p {color: red}</style></body></html>"
    ).encode()
    doc = read_document(html)
    assert doc.markup == "html"
    assert "The Bryansk delegation visited Minsk in May 2024." in doc.text
    assert "var x" not in doc.text and "color" not in doc.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The delegation of the Bryansk region visited Minsk and signed an agreement with the Gomel region. "
            * 3,
            "en",
        ),
        (
            "Делегация Брянской области посетила Минск и подписала соглашение с Гомельской областью. " * 3,
            "ru",
        ),
        (
            "Дэлегацыя Брэсцкай вобласці наведала Маскву і падпісала пагадненне аб супрацоўніцтве ў сферы "
            "адукацыі. Бакі дамовіліся пра ўзаемныя візіты і абмен вопытам. " * 3,
            "be",
        ),
        (
            "Делегація Київської області відвідала Мінськ і підписала угоду про співпрацю. Сторони "
            "обговорили її розвиток та є домовленості щодо ґрунтових робіт. " * 3,
            "uk",
        ),
        # capitals, "İ" and the Kelvin sign among them (they lowercase to ASCII letters)
        (
            "İSTANBUL AND THE \u212aELVIN SCALE: the delegation of the city was in Minsk for the talks. " * 4,
            "en",
        ),
    ],
)
def test_language_of_short_pages(text, language):
    assert read_document(text.encode()).language == language


@given(st.text(alphabet=st.sampled_from(list("aZ 1.я Ёё\u0482\u0489ўїé«»—’İKﬁ\xa0²Ⅻ_\t")), max_size=80))
def test_letters_are_counted_as_str_isalpha_counts_them(text):
    script = _script.__wrapped__(text)
    assert script.letters == sum(map(str.isalpha, text))
    assert script.cyrillic == sum("\u0400" <= c <= "\u04ff" for c in text)


@pytest.mark.parametrize(
    "data",
    [
        "Минск и Брянск подписали соглашение.\n".encode(),  # the file is the UTF-8 of its text
        "Минск и Брянск подписали соглашение.\r\n".encode(),  # normalised: the text differs from the file
        "Минск и Брянск подписали соглашение.\n".encode("cp1251"),
        b"<html><body><p>Minsk and Bryansk signed an agreement on cooperation.</p></body></html>",
    ],
)
def test_doc_id_is_the_hash_of_the_normalised_text(data):
    doc = read_document(data)
    assert doc.doc_id == doc_id_of(doc.text)
    assert doc.sha256 == sha256_of(data)


def test_document_date_is_a_full_date_on_a_short_line_near_the_top():
    from pipelines.document import document_date

    page = (
        "Главная | Новости | Регионы\n"
        "12 июня 2025, 17:39\n"
        "В январе-марте 2024 года товарооборот вырос на 12 %, сообщили 3 апреля 2024 года в Минске.\n"
    )
    assert document_date(page) == (2025, 6, 12)
    in_a_sentence = "On 3 April 2024 the governor said that trade in January-March 2024 grew by 12 percent.\n"
    assert document_date(in_a_sentence) is None  # what the article speaks of, not its date
    assert document_date("Minsk, 2024\nNews of the regions") is None  # no day: not a dateline
    late = "Menu\n" + "x" * 900 + "\n12 June 2025\n"
    assert document_date(late) is None  # past the top of the page


def test_document_date_prefers_the_published_line_with_a_time_to_the_sites_header():
    from pipelines.document import document_date

    # a news site's page as archived: the header shows the day the page was served, the article
    # line when it was published
    page = (
        "Regions\nFlag Saturday, 25 May 2024\nAll news\n15:48 03 November 2022\n\n"
        "Governor of Rostov Oblast visits Minsk\n"
    )
    assert document_date(page) == (2022, 11, 3)
    assert document_date("Flag Thursday, 12 June 2025\nRegions\n11 June 2025, 17:39\n") == (2025, 6, 11)
    assert document_date("Flag Thursday, 12 June 2025\nRegions\n") == (2025, 6, 12)  # no time anywhere


def test_staged_document_rebuilds_the_sentences_of_its_text():
    from pipelines.document import document_from_bytes
    from pipelines.model import Sentence
    from pipelines.pipeline import document_of, read_raw

    data = RU_DOC.read_bytes()
    staged = read_raw(RU_DOC.name, data)
    doc = document_of(staged)
    assert doc.sentences == document_from_bytes(RU_DOC.name, data).sentences
    first = doc.sentences[0]
    assert type(first) is Sentence and first.text == doc.text[first.start : first.stop]
    assert {first: 1}[Sentence(first.start, first.stop, first.text, first.zone, first.paragraph)] == 1
    assert document_of({**staged, "sentences": []}).sentences == []
