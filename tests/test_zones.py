"""Zones of a document: body text vs. front matter, footnotes and bibliography.

Passages are copied from the seed books (003: a PDF-to-text dump, 004: a Markdown-ish
conversion), trailing spaces dropped; leading spaces kept, since they are part of the layout.
"""

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.model import ZONES
from pipelines.zones import find_zones, footnote_markers, zone_at

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
GOLD = REPO.parent / "shared" / "gold" / "seeds.gold.jsonl"


def zone_of(text: str, needle: str) -> str:
    """The zone of the passage ``needle``; it must lie inside a single zone."""
    start = text.index(needle)
    zones = find_zones(text)
    first, last = zone_at(zones, start), zone_at(zones, start + len(needle) - 1)
    assert first == last, f"{needle!r} straddles {first} and {last}"
    return first


def assert_cover(text: str, zones) -> None:
    assert (zones == []) == (text == "")
    pos = 0
    for i, (span, zone) in enumerate(zones):
        assert span.start == pos < span.stop
        assert span.text == text[span.start : span.stop]
        assert zone in ZONES
        assert i == 0 or zones[i - 1][1] != zone, "neighbours of one zone are merged"
        pos = span.stop
    assert pos == len(text)


# 003: a page ends mid-sentence; the footnotes follow a blank line and a line holding one
# space; the page's body goes on after them on a line led by a space.
PDF_PAGE_BREAK = "\n".join(
    [
        "innovative development of the economy, identifies the regions of the country as",
        "the place where a solid foundation for further sustainable development has yet to",
        "",
        " ",
        "1 Easy, P. Regional mass media should not yield to the republican ones / P. Easy // [Electronic resource].",
        "- – 2018. - URL: http://www.belta.by/opinions/view/regionalnye-smi-ne-dolzhny-ustupat-",
        "respublikanskim-6366/.",
        '2 Law of the Republic of Belarus "Main directions of domestic and foreign policy of the Republic of',
        'Belarus" [Electronic resource]. - – 2005. - URL: http://laws.newsb.y.org/documents/laws/law0361.htm',
        " be created through the modernization of the system of economic relations and",
        "effective management to ensure a balance between their social, economic and",
        "ecologically safe regions.",
    ]
)


def test_pdf_footnotes_end_where_the_page_body_resumes():
    text = PDF_PAGE_BREAK
    assert zone_of(text, "has yet to") == "body"
    assert zone_of(text, "1 Easy, P. Regional mass media") == "footnote"
    assert zone_of(text, "respublikanskim-6366/.") == "footnote"
    assert zone_of(text, 'Law of the Republic of Belarus "Main directions') == "footnote"
    assert zone_of(text, "law0361.htm") == "footnote"
    assert zone_of(text, "be created through the modernization") == "body"
    assert zone_of(text, "ecologically safe regions.") == "body"
    (note,) = [span for span, zone in find_zones(text) if zone == "footnote"]
    assert note.text.startswith("1 Easy") and note.text.rstrip().endswith("law0361.htm")


def test_pdf_footnotes_survive_lines_stripped_of_leading_spaces():
    text = "\n".join(line.strip() for line in PDF_PAGE_BREAK.split("\n"))
    assert zone_of(text, "law0361.htm") == "footnote"
    assert zone_of(text, "be created through the modernization") == "body"


def test_pdf_footnote_without_url_runs_over_its_lines():
    text = "\n".join(
        [
            "ensuring sanitary and epidemiological, environmental, veterinary and sanitary",
            "",
            " ",
            "17 Sachuk, T.V. Sachuk // Prospects of socio-economic development of border regions: Proceedings of",
            "the Fourth Scientific-Practical Conference with intergovernmental participation, [June 9, 2017,",
            'Petrozavodsk] / FIC "Karelian Scientific Center of RAS", Economics Institute of KarNC RAS; [edited',
            "by: T.V. Morozova]. - Petrozavodsk, 2017. - – \ufffd. 15.",
            " well-being of the population, as well as protection of territories from infectious",
            "animal diseases; development of joint programs to protect the population and",
        ]
    )
    assert zone_of(text, "the Fourth Scientific-Practical Conference") == "footnote"
    assert zone_of(text, "Petrozavodsk] / FIC") == "footnote"
    assert zone_of(text, "Petrozavodsk, 2017") == "footnote"
    assert zone_of(text, "well-being of the population") == "body"


def test_pdf_run_of_footnotes_with_indented_label_and_broken_url():
    text = "\n".join(
        [
            "saving, geoinformatics and geophysics, microbiology and biotechnology.",
            "",
            " ",
            "50 Negotiations with the Governor of the Stavropol Territory of Russia Vladimir Vladimirov [Electronic",
            "resource]. - – 2017. - URL: http://president.gov.by/ru/news_ru/view/peregovory-s-gubernatorom-",
            "stavropolskogo-kraja-rossii-vladimirom-vladimirovym-15800/.",
            "51 Vysheslavov, V. In the future - joint development of innovative technologies / V. Vysheslavov //",
            "Common economic space: integration of regions: inform.-integ. project / edited by interviewees: B.",
            "Zalessky, M. Valkovsky, A. Mostovoy. - Minsk : Biznesosset, 2013. - – \ufffd. 79.",
            "52 Meeting with the governor of the Stavropol Territory of Russia [Electronic resource]. - – 2017. - URL:",
            " 53 Negotiations with the Governor of the Stavropol Territory of Russia Vladimir Vladimirov [Electronic",
            " stavropolskogo-kraja-rossii-vladimirom-vladimirovym-15800/.",
            " As for the Chechen Republic, it signed the Agreement on trade, economic,",
            "scientific, technical and cultural cooperation with the Republic of Belarus in June",
        ]
    )
    assert zone_of(text, "Common economic space") == "footnote"
    assert zone_of(text, "53 Negotiations") == "footnote"
    assert zone_at(find_zones(text), text.rindex("stavropolskogo-kraja")) == "footnote"
    assert zone_of(text, "As for the Chechen Republic, it signed the Agreement") == "body"


def test_pdf_truncated_footnote_is_taken_by_its_number():
    # "90" has no citation cue left on its line; it follows footnote 89 in the numbering.
    text = "\n".join(
        [
            "",
            " ",
            "89 Belarus and France signed an interstate agreement on international road transport [Electronic",
            "resource]. - – 2018. - URL: http://www.belta.by/",
            " countries as Minsk and Lyon, Gomel and Clermont-Ferrand, Brest and Brest.",
            "",
            " ",
            "90 The National Centre for Marketing and the Business Association of France have signed a",
            " countries as Minsk and Lyon, Gomel and Clermont-Ferrand, Brest and Brest,",
        ]
    )
    assert zone_of(text, "90 The National Centre for Marketing") == "footnote"
    assert (
        zone_of(text, "countries as Minsk and Lyon, Gomel and Clermont-Ferrand, Brest and Brest,") == "body"
    )


def test_pdf_body_lines_that_start_with_a_number_stay_body():
    text = "\n".join(
        [
            "Nevertheless, in 2016 the volume of mutual trade slightly decreased - to",
            "339 million dollars. For this reason, signing in May 2017 in Minsk Road Map of",
            "the Belarusian construction complex in the construction of facilities - units 3 and",
            "4 of the Rostov NPP - for the period 2011-2012.",
            "",
            "15 regions of Russia signed agreements with Belarus in 2019.",
        ]
    )
    assert [zone for _, zone in find_zones(text)] == ["body"]


# 004, front matter: imprint, ISBN, copyright and a table of contents whose first entry
# is the same "CHAPTER 1" that opens the body.
BOOK_FRONT = """Contours of union integration

FOR AUTHOR USE ONLY

ScienciaScripts

Imprint

Any brand names and product names mentioned in this book are subject to trademark, brand or patent protection.

This book is a translation from the original published under ISBN 978-620-4-74295-3.

Publisher:

Sciencia Scripts

ISBN: 978-620-6-04190-0

Copyright © Boris Zalessky

FOR AUTHOR USE ONLY

Contents

CHAPTER 1\t2
CHAPTER 2\t11
Literature\t76

FOR AUTHOR USE ONLY

CHAPTER 1

Topical issues of Belarus-Russia regional interaction

Back in May 2016, the Council of Ministers of the Union State of Belarus and Russia adopted a resolution \
"On the Action Plan to Create a Common Information Space of the Union State for 2016-2020", the \
implementation of which would allow systematising information activities in the Union State \
and improving the quality of topical publications, including on cooperation between regions of Belarus \
and Russia, which is a crucial area of bilateral relations within the Union State. After all, as it was \
noted at the V Forum of Regions of Belarus and Russia, held in Mogilev in October 2018, "it is in the \
regions of our countries that many production, technological chains for the production of joint \
products begin"¹. Suffice it to say that the contractual and legal framework of this interaction already \
includes more than three hundred agreements on increasing the volume of mutual supplies of goods, \
expanding the distribution network, strengthening production cooperation, creating assembly facilities.
"""


def test_front_matter_ends_at_the_first_chapter_not_at_its_contents_entry():
    text = BOOK_FRONT
    zones = find_zones(text)
    assert [zone for _, zone in zones] == ["front_matter", "body"]
    assert zones[1][0].text.startswith("CHAPTER 1\n\nTopical issues")
    assert zone_of(text, "ISBN: 978-620-6-04190-0") == "front_matter"
    assert zone_of(text, "Literature\t76") == "front_matter"
    assert zone_of(text, "the Council of Ministers of the Union State") == "body"


def test_no_front_matter_without_a_cue_or_without_a_heading():
    without_cue = BOOK_FRONT.replace("Imprint", "Note").replace("ISBN", "No").replace("Copyright ©", "By")
    without_cue = without_cue.replace("Contents", "Chapters").replace("Publisher:", "Publisher")
    assert [zone for _, zone in find_zones(without_cue)] == ["body"]
    without_heading = BOOK_FRONT.replace("CHAPTER 1\n\nTopical", "Topical")
    assert [zone for _, zone in find_zones(without_heading)] == ["body"]


# 004: a footnote split by a page break; two body paragraphs come between its title and the
# rest of it; then the last footnote, and the bibliography.
BOOK_END = """¹⁷⁶ The Republic of Tuva is interested in the Belarusian experience of training IT-specialists \
[Electronic resource]. - 2022. - URL: [https://www.belta.by/economics/view/respublika-tyva-zainteres

¹⁷⁷ Karanik on cooperation with the Republic of Tuva: we need to turn potential into concrete projects

early as late June 2022 at the 9th Forum of the Regions of Belarus and Russia, which will be held in \
Grodno, where all the agreements reached in January may be formalized as a relevant agreement.

In January 2022, Gomel Region signed a protocol of intent on cooperation with the Republic of Tuva to \
actively develop mutually beneficial relations in a variety of areas.

[Electronic resource]. - 2022. - URL: <https://www.belta.by/regions/view/karanik-o-sotrudnichestve-s-tyvou>

¹⁷⁸ Economy, technology, agribusiness: the Gomel region and the Republic of Tuva intend to develop \
cooperation [Electronic resource]. - 2022. - URL:

<https://www.belta.by/regions/view/ekonomika-tehnologii-apk-gomelskaja-obl-i-respublika-tyva>

Literature

1. Speech at the plenary session of the V Forum of Regions of Belarus and Russia [Electronic resource]. \
-2018. - URL:
http://president.gov.by/ru/news_ru/view/vystuplenie-na-plenarnom-zasedanii-v-foruma-regionov-19684/
2. Strategy for socio-economic development of the North Caucasus Federal District until 2025 \
[Electronic resource]. - 2010. - URL:
<http://http://skfo.gov.ru/district/soc/sed/.gov.ru/district/soc/sed/>
14. Signed Cooperation Agreement with the Standing Committee of the Russia-Belarus Union State \
[Electronic resource]. - 2014. - URL: https://www.riadagestan.ru/news/president/podpisano_soglashenie
"""


def test_markdown_footnotes_split_by_a_page_and_bibliography():
    text = BOOK_END
    assert zone_of(text, "Karanik on cooperation with the Republic of Tuva") == "footnote"
    assert zone_of(text, "early as late June 2022 at the 9th Forum") == "body"
    assert zone_of(text, "Gomel Region signed a protocol of intent") == "body"
    assert zone_of(
        text, "[Electronic resource]. - 2022. - URL: <https://www.belta.by/regions/view/karanik"
    ) == ("footnote")
    assert zone_of(text, "the Gomel region and the Republic of Tuva intend to develop") == "footnote"
    assert zone_of(text, "<https://www.belta.by/regions/view/ekonomika") == "footnote"
    assert zone_of(text, "Literature") == "bibliography"
    assert zone_of(text, "Signed Cooperation Agreement with the Standing Committee") == "bibliography"
    assert find_zones(text)[-1][1] == "bibliography"


def test_markdown_stray_piece_of_a_footnote_is_footnote():
    text = """²³ Priority directions of regional cooperation development as a key factor of union building:

trade turnover between Belarus and the Pskov region amounted to \\$121 million and increased by 12% \
compared to 2018²⁴. Nevertheless, all these facts allow the leadership of the Russian region to state.

informational-integration project / coauthored and interviewed by K. Gusev, B. Zalessky. Gusev, \
B. Zaleski. - Minsk: Biznesofset, 2018. - C. 287.

²⁴ Roman Golovchenko suggested that the governor of the Pskov region should intensify cooperation \
in various sectors [Electronic resource]. - 2020. - URL:
"""
    assert zone_of(text, "trade turnover between Belarus and the Pskov region") == "body"
    assert zone_of(text, "informational-integration project / coauthored") == "footnote"
    assert zone_of(text, "Roman Golovchenko suggested") == "footnote"


def test_superscript_glued_to_a_paragraph_is_a_marker_not_a_footnote():
    text = """⁴² Negotiations with the Governor of the Irkutsk Region Sergey Levchenko [Electronic resource]. -

⁴³It is worth recalling that in the pre-crisis period the trade and economic interaction between \
the sides was carried out in quite a wide range of areas.
"""
    assert zone_of(text, "Negotiations with the Governor") == "footnote"
    assert zone_of(text, "It is worth recalling") == "body"
    assert [m.text for m in footnote_markers(text)] == ["⁴³"]


# A Russian book of our own, with the usual apparatus of one.
RUSSIAN_BOOK = """УДК 339.92(476+470)
ББК 65.5

И. И. Иванов

ПРИГРАНИЧНОЕ СОТРУДНИЧЕСТВО РЕГИОНОВ БЕЛАРУСИ И РОССИИ

ISBN 978-985-08-0000-0
© Иванов И. И., 2020

Содержание

Введение ........ 3
Глава 1. Договорная база ........ 5
Список литературы ........ 40

Введение

В 2019 году Могилевская область подписала соглашение о сотрудничестве со Смоленской областью¹. \
Это соглашение расширило договорную базу регионов.

¹ Там же. С. 15.

Глава 1. Договорная база

Гомельская и Брянская области утвердили план мероприятий на 2021–2023 годы², а товарооборот \
вырос до 500 млн долларов. Площадь нового цеха — 1200 м².

² Гомельская область и Брянская область подписали соглашение о сотрудничестве \
[Электронный ресурс]. – 2021. – URL: https://www.belta.by/regions/view/123/

Список литературы

1. Иванов И. И. Приграничное сотрудничество Беларуси и России. – Минск : Беларуская навука, 2019. – 210 с.
2. Витебская область и Псковская область подписали дорожную карту [Электронный ресурс]. – 2020. – \
URL: https://www.belta.by/regions/view/456/
3. Петров П. П. Регионы Союзного государства // Вестник БГУ. – 2018. – № 2. – С. 10–20.

Приложение 1

Перечень соглашений, подписанных в 2019 году.
"""


def test_russian_book_zones():
    text = RUSSIAN_BOOK
    assert [zone for _, zone in find_zones(text)] == [
        "front_matter",
        "body",
        "footnote",
        "body",
        "footnote",
        "bibliography",
        "body",
    ]
    assert zone_of(text, "Глава 1. Договорная база ........ 5") == "front_matter"
    assert zone_of(text, "Могилевская область подписала соглашение") == "body"
    assert zone_of(text, "Там же. С. 15.") == "footnote"
    assert zone_of(text, "Гомельская область и Брянская область подписали") == "footnote"
    assert zone_of(text, "Витебская область и Псковская область подписали") == "bibliography"
    assert zone_of(text, "Перечень соглашений") == "body"
    markers = footnote_markers(text)
    assert [m.text for m in markers] == ["¹", "²"]  # not the ² of м²
    assert text[markers[0].start - 8 : markers[0].stop] == "областью¹"


def test_russian_pdf_dump_with_plain_number_footnotes():
    text = "\n".join(
        [
            "Могилевская область подписала соглашение о сотрудничестве со Смоленской",
            "областью1. Стороны договорились о поставках 5th серии техники на 10km трассы",
            "",
            " ",
            "1 Петров, П. П. Регионы Союзного государства / П. П. Петров // Вестник БГУ. – 2018. – С. 10.",
            " и расширили договорную базу регионов.",
        ]
    )
    assert zone_of(text, "Регионы Союзного государства") == "footnote"
    assert zone_of(text, "и расширили договорную базу") == "body"
    assert [(m.text, text[m.start - 8 : m.start]) for m in footnote_markers(text)] == [("1", "областью")]


def test_pdf_markers_glued_to_words_quotes_and_years():
    lines = [
        'audience coverage they are not inferior to the national ones1. This largely explains the "plans"2.',
        "Belarus until 20303: and to 4create centers of growth, the 5th stage, the AVT-2 unit.",
        "",
        " ",
    ]
    lines += [
        f"{n} Easy, P. Regional mass media / P. Easy // [Electronic resource]. - 2018." for n in (1, 2, 3, 4)
    ]
    text = "\n".join(lines)
    found = [(m.text, text[m.start - 6 : m.start]) for m in footnote_markers(text)]
    assert found == [("1", "l ones"), ("2", 'plans"'), ("3", "l 2030"), ("4", "nd to ")]


def test_plain_numbers_are_no_markers_without_footnotes():
    assert footnote_markers("the national ones1. In 20191 regions and 5km of road") == []


NEWS_PAGE = """Главная | Новости | Литература | Контакты
Contents
USD 3,2741
EUR 3,5412

15 регионов России подписали соглашения с Беларусью в 2024 году.

1 марта в Минске губернатор Брянской области провел переговоры с премьер-министром Беларуси.

2 Стороны подписали дорожную карту сотрудничества на 2024–2026 годы. Подробнее: https://www.belta.by/

Sources
Минский облисполком
БелТА

Introduction
© 2024 БелТА. Все права защищены.
"""


def test_news_page_is_all_body():
    assert [zone for _, zone in find_zones(NEWS_PAGE)] == ["body"]
    assert footnote_markers(NEWS_PAGE) == []


def test_zone_at_boundaries():
    zones = find_zones(PDF_PAGE_BREAK)
    for span, zone in zones:
        assert zone_at(zones, span.start) == zone
        assert zone_at(zones, span.stop - 1) == zone
    assert zone_at(zones, len(PDF_PAGE_BREAK)) == zones[-1][1]
    assert zone_at([], 5) == "body"
    assert find_zones("") == []


TOKENS = st.sampled_from(
    [
        "\n",
        "\n\n",
        " ",
        "\t",
        "Literature",
        "Список литературы",
        "CHAPTER 1",
        "Введение",
        "Contents",
        "ISBN",
        "©",
        "1 ",
        "17 ",
        "¹⁷⁸ ",
        "²",
        "[Electronic resource]. - 2022. - URL:",
        " // ",
        "Ibid.",
        "https://www.belta.by/x-1/",
        "Minsk, 2015.",
        '"',
        "ones1.",
        "Gomel region signed an agreement",
        "\ufffd",
        "\r",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(TOKENS, max_size=60).map("".join)))
def test_any_text_gets_a_full_contiguous_cover(text):
    zones = find_zones(text)
    assert_cover(text, zones)
    for marker in footnote_markers(text):
        assert marker.text == text[marker.start : marker.stop]
        assert zone_at(zones, marker.start) == "body"


def _seed(name: str) -> str:
    path = next(RAW.glob(f"{name}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed {name} not in raw/")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["003", "004"])
def test_seed_books_zones_and_speed(name):
    text = _seed(name)
    started = time.perf_counter()
    zones = find_zones(text)
    elapsed = time.perf_counter() - started
    assert_cover(text, zones)
    size = {zone: 0 for zone in ZONES}
    for span, zone in zones:
        size[zone] += span.stop - span.start
    assert 0.1 < size["footnote"] / len(text) < 0.35
    assert size["body"] / len(text) > 0.5
    if name == "004":
        assert 0 < size["front_matter"] < 5000 and size["bibliography"] > 40000
    else:
        assert size["front_matter"] == size["bibliography"] == 0
    assert elapsed < 0.25  # ~0.02 s on a laptop; generous for a busy test machine


def test_gold_quotes_of_the_seeds_are_body():
    if not GOLD.exists():
        pytest.skip("../shared/gold not available")
    by_doc: dict[str, list[str]] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        by_doc.setdefault(gold["doc"], []).append(" ".join(gold["quote"].split()))
    outside = []
    for doc, quotes in by_doc.items():
        text = (RAW / doc).read_text(encoding="utf-8")
        folded, where = _fold(text)
        zones = find_zones(text)
        for quote in quotes:
            at = folded.find(quote)
            assert at >= 0, quote
            start, stop = where[at], where[at + len(quote) - 1] + 1
            if {z for span, z in zones if span.start < stop and span.stop > start} != {"body"}:
                outside.append((doc, quote))
    assert outside == []


def _fold(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs folded to one space, and the offset of each kept character."""
    chars, where = [], []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        where.append(i)
    return "".join(chars), where


def test_related_news_lists_of_a_news_page_are_navigation_not_body():
    page = (
        "МИНСК, 11 июня (БЕЛТА) - Делегация Омской области посетила Минск.\n"
        "Стороны обсудили сотрудничество в сфере образования.\n\n"
        "Читайте также:\n"
        "Беларусь и Брянская область подписали дорожную карту\n"
        "Товарооборот с Тульской областью вырос на 20%\n\n"
        "Read also\n"
        "Belarus, Omsk Region sign action plan for 2025-2027\n"
    )
    zones = {z.text.strip().splitlines()[0]: zone for z, zone in find_zones(page)}
    assert zones["МИНСК, 11 июня (БЕЛТА) - Делегация Омской области посетила Минск."] == "body"
    assert zones["Читайте также:"] == "navigation"
    navigation = "".join(z.text for z, zone in find_zones(page) if zone == "navigation")
    assert "подписали дорожную карту" in navigation and "sign action plan" in navigation
    assert "Стороны обсудили" not in navigation


def test_navigation_heading_in_markup_and_a_labelled_dateline_of_a_news_page():
    page = (
        "11 June 2025, 17:39\n\n"  # led by a number, as a footnote is: no cue, no footnote
        "MINSK, 11 June (BelTA) - The Omsk delegation visited Minsk. The talks went well.\n\n"
        "**СМ.\xa0ТАКЖЕ:**\n"
        "Беларусь и Брянская область подписали дорожную карту\n\n"
        "  ### Related\tnews\n"
        "Belarus, Omsk Region sign action plan for 2025-2027\n"
    )
    assert [zone for _, zone in find_zones(page)] == ["body", "navigation"]
    assert zone_of(page, "11 June 2025") == zone_of(page, "The talks went well.") == "body"
    assert zone_of(page, "подписали дорожную карту") == zone_of(page, "sign action plan") == "navigation"
