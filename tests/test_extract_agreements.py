"""Agreements: real sentences of the seed documents and news items, and sentences written for the
tests, in English and Russian; each test says which document was signed by whom and when, and
what is not an agreement (planned, proposed, signed by organisations, Union State programmes)."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter

import pytest
from conftest import RAW, SHARED

from pipelines.document import document_from_bytes
from pipelines.extract import agreements, twinnings
from pipelines.extract.registry import EXTRACTOR_MODULES
from pipelines.extract.rulefiles import load_rules
from pipelines.extract.sides import fold


def extract(text: str, name: str = "t.txt"):
    doc = document_from_bytes(name, text.encode("utf-8"))
    facts = agreements.extract(doc)
    for f in facts:
        assert f.table == "agreements"
        assert f.evidence.extractor == f"{agreements.NAME}@{agreements.VERSION}"
        assert doc.text[f.evidence.char_start : f.evidence.char_end] == f.evidence.quote
    return facts


def signed(text: str) -> set[tuple]:
    """(a, b, kind, year, month) of the single agreements."""
    return {
        (f.a.name, f.b.name, f.attrs["kind"], f.attrs["year"], f.attrs["month"])
        for f in extract(text)
        if not f.aggregate
    }


def counted(text: str) -> set[tuple]:
    """(a, b, count, year) of the aggregate lines."""
    return {(f.a.name, f.b.name, f.count, f.attrs["year"]) for f in extract(text) if f.aggregate}


def test_registered():
    assert "pipelines.extract.agreements" in EXTRACTOR_MODULES
    assert "pipelines.extract.twinnings" in EXTRACTOR_MODULES


# --- seeds: English ------------------------------------------------------------------------


def test_seed_region_signs_with_belarus_at_a_forum():
    text = (
        "As for **the Chechen Republic**, it signed an agreement on trade, economic, scientific, technological "
        "and cultural cooperation with the Republic of Belarus in June 2017 at the Fourth Forum of Regions of "
        "Belarus and Russia."
    )
    assert signed(text) == {("Belarus", "Chechen Republic", "cooperation_agreement", 2017, 6)}


def test_seed_the_parties_are_carried_from_the_paragraph():
    text = (
        "Rostov region in Belarus is called one of the key partners among the regions of the Southern Federal "
        "District of the Russian Federation. The region's main trading partners are the Republic of Belarus, "
        "Turkey, Ukraine and China.\n\n"
        "The parties signed an agreement on cooperation in trade, economic, scientific, technical and cultural "
        "spheres back in April 2002."
    )
    facts = [f for f in extract(text) if f.evidence.quote.startswith("The parties")]
    assert {(f.a.name, f.b.name, f.attrs["year"], f.attrs["month"]) for f in facts} == {
        ("Belarus", "Rostov Oblast", 2002, 4)
    }
    assert "from sentence" in facts[0].evidence.note


def test_seed_two_years_for_two_partners():
    text = (
        "After all, back in 2000 and 2002 the Stavropol regional government signed agreements on cooperation "
        "with Brest and Gomel regional executive committees, providing for cooperation in trade."
    )
    assert signed(text) == {
        ("Brest Oblast", "Stavropol Krai", "cooperation_agreement", 2000, None),
        ("Gomel Oblast", "Stavropol Krai", "cooperation_agreement", 2002, None),
    }


def test_seed_bracketed_years_belong_to_their_partner():
    text = "The Mogilev Oblast has concluded similar agreements with the East Kazakhstan Oblast (2009)."
    assert signed(text) == {("Mogilev Oblast", "East Kazakhstan Region", "cooperation_agreement", 2009, None)}


def test_seed_one_sentence_two_documents_two_dates():
    text = (
        "Kabardino-Balkaria is a partner of Belarus. In October 2021, a meeting of the joint working group for "
        "interaction between the parties was held, at which an action plan was signed to implement the Agreement "
        "on cooperation in trade and economic, scientific and technical and socio-cultural spheres, adopted at "
        "the VII Forum of Regions of Belarus and Russia, which was held in September 2020."
    )
    assert signed(text) == {
        ("Belarus", "Kabardino-Balkarian Republic", "action_plan", 2021, 10),
        ("Belarus", "Kabardino-Balkarian Republic", "cooperation_agreement", 2020, 9),
    }


def test_seed_the_agreement_implemented_lends_its_date_to_the_plan():
    text = (
        "Another Russian region I would like to mention in this context is the **Sakhalin Oblast** which signed "
        "an action plan for 2021-2023 to implement the agreement between the governments on trade, economic, "
        "scientific, technical and cultural cooperation in May 2021."
    )
    assert signed(text) == {("Belarus", "Sakhalin Oblast", "action_plan", 2021, 5)}


def test_seed_venue_of_the_forum_and_twinning_kind():
    text = "Finally, in late June 2018, Minsk and Rostov-on-Don signed a twinning agreement aimed at improving trade."
    assert signed(text) == {("Minsk", "Rostov-on-Don", "twinning_agreement", 2018, 6)}
    text = (
        "The two countries signed an agreement on trade, economic, scientific, technical, and socio-cultural "
        "cooperation in September 2015 as part of the Second Forum of Regions of Belarus and Russia, which was "
        "held in Sochi."
    )
    facts = [
        f
        for f in extract("Belarus works with the Vladimir region.\n" + text)
        if "two countries" in f.evidence.quote
    ]
    assert [(f.b.name, f.attrs["place"]) for f in facts] == [("Vladimir Oblast", "Sochi")]


def test_seed_counted_list_gives_the_count_and_each_named_partner():
    text = (
        'Speaking about the Brest region in this context, we note that it "has concluded and is implementing 26 '
        "agreements on cooperation with Russian regions, including the Penza, Astrakhan, Belgorod regions, "
        'Stavropol Territory"'
    )
    assert counted(text) == {("Brest Oblast", "Russian regions", 26, None)}
    assert {b for _, b, *_ in signed(text)} == {
        "Penza Oblast",
        "Astrakhan Oblast",
        "Belgorod Oblast",
        "Stavropol Krai",
    }


def test_seed_aggregates_between_groups():
    text = (
        "In addition, about 450 agreements have been signed between the regions of the Republic of Belarus and "
        "the territorial units of the Russian Federation of different levels."
    )
    assert counted(text) == {("Belarusian regions", "Russian regions", 450, None)}
    assert signed(text) == set()


def test_seed_definite_reference_to_a_document_is_not_a_new_fact():
    text = (
        "In other words, Minsk and Grozny seriously undertook to fill the agreement signed in June 2017 with "
        "concrete mutually beneficial projects, taking into account the principle voiced by the Chechen leader."
    )
    assert signed(text) == set()
    assert (
        signed(
            "Productive interaction after the signing of this agreement led to joint ventures in Rostov region."
        )
        == set()
    )


# --- seeds and news: Russian ---------------------------------------------------------------


def test_seed_russian_single_and_counts():
    text = (
        "Сотрудничество Республики Беларусь с субъектами Российской Федерации осуществляется в рамках "
        "заключенных соглашений о торгово-экономическом, научно-техническом и культурном сотрудничестве "
        "(88 соглашений с 79 российскими регионами).\n\n"
        "В 2024 году подписано 1 межправительственное соглашение с Магаданской областью.\n\n"
        "В 2024 году проведено 58 заседаний таких двусторонних рабочих групп. По их итогам подписано 20 "
        "среднесрочных плана мероприятий по сотрудничеству, 45 протоколов заседаний рабочих групп."
    )
    assert signed(text) == {("Belarus", "Magadan Oblast", "cooperation_agreement", 2024, None)}
    # the plans and protocols name neither side: no line is better than a guessed one
    assert counted(text) == {("Belarus", "Russian regions", 88, None)}


def test_news_today_takes_the_date_line():
    text = (
        "Подписана «Дорожная карта» по развитию сотрудничества Орловской области и Республики Беларусь на "
        "2024-2026 годы\n24.10.2024, 13:01\n"
        "Также сегодня подписан протокол о намерениях о сотрудничестве между Брестским областным Советом "
        "депутатов и Орловским областным Советом народных депутатов."
    )
    assert signed(text) == {
        ("Belarus", "Oryol Oblast", "roadmap", 2024, 10),
        ("Brest Oblast", "Oryol Oblast", "protocol", 2024, 10),
    }


def test_news_plan_implementing_an_agreement_in_force():
    text = (
        "Губернатор Псковской области Михаил Ведерников и заместитель председателя Брестского областного "
        "исполнительного комитета Михаил Баценко подписали план мероприятий на 2024–2025 годы по реализации "
        "действующего соглашения."
    )
    assert signed(text) == {
        ("Brest Oblast", "Pskov Oblast", "action_plan", None, None),
        ("Brest Oblast", "Pskov Oblast", "cooperation_agreement", None, None),
    }


def test_news_signatories_named_after_between():
    text = (
        "План мероприятий на 2026-2027 годы между Правительством Республики Татарстан и Минским областным "
        "исполнительным комитетом подписан в Казани."
    )
    assert signed(text) == {("Minsk Oblast", "Republic of Tatarstan", "action_plan", None, None)}
    assert {f.attrs["place"] for f in extract(text)} == {"Kazan"}


# --- sentences written for the tests -------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "On 15 March 2023 the Grodno Oblast Executive Committee and the Government of the Kaluga Region "
            "signed an agreement on trade, economic and cultural cooperation in Grodno.",
            ("Grodno Oblast", "Kaluga Oblast", "cooperation_agreement", 2023, 3),
        ),
        (
            "Belarus and the Omsk Region signed a cooperation programme for 2024-2026 in May 2024.",
            ("Belarus", "Omsk Oblast", "programme", 2024, 5),
        ),
        (
            "In 2022, Grodno region and Bashkortostan signed a new 3-year plan of joint actions for 2022-2024.",
            ("Grodno Oblast", "Republic of Bashkortostan", "action_plan", 2022, None),
        ),
        (
            "12 мая 2023 года в Минске подписано соглашение о сотрудничестве между Минским облисполкомом и "
            "Правительством Калужской области.",
            ("Minsk Oblast", "Kaluga Oblast", "cooperation_agreement", 2023, 5),
        ),
        (
            "Брестский облисполком и администрация Псковской области заключили соглашение о сотрудничестве в 2019 году.",
            ("Brest Oblast", "Pskov Oblast", "cooperation_agreement", 2019, None),
        ),
        (
            "Могилев и Тула подписали договор о побратимстве в 2010 году.",
            ("Mogilev", "Tula", "twinning_agreement", 2010, None),
        ),
        (
            "Губернатор Тульской области и председатель Могилевского облисполкома подписали меморандум о "
            "взаимопонимании в сентябре 2025 года.",
            ("Mogilev Oblast", "Tula Oblast", "memorandum", 2025, 9),
        ),
    ],
)
def test_written_signed_documents(text, expected):
    assert signed(text) == {expected}


@pytest.mark.parametrize(
    "text",
    [
        "A new agreement between the Mogilev region and the Tula region is being prepared.",
        "Belarus and the Kursk Region planned to sign a roadmap in autumn.",
        "The governor proposed to sign an action plan with the Vitebsk region.",
        "The parties agreed that a memorandum between Gomel and Bryansk could be signed next month.",
        "The sides discussed a draft agreement on cooperation between Mogilev Oblast and Tula Oblast.",
        "Работа над соглашением о сотрудничестве между Гомельской и Брянской областями продолжается.",
        "Планируется подписать меморандум между Минском и Казанью.",
        "Стороны намерены заключить соглашение между Витебской и Псковской областями.",
        "The Gomel branch of the Belarusian Chamber of Commerce and Industry signed a cooperation agreement "
        "with the Bryansk Chamber of Commerce.",
        "Белорусский государственный университет и Томский государственный университет подписали соглашение о "
        "сотрудничестве.",
        "Minsk Tractor Works and the Irkutsk region signed a dealer agreement worth $5 million.",
        "In 2021 Belarus and Russia signed 28 Union State programmes.",
        "The signing ceremony of the agreement between Gomel region and Bryansk region will be held tomorrow.",
        "Подписание соглашения между Гомельской и Брянской областями состоится в июне.",
        "Делегация Гродненской области приняла участие в форуме, где обсуждались соглашения с Калужской областью.",
        "The Law on international treaties of Belarus was adopted in 2008.",
    ],
)
def test_written_not_agreements(text):
    assert signed(text) == set()


def test_written_aggregate_of_groups_in_russian():
    assert counted("Подписано 15 соглашений между белорусскими и российскими регионами.") == {
        ("Belarusian regions", "Russian regions", 15, None)
    }


@pytest.mark.parametrize(
    "partners",
    ["38 Russian regions", "38 constituent entities of the Russian Federation", "38 subjects of Russia"],
)
def test_partners_counted_by_any_name_of_russian_regions(partners):
    text = f"Minsk Oblast has signed cooperation agreements with {partners}."
    assert counted(text) == {("Minsk Oblast", "Russian regions", 38, None)}


def test_a_signed_list_of_pairs_each_after_between():
    # as forum reports list the signings (paraphrased); "documents" alone are facts only in such a list
    text = (
        "05.10.2019\n\nAt the forum, documents on cooperation were signed between the Zhytomyr Regional State "
        "Administration and the Gomel Regional Executive Committee, between the Volyn Regional State "
        "Administration and the Brest Regional Executive Committee, and between the Odesa Regional State "
        "Administration and the Vitebsk Regional Executive Committee."
    )
    assert {(a, b) for a, b, *_ in signed(text)} == {
        ("Gomel Oblast", "Zhytomyr Oblast"),
        ("Brest Oblast", "Volyn Oblast"),
        ("Vitebsk Oblast", "Odesa Oblast"),
    }
    assert (
        signed("05.10.2019\n\nThe documents signed by Gomel Oblast and Zhytomyr Oblast were discussed.")
        == set()
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine and Belarus signed a programme of scientific, technical and innovative cooperation.",
        "Украина и Беларусь подписали программу научно-технического сотрудничества.",
    ],
)
def test_a_programme_named_by_the_fields_of_its_cooperation(text):
    assert signed("05.10.2019\n\n" + text) == {("Belarus", "Ukraine", "programme", 2019, 10)}


def test_a_town_before_the_noun_outranks_its_country_named_in_passing():
    # as news pages put it (paraphrased): "Belarus" names where a delegation came, "Regions" is
    # part of an event's name
    text = (
        "15.07.2025\n\nIn June 2025 Brest concluded twin-city agreements with Omsk, during a Russian "
        "delegation's trip to Belarus, and with Astrakhan at the Forum of Regions of Belarus and Russia."
    )
    assert {(a, b) for a, b, *_ in signed(text)} == {("Brest", "Omsk"), ("Brest", "Astrakhan")}
    doc = document_from_bytes("t.txt", text.encode("utf-8"))
    assert {(f.a.name, f.b.name) for f in twinnings.extract(doc)} == {
        ("Brest", "Omsk"),
        ("Brest", "Astrakhan"),
    }


def test_a_news_page_sentence_naming_no_side_goes_on_from_the_paragraphs_before():
    # news sites give each sentence a paragraph of its own
    text = (
        "06.12.2024\n\nМинск и Казань договорились развивать сотрудничество в сфере образования.\n\n"
        "Соглашение было подписано в ходе визита делегации."
    )
    assert {(a, b, year) for a, b, _, year, _ in signed(text)} == {("Minsk", "Kazan", 2024)}


def test_a_towns_unread_partner_is_not_belarus():
    # Gorki (a town the gazetteer guards as a common word) twinned with Zernograd: the Belarusian
    # side is a town we did not read, not the country
    assert signed("12.05.2024\n\nГорки и Зерноград заключили соглашение о побратимстве.") == set()


def test_gapped_list_pairs_each_head_with_its_own_partners():
    # as reports of a forum of regions put it (paraphrased): the verb and the noun are said once,
    # and "Витебская область - с ..." starts a clause of its own
    text = (
        "На форуме Брестская область подписала соглашения о сотрудничестве в торговле и культуре с Волынской "
        "и Закарпатской областями, Витебская область - с Винницкой, Черкасской и Одесской."
    )
    assert {(a, b) for a, b, *_ in signed(text)} == {
        ("Brest Oblast", "Volyn Oblast"),
        ("Brest Oblast", "Zakarpattia Oblast"),
        ("Vitebsk Oblast", "Vinnytsia Oblast"),
        ("Vitebsk Oblast", "Cherkasy Oblast"),
        ("Vitebsk Oblast", "Odesa Oblast"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        # English: the second head right before "with"
        ("Brest Oblast signed cooperation agreements with Pskov and Novgorod Oblasts, Vitebsk Oblast with "
         "Bryansk and Tver Oblasts.",
         {("Brest Oblast", "Pskov Oblast"), ("Brest Oblast", "Novgorod Oblast"),
          ("Vitebsk Oblast", "Bryansk Oblast"), ("Vitebsk Oblast", "Tver Oblast")}),
        # a head named by its adjective alone takes the noun of the first head
        ("Брестская область подписала соглашения о сотрудничестве с Псковской областью, Витебская – с Брянской, "
         "Гомельская – с Курской.",
         {("Brest Oblast", "Pskov Oblast"), ("Vitebsk Oblast", "Bryansk Oblast"), ("Gomel Oblast", "Kursk Oblast")}),
        # the Russian side first; "а" before the second head
        ("Псковская область подписала соглашение с Брестской областью, а Смоленская область — с Витебской областью.",
         {("Brest Oblast", "Pskov Oblast"), ("Vitebsk Oblast", "Smolensk Oblast")}),
        # no new head: "which was signed with", "in particular with"
        ("Minsk Oblast signed an agreement with Tula Oblast, which was signed with great ceremony.",
         {("Minsk Oblast", "Tula Oblast")}),
    ],
)  # fmt: skip
def test_gapped_lists(text, expected):
    assert {(a, b) for a, b, *_ in signed(text)} == expected


# --- the pieces --------------------------------------------------------------------------


def test_scopes_merge_the_document_implemented_unless_it_was_signed_itself():
    low = fold("They signed an action plan to implement the agreement between the governments in May 2021.")
    assert [s.kind for s in agreements.scopes(low)] == ["action_plan"]
    low = fold(
        "An action plan was signed to implement the Agreement on cooperation, adopted in September 2020."
    )
    assert [s.kind for s in agreements.scopes(low)] == ["action_plan", "cooperation_agreement"]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("the treaty on fraternal relations was signed", "twinning_agreement"),
        ("an agreement of intent to establish friendly relations", "other"),
        ("соглашение об установлении побратимских отношений между городами", "twinning_agreement"),
        ("план мероприятий (”дорожная карта“) по реализации", "roadmap"),
        ("a protocol of agreements", "protocol"),
    ],
)
def test_document_kind(text, kind):
    low = fold(text)
    assert agreements.document_kind(low, agreements.scopes(low)[0]) == kind


@pytest.mark.parametrize(
    "text, n",
    [
        ("more than three hundred agreements", 300),
        ("about 450 agreements", 450),
        ("подписано 20 планов мероприятий", 20),
    ],
)
def test_aggregate_count(text, n):
    low = fold(text)
    assert agreements.aggregate_count(low, agreements.scopes(low)[0]) == n


def test_signing_dates_leave_out_periods_and_targets():
    years = [
        d.year
        for d in agreements.signing_dates("The Treaty until 2026 for 2021-2023 was signed in November 2017.")
    ]
    assert years == [2017]


# --- the seeds as a whole ------------------------------------------------------------------


def _score_module():
    path = SHARED / "gold" / "score.py"
    if not path.exists():
        pytest.skip("the shared gold is not here")
    spec = importlib.util.spec_from_file_location("gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("table, extractor", [("agreements", agreements), ("twinnings", twinnings)])
def test_seed_books_precision_and_recall(table, extractor):
    sc = _score_module()
    names = ["003_c16572a867e56ee7.txt", "004_f865b4ead9a1efb6.txt"]
    gold = sc.load_gold([SHARED / "gold" / "seeds.gold.jsonl"], set(names))
    tp = n_pred = n_gold = 0
    for name in names:
        doc = document_from_bytes(name, (RAW / name).read_bytes())
        preds = [
            {
                "a": sc.party_key(f.a.name, f.a.country, f.a.level, f.a.region),
                "b": sc.party_key(f.b.name, f.b.country, f.b.level, f.b.region),
                "year": f.attrs.get("year"),
                "month": f.attrs.get("month"),
            }
            for f in extractor.extract(doc)
            if not f.aggregate
        ]
        p = sc.dedupe(table, preds)
        g = sc.dedupe(table, gold.get((table, name, False), []))
        tp += sc.match_count(table, p, g)
        n_pred += len(p)
        n_gold += len(g)
    assert tp / n_pred >= 0.9, json.dumps({"tp": tp, "pred": n_pred})
    assert tp / n_gold >= 0.8, json.dumps({"tp": tp, "gold": n_gold})


# Written for the held-out review: "agreed on signing" is an intent, not a signing.
def test_agreed_on_signing_is_no_agreement():
    assert (
        signed("Стороны договорились о подписании соглашения между Гомельской областью и Брянской областью.")
        == set()
    )
    assert (
        signed("The sides agreed on the signing of a roadmap between Vitebsk Oblast and Tver Oblast.")
        == set()
    )
    assert signed(
        "Гомельская и Брянская области подписали соглашение о сотрудничестве 2 февраля 2024 года."
    ) == {("Gomel Oblast", "Bryansk Oblast", "cooperation_agreement", 2024, 2)}


# --- speed-ups that must not change an answer ----------------------------------------------

_MIXED = [
    "The Treaty was signed in Minsk; a draft protocol is being prepared for approval.",
    "Стороны подписали соглашение о сотрудничестве, а проект плана будет подписан позже.",
    "THE AGREEMENT WILL BE SIGNED NEXT YEAR",
    "İSTANBUL ſigned a ΣΎΜΒΑΣΗ with the Brest region",  # characters whose case is special
    "",
]


def test_literal_tests_answer_as_the_alternation_does(seed_texts):
    from pipelines.extract.literals import AnyOf, Guarded

    r = agreements.rules()
    raw = load_rules("rules/agreements.yaml")
    lines = [line for text in seed_texts.values() for line in text.splitlines()][:400] + _MIXED
    for key in ("not_fact", "excluded", "existing", "weak_voids", "signed"):
        tests = r.is_signed if key == "signed" else getattr(r, key)
        for flags in (0, re.IGNORECASE):
            regex = re.compile("|".join(f"(?:{p})" for p in raw[key]), flags)
            any_of = AnyOf(raw[key], flags) if flags else tests
            guarded = Guarded(regex)
            for line in lines:
                low = fold(line)
                assert any_of.search(low) == (regex.search(low) is not None), (key, line)
                assert any_of.search(low, 3, 40) == (regex.search(low, 3, 40) is not None), (key, line)
                assert [m.span() for m in guarded.finditer(line)] == [m.span() for m in regex.finditer(line)]


def test_needed_strings_of_a_pattern():
    from pipelines.extract.literals import needed

    assert needed(re.compile(r"(?<!\w)(?:agreements?|treat(?:y|ies))(?!\w)")) == {"agreement", "treat"}
    # the most selective part: the nouns, not "is" / "are"
    assert needed(re.compile(r"(?:is|are)\s+(?:being\s+)?(?:prepar|draft)\w*")) == {"prepar", "draft"}
    assert needed(re.compile(r"Экспорт\w*|TRADE", re.IGNORECASE)) == {"экспорт", "trade"}
    assert needed(re.compile(r"\d+\s*%|x?")) is None  # an alternative that needs no string


@pytest.mark.parametrize(
    ("pattern", "strings"),
    [
        (
            r"(?<!\w)(?:invit\w*|plans?\s+to|video\s*-?\s*(?:conference|link))(?!\w)",
            {"invit", "plan", "video"},
        ),
        (r"travel+ed\s+to", {"trave"}),
        (r"при[её]м\w*|гостеприимств\w*", {"при", "гостеприимств"}),
        (r"(?:regional\s+|the\s+)?governor", {"governor"}),
        (r"(?i:the\s+)?governor", {"governor"}),  # nothing of a case-insensitive part
    ],
)
def test_needed_test_of_a_case_sensitive_pattern(pattern, strings):
    from pipelines.extract.literals import Needed

    test = Needed.of(re.compile(pattern))
    assert set(test.strings) == strings
    text = "the regional governor was invited; гостеприимство"
    assert test.held_by(text) == any(s in text for s in strings)
    assert test.held_by("a text without any of them") is False
    assert test.held_by(text) == any(s in text for s in strings)  # the kept answer is the text's


@pytest.mark.parametrize("pattern", [r"(?:the\s+)?\w+\s+\w+", r"in|at|в", r"(?i)governor"])
def test_no_needed_test_when_a_match_may_lack_the_strings(pattern):
    from pipelines.extract.literals import Needed

    assert Needed.of(re.compile(pattern)) is None


def test_needed_test_of_many_strings_answers_as_the_pattern():
    from pipelines.extract.literals import Needed

    words = ["visit", "arriv", "trip", "tour", "визит", "прибыл", "поездк", "посети"]
    pattern = re.compile("|".join(words))
    test = Needed.of(pattern)
    assert set(test.strings) == set(words)
    for text in ("the governor arrived", "губернатор прибыл в минск", "a plain sentence", ""):
        assert test.held_by(text) == (pattern.search(text) is not None)


def test_dates_before_a_sentence_are_those_of_the_text_before_it():
    from pipelines.extract.dates import PrefixDates, find_dates

    text = (
        "MINSK, 12 June 2025, 10:21\nIn 2019-2020 the sides met. On 30th of September, 2015 and in May "
        "2016 they signed; 11.06.2025 в мае 1999 года, 20 марта 2020 г. and 1990s, 2021–2022."
    )
    for order in (range(len(text) + 1), reversed(range(len(text) + 1))):
        dates = PrefixDates(text)
        for stop in order:
            assert list(dates.before(stop)) == find_dates(text[:stop]), stop


def test_dates_before_a_sentence_when_the_reader_stops_at_the_first_it_wants():
    from pipelines.extract.dates import PrefixDates, find_dates

    # years far apart and close together: a window is read only as far as a caller iterates
    text = (
        "12 June 2025\nMenu\n" + "news of the region. " * 8 + "In 2019 and 2020, then on 5 May 2021 "
        "(the 2022 plan)." + " more words" * 10 + " 01.02.2023 and в 2024 году."
    )
    expected = {stop: find_dates(text[:stop]) for stop in range(len(text) + 1)}
    for order in (range(len(text) + 1), reversed(range(len(text) + 1))):
        dates = PrefixDates(text)
        for stop in order:
            first = next(dates.before(stop), None)  # then left unread, as ``any`` leaves it
            assert first == (expected[stop][0] if expected[stop] else None), stop
            if stop % 5 == 0:
                assert list(dates.before(stop)) == expected[stop], stop


def test_memoised_answers_are_not_shared_lists():
    low = fold("The parties signed an agreement and a protocol.")
    first = agreements.scopes(low)
    first.clear()
    assert [s.kind for s in agreements.scopes(low)] == ["cooperation_agreement", "protocol"]


def test_parties_outside_a_scope_are_those_of_the_rest_of_the_sentence():
    from pipelines.extract.sides import SentenceSides, parties, sides

    text = (
        "The Grodno region signed agreements with the Leningrad region, Pskov, the Brest region and "
        "Novgorod, and a plan with Minsk and the Tver region."
    )
    found = sides(text)
    index = SentenceSides(found)
    assert len(found) >= 5
    for start in range(0, len(text), 7):
        for stop in range(start, len(text) + 7, 11):
            rest = [s for s in found if not start <= s.start < stop]
            assert index.parties_outside(start, stop) == parties(rest)
            assert index.within(start, stop) == [s for s in found if start <= s.start < stop]


def test_a_long_list_of_documents_is_read_whole():
    """Each document of a long list keeps its own partner and year (each scope reads its own words;
    bisection finds them, so the list costs its length, not its length times its nouns)."""
    item = "The Smolensk region signed an agreement with the Minsk region in 2019 and a protocol with Gomel in 2020; "

    def read(text):
        return Counter((f.a.name, f.b.name, f.attrs["kind"], f.attrs["year"]) for f in extract(text))

    one = read(item)
    assert one == Counter(
        {
            ("Minsk Oblast", "Smolensk Oblast", "cooperation_agreement", 2019): 1,
            ("Gomel", "Smolensk Oblast", "protocol", 2020): 1,
        }
    )
    assert read(item * 60) == Counter({k: 60 * v for k, v in one.items()})


@pytest.mark.parametrize("head", ["", "İzmir. ", "ΣΥΝΕΔΡΙΟ. "])
def test_sentences_holding_a_document_word(head):
    from pipelines.extract.sides import Context

    text = head + "The protocol was signed.\n\nNothing here. A ROAD MAP and an Agreement. Tree."
    doc = document_from_bytes("t.txt", text.encode("utf-8"))
    ctx = Context(doc)
    prefilter = re.compile("|".join(load_rules("rules/agreements.yaml")["prefilter"]))
    expected = [prefilter.search(s.text.lower()) is not None for s in ctx.body]
    assert ctx.holding(agreements.rules().prefilter) == expected
    assert any(expected) and not all(expected)


def test_agreement_and_twinning_stems_are_told_apart():
    from pipelines.extract import twinnings
    from pipelines.extract.sides import Context

    text = (
        "Гомель и Клермон-Ферран - города-побратимы. The PLAN was signed.\n\nNo stem here. "
        "Twinned since 2005, the sister cities signed an agreement. Соглашение подписано."
    )
    doc = document_from_bytes("t.txt", text.encode("utf-8"))
    ctx = Context(doc)
    for stems in (agreements.rules().prefilter, twinnings.rules().prefilter):
        expected = [any(w in s.text.lower() for w in stems.words) for s in ctx.body]
        assert ctx.holding(stems) == expected == stems.held_by([s.text for s in ctx.body])
        assert any(expected) and not all(expected)


def test_a_repeated_sentence_takes_its_sides_and_date_from_each_document():
    """What a sentence states is read once for its text; the sides it leaves out and the date line
    come from each document it stands in."""
    sentence = "The parties signed an agreement on cooperation today."
    first = f"12 May 2021, 10:00\n\nThe Grodno region and the Smolensk region held talks.\n\n{sentence}"
    second = f"03 June 2023, 09:15\n\nThe Brest region and the Tver region held talks.\n\n{sentence}"
    for _ in range(2):  # the second time round, every reading is a kept one
        assert signed(first) == {("Grodno Oblast", "Smolensk Oblast", "cooperation_agreement", 2021, 5)}
        assert signed(second) == {("Brest Oblast", "Tver Oblast", "cooperation_agreement", 2023, 6)}
    russian = "Стороны подписали соглашение о сотрудничестве."
    text = f"Витебская область и Псковская область провели переговоры.\n\n{russian}"
    assert {(a, b) for a, b, *_ in signed(text)} == {("Vitebsk Oblast", "Pskov Oblast")}
    assert signed(russian) == set()  # no parties before it: nothing to carry


@pytest.mark.parametrize(
    "text",
    [
        "The Protocol was signed.",
        "İzmir and the Brest region signed an AGREEMENT.",  # "İ" lower-cases to two characters
        "ΟΔΟΣ. The road map of the regions",  # "Σ" lower-cases by its neighbours
        "An explanation of nothing in particular.",  # a stem inside a word ("plan") counts
        "Nothing to see here.",
        "Соглашение подписано. " + "x" * 5000,  # longer than a kept text
    ],
)
def test_prefilter_stems_answer_as_the_alternation(text):
    stems = agreements.rules().prefilter
    pattern = re.compile("|".join(load_rules("rules/agreements.yaml")["prefilter"]))
    assert stems.held_by([text, text]) == [pattern.search(text.lower()) is not None] * 2


def test_date_line_and_named_events_mask_the_same_spans_as_one_alternation():
    """The date line is read apart (it opens a sentence or is not there): the spans are those of
    the one alternation it heads."""
    from pipelines.extract.sides import _masked, alternation, rules

    raw = load_rules("rules/sides.yaml")
    one = re.compile(alternation([raw["not_parties_date_line"], *raw["not_parties_cased"]]))
    for text in (
        "VITEBSK, 15 May - the Vitebsk region signed an agreement with the Smolensk region.",
        'ГРОДНО, 20 июня - "Гродно Азот" и Смоленская область подписали соглашение.',
        'MINSK, 3 June "Minsk Expo" and the China International Import Expo opened.',
        "The agreement was signed at the Minsk International Exhibition by the Mogilev region.",
        "The Brest region signed it in MINSK, 3 June.",
    ):
        low = fold(text)
        events = [m.span() for m in rules().not_parties.finditer(low)]
        assert _masked(text, low) == events + [m.span() for m in one.finditer(text)]
