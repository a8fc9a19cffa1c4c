from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipelines.segment import sentences


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
