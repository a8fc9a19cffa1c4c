"""Twinnings: real sentences of the seed documents and news items, and sentences written for the
tests, in English and Russian; each test says which places are twinned (and since when), and
what is not a twinning (a meeting of twin cities, a twinning still planned)."""

from __future__ import annotations

import pytest

from pipelines.document import document_from_bytes
from pipelines.extract import twinnings


def extract(text: str, name: str = "t.txt"):
    doc = document_from_bytes(name, text.encode("utf-8"))
    facts = twinnings.extract(doc)
    for f in facts:
        assert f.table == "twinnings"
        assert f.evidence.extractor == f"{twinnings.NAME}@{twinnings.VERSION}"
        assert doc.text[f.evidence.char_start : f.evidence.char_end] == f.evidence.quote
    return facts


def twins(text: str) -> set[tuple]:
    """(Belarusian place, partner, year) of the single twinnings."""
    return {(f.a.name, f.b.name, f.attrs["year"]) for f in extract(text) if not f.aggregate}


# --- seeds -------------------------------------------------------------------------------


def test_seed_pairs_named_in_a_sentence():
    assert twins("Since 2006, Kovrov and Brest have been twinned.") == {("Brest", "Kovrov", 2006)}
    text = "The treaty on twinning between the cities of Vladimir and Bobruisk was signed back in 1998."
    assert twins(text) == {("Bobruisk", "Vladimir", 1998)}


def test_seed_lists_matched_respectively():
    text = (
        "Thus, back in 2008, within the framework of the development of cooperation between Minsk Region and "
        "Syunik Region, the twinned cooperation agreements were signed with Borisov, Nesvizh, Soligorsk, "
        "Slutsk and Myadel regions with such Armenian cities as Kapan, Goris, Agarak, Sisian and Meghri "
        "respectively."
    )
    assert {(a, b) for a, b, _ in twins(text)} == {
        ("Borisov District", "Kapan"),
        ("Nesvizh District", "Goris"),
        ("Soligorsk District", "Agarak"),
        ("Slutsk District", "Sisian"),
        ("Myadel District", "Meghri"),
    }


def test_seed_dates_heading_a_list_of_pairs():
    text = (
        'Suffice it to say that "21 agreements on twinning have been signed between the cities and regions of '
        'Belarus and Armenia". Moreover, "in May 2011 the list of Belarusian and Armenian regional partners was '
        "expanded to include Osipovichi district and Sevan city, in June 2012 - Vitebsk region and Lori marz, "
        'cities of Orsha and Spitak, Vitebsk and Vanadzor, and in October 2012 - Lepel district and Tashir".'
    )
    found = twins(text)
    assert ("Orsha", "Spitak", 2012) in found
    assert ("Vitebsk", "Vanadzor", 2012) in found
    assert ("Lepel District", "Tashir", 2012) in found
    assert {(f.count, f.a.country, f.b.country) for f in extract(text) if f.aggregate} == {(21, "BY", "AM")}


def test_seed_numbered_list_without_head_nouns():
    text = (
        "According to the data of the Committee for External Relations of the Leningrad Region, to date, "
        "partnership or twinning relations have already been established between such districts as: 1. "
        "Volosovsky and Logoisky (2010); 2. Gatchinsky and Nesvizh (2010); 3. Lomonosovsky and Baranovichsky "
        "(2008); 4. Tosno and Polotsk (2010)."
    )
    assert twins(text) == {
        ("Logoisk District", "Volosovsky District", 2010),
        ("Nesvizh", "Gatchinsky District", 2010),  # the town; the scorer takes it for the district too
        ("Baranovichi District", "Lomonosovsky District", 2008),
        ("Polotsk", "Tosno", 2010),
    }


def test_seed_partners_listed_in_the_next_sentence():
    text = (
        "The fact is that Grodno has quite a few twins and partners in Russia today. Among them are Dzerzhinsk "
        "(2005), Khimki (2005), Vologda (2007), Cheboksary (2009) and Tambov (2015). As we can see, few of them "
        "are in the north."
    )
    assert twins(text) == {
        ("Grodno", "Dzerzhinsk", 2005),
        ("Grodno", "Khimki", 2005),
        ("Grodno", "Vologda", 2007),
        ("Grodno", "Cheboksary", 2009),
        ("Grodno", "Tambov", 2015),
    }


def test_seed_list_cut_by_a_page_break():
    text = (
        "Specifically, the twinning relations currently connect such cities of the two\n\n"
        "countries as Minsk and Lyon, Gomel and Clermont-Ferrand."
    )
    assert twins(text) == {("Minsk", "Lyon", None), ("Gomel", "Clermont-Ferrand", None)}


def test_seed_sister_cities_with_one_side_and_a_list_ending_before_another_kind():
    text = (
        "Before that, Minsk had already signed agreements on establishing sister cities with such cities as "
        "Changchun, Shenzhen, as well as on establishing cooperation - with Shenyang."
    )
    assert {b for _, b, _ in twins(text)} == {"Changchun", "Shenzhen"}


def test_seed_district_of_a_city():
    text = (
        "Apparently, the Chinese vector will intensify another district of Minsk - Frunzensky, which signed an "
        "agreement on twinning with the Chinese city of Jilin in September 2018."
    )
    assert twins(text) == {("Frunzensky District (Minsk)", "Jilin City", 2018)}


# --- news, Russian -----------------------------------------------------------------------


def test_news_russian_twins():
    assert twins("Барановичи и Магадан стали городами-побратимами") == {("Baranovichi", "Magadan", None)}
    text = "В апреле 2012 года были официально утверждены побратимские связи между Тверью и белорусским городом Оршей."
    assert twins(text) == {("Orsha", "Tver", 2012)}
    text = (
        "В этот же день было подписано еще одно Соглашение об установлении побратимских отношений между городом "
        "Витебск Республики Беларусь и МО Белоярский район Ханты-Мансийского автономного округа – Югры."
    )
    assert twins(text) == {("Vitebsk", "Beloyarsky District", None)}


# --- sentences written for the tests -------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The cities of Polotsk and Veliky Novgorod are sister cities.",
            {("Polotsk", "Veliky Novgorod", None)},
        ),
        ("Полоцк и Великий Новгород — города-побратимы.", {("Polotsk", "Veliky Novgorod", None)}),
        ("Побратимские связи между Лидой и Калугой установлены в 2005 году.", {("Lida", "Kaluga", 2005)}),
        ("Гомель и Брянск являются городами-побратимами с 1996 года.", {("Gomel", "Bryansk", 1996)}),
        (
            "Lida and Kaluga signed a twinning agreement in 2005, and Vitebsk and Nizhny Novgorod are twinned since 2008.",
            {("Lida", "Kaluga", 2005), ("Vitebsk", "Nizhny Novgorod", 2008)},
        ),
        (
            "The twinning relations connect such cities as Mozyr and Kursk, Orsha and Vyazma.",
            {("Mozyr", "Kursk", None), ("Orsha", "Vyazma", None)},
        ),
    ],
)
def test_written_twins(text, expected):
    assert twins(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The 10th meeting of twin cities of Belarus and Russia was held in Zhodino with delegations of Grodno and Ukhta.",
        "Minsk region can establish twinning relations with the region of Upper France.",
        "Work will be accelerated on an agreement on the establishment of twinned relations between Minsk and Yerevan.",
        "Орша и Вязьма планируют стать городами-побратимами.",
        "The twinning movement is an effective tool for Belarusian-Russian ties.",
    ],
)
def test_written_not_twinnings(text):
    assert twins(text) == set()


def test_written_aggregate_of_twinned_cities():
    text = (
        "At the end of 2020, there were 36 cities in the association, which have established twinning and "
        "partnership links with over 450 cities in 38 countries."
    )
    assert {(f.a.level, f.b.name, f.count) for f in extract(text) if f.aggregate} == {
        ("group", "cities in 38 countries", 450)
    }


def test_relation_is_not_a_meeting():
    assert twinnings.relation("one of the results of this twinning meeting in zhodino") is None
    assert twinnings.relation("minsk and lyon are twin cities").group() == "twin"


@pytest.mark.parametrize(
    "text",
    [
        "Минск и столица Татарстана Казань стали городами-побратимами.",
        "Minsk and Tatarstan's capital Kazan are twin cities.",
        "Minsk and the capital of Tatarstan, Kazan, are twin cities.",
    ],
)
def test_the_region_a_city_is_the_capital_of_is_its_address(text):
    assert {(a, b) for a, b, *_ in twins(text)} == {("Minsk", "Kazan")}


@pytest.mark.parametrize(
    "last",
    [
        "В списке также значатся Калуга, Новосибирск и Уфа.",
        "The list also includes Kaluga, Novosibirsk and Ufa.",
    ],
)
def test_a_list_of_the_other_twins_after_the_list_word(last):
    text = f"Minsk and Rostov-on-Don became twin cities. Rostov-on-Don is the seventh Russian twin city of Minsk. {last}"
    assert {b for _, b, _ in twins(text)} == {"Rostov-on-Don", "Kaluga", "Novosibirsk", "Ufa"}
