from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from razdel import sentenize

from pipelines.segment import MAX_SENTENCE_CHARS, razdel_sentences, sentence_spans, sentences


def test_offsets_are_exact_on_the_seeds(seed_texts):
    for text in seed_texts.values():
        for s in sentences(text):
            assert text[s.start : s.stop] == s.text
            assert s.text.strip() == s.text


def test_site_chrome_lines_are_not_glued_to_the_article():
    text = "All news\nEconomy\n11 June 2025, 17:39\n\nMINSK, 11 June (BelTA) - Belarus and Adygea met. Trade grew."
    got = [s.text for s in sentences(text)]
    assert got[:3] == ["All news", "Economy", "11 June 2025, 17:39"]
    assert got[-2:] == ["MINSK, 11 June (BelTA) - Belarus and Adygea met.", "Trade grew."]


def test_pdf_soft_wraps_stay_inside_one_sentence():
    text = (
        "In Belarus, regional mass media traditionally have a powerful impact on \n"
        "their audience. According to First Deputy Minister of Information of the Republic \n"
        "of Belarus P. Legkoi, the press is strong.\n"
    )
    got = [s.text for s in sentences(text)]
    assert len(got) == 2
    assert got[0].startswith("In Belarus") and got[0].endswith("audience.")


def test_russian_sentences_and_paragraphs():
    text = "В 2024 году подписано соглашение с Магаданской областью. Визит прошёл успешно.\n\nНовый абзац."
    got = sentences(text)
    assert [s.text for s in got] == [
        "В 2024 году подписано соглашение с Магаданской областью.",
        "Визит прошёл успешно.",
        "Новый абзац.",
    ]
    assert [s.paragraph for s in got] == [0, 0, 1]


@given(st.text(max_size=400))
def test_any_text_segments_inside_its_bounds(text):
    for s in sentences(text):
        assert 0 <= s.start < s.stop <= len(text)
        assert text[s.start : s.stop] == s.text


# Places where razdel's rules decide: abbreviations, initials, list bullets, quotes, brackets,
# smileys, dashes, lower case after a full stop, in both languages.
TRICKY = [
    "Визит состоялся 5 мая 2024 г. Делегацию возглавил губернатор А. Г. Иванов. Стороны, т. е. "
    "Минская и Брянская области, подписали план (см. приложение). Далее — обсуждение.",
    "1. Trade. 2) Culture. a) Education. IV. Sport. Mr. Smith met Dr. Brown at 5 p.m. in St. "
    "Petersburg. He said: «We agree.» Then “we sign.” ‘Done!’ (It was signed.) [Ibid.] {Yes.}",
    "Great news :) The deal is done ;-) Wow!!! Really?! Hmm... And so on… \"Quoted.\" 'Single.' ",
    "Он сказал: «Приедем в мае». — хорошо, ответили ему. В 2024 г. в Минске и т. д. и т. п.; "
    "продолжение следует. Ещё раз.",
]


def _razdel(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.stop) for s in sentenize(text) if s.stop > s.start]


def test_razdel_rules_give_razdels_sentences(seed_texts):
    paragraphs = [p for text in seed_texts.values() for p in text.split("\n\n")[:40]] + TRICKY
    for text in paragraphs:
        assert razdel_sentences(text, 0, len(text)) == _razdel(text), text[:80]
    # inside a longer text, razdel's look either side stops at the ends of the piece
    text = "Ok. " + TRICKY[1] + " Ok."
    spans = razdel_sentences(text, 4, 4 + len(TRICKY[1]))
    assert [(a - 4, b - 4) for a, b in spans] == _razdel(TRICKY[1])


@given(st.text(alphabet=st.sampled_from(list("aZя Ж1 .?!…;\"„'»”’)]}([«“‘:=-–—\n\t\xa0гтеMr")), max_size=60))
def test_razdel_rules_give_razdels_sentences_on_any_mix(text):
    assert razdel_sentences(text, 0, len(text)) == _razdel(text)


def test_sentence_spans_are_the_sentences_and_long_ones_are_cut():
    text = TRICKY[0] + "\n\n" + " ".join(["слово"] * 1500)
    spans = sentence_spans(text)
    assert [(s.start, s.stop, s.zone, s.paragraph) for s in sentences(text)] == spans
    assert spans[-1][3] == 1 and all(b - a <= MAX_SENTENCE_CHARS for a, b, _, _ in spans)
    assert len([s for s in spans if s[3] == 1]) == 3  # 9000 characters without a full stop
