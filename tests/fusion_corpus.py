"""A small corpus written for the fusion, view, notebook and explain tests: four short news
items, two in English and two in Russian, that repeat some facts, date one agreement more
precisely than another, and disagree on a trade value and on an agreement's year.

The candidate facts are written by hand (the extractors are tested elsewhere): each is tied to
its sentence by the quote, so the evidence offsets are real.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.model import Evidence, Fact, Party
from pipelines.runner import views_sql
from pipelines.tables import Tables, build_tables
from pipelines.warehouse import export_parquet, write_database

BELARUS = Party("Belarus", "BY", "country", None, "BY")
VITEBSK = Party("Vitebsk Oblast", "BY", "region", "BY-VI", "BY-VI")
BREST = Party("Brest Oblast", "BY", "region", "BY-BR", "BY-BR")
PSKOV = Party("Pskov Oblast", "RU", "region", "RU-PSK", "RU-PSK")
BRYANSK = Party("Bryansk Oblast", "RU", "region", "RU-BRY", "RU-BRY")
SMOLENSK = Party("Smolensk Oblast", "RU", "region", "RU-SMO", "RU-SMO")
STAVROPOL = Party("Stavropol Krai", "RU", "region", "RU-STA", "RU-STA")
POLOTSK = Party("Polotsk", "BY", "city", "BY-VI", "BY-VI:polotsk")
VELIKIYE_LUKI = Party("Velikiye Luki", "RU", "city", "RU-PSK", "RU-PSK:velikiye-luki")
RUSSIAN_REGIONS = Party("Russian regions", "RU", "group")

PLACES = pl.DataFrame(
    [
        ("BY", "Belarus", "Беларусь", "BY", "country", None, None),
        ("BY-VI", "Vitebsk Oblast", "Витебская область", "BY", "region", "BY-VI", "BY"),
        ("BY-BR", "Brest Oblast", "Брестская область", "BY", "region", "BY-BR", "BY"),
        ("RU-PSK", "Pskov Oblast", "Псковская область", "RU", "region", "RU-PSK", "RU"),
        ("RU-BRY", "Bryansk Oblast", "Брянская область", "RU", "region", "RU-BRY", "RU"),
        ("RU-SMO", "Smolensk Oblast", "Смоленская область", "RU", "region", "RU-SMO", "RU"),
        ("RU-STA", "Stavropol Krai", "Ставропольский край", "RU", "region", "RU-STA", "RU"),
        ("BY-VI:polotsk", "Polotsk", "Полоцк", "BY", "city", "BY-VI", "BY-VI"),
        ("RU-PSK:velikiye-luki", "Velikiye Luki", "Великие Луки", "RU", "city", "RU-PSK", "RU-PSK"),
    ],
    schema=["place_id", "name", "name_ru", "country", "level", "region", "parent"],
    orient="row",
)


@dataclass(frozen=True)
class Doc:
    name: str
    language: str
    text: str

    @property
    def doc_id(self) -> str:
        return f"doc_{self.name.split('.')[0]}"


EN = Doc(
    "belta_2022.txt",
    "en",
    "MINSK, 14 March (BelTA). The Vitebsk region and the Pskov region signed a cooperation "
    "agreement in May 2019, the governor recalled. In 2021 trade between Belarus and the "
    "Bryansk region amounted to $1.2 billion. A year earlier, in 2020, the trade turnover with "
    "the Bryansk region reached $1.05 billion. In 2022 trade with the Bryansk region rose to "
    "$1.31 billion. Polotsk and Velikiye Luki have been twin towns since 1996.",
)
RU = Doc(
    "gov_bryansk.txt",
    "ru",
    "Брянск, 20 января. В 2019 году Витебская область подписала соглашение о сотрудничестве с "
    "Псковской областью. Товарооборот Беларуси с Брянской областью в 2021 году составил "
    "1,5 млрд долларов. Великие Луки и Полоцк являются городами-побратимами. В 2022 году "
    "товарооборот с Брянской областью составил 1,3 млрд долларов. В 2022 году Брянскую "
    "область посетили 12 делегаций белорусских регионов.",
)
STAVROPOL_EN = Doc(
    "stavropol_en.txt",
    "en",
    "Stavropol, 3 June. Brest Oblast and Stavropol Krai signed an agreement on cooperation in "
    "2000. Exports of Belarus to Smolensk Oblast exceeded $400 million in 2021.",
)
STAVROPOL_RU = Doc(
    "stavropol_ru.txt",
    "ru",
    "Ставрополь, 5 июня. Соглашение о сотрудничестве между Брестской областью и "
    "Ставропольским краем подписано в 2002 году. Смоленская область импортировала из "
    "Беларуси товаров на 405 млн долларов в 2021 году. Губернатор Смоленской области "
    "посетил Минск 12 мая 2023 года.",
)


def staged_document(doc: Doc) -> dict:
    return {
        "doc_name": doc.name,
        "document": {
            "doc_id": doc.doc_id,
            "doc_name": doc.name,
            "sha256": doc.doc_id,
            "language": doc.language,
            "n_chars": len(doc.text),
            "text": doc.text,
            "encoding": "utf-8",
            "markup": "text",
            "n_bytes": len(doc.text.encode()),
        },
        "zones": [[0, len(doc.text), "body"]],
        "rejections": [],
    }


def evidence(doc: Doc, quote: str, rule: str = "test.rule") -> Evidence:
    text = doc.text
    start = text.index(quote)
    return Evidence(start, start + len(quote), quote, start, start + len(quote), rule, "test@1", 0.9)


def agreement(doc: Doc, quote, a, b, year, month=None, day=None, kind="cooperation_agreement") -> Fact:
    attrs = {"kind": kind, "year": year, "month": month, "day": day, "place": None}
    return Fact("agreements", a, b, attrs, evidence(doc, quote))


def visit(doc: Doc, quote, a, b, year, month=None, day=None, head=None, place=None, count=1) -> Fact:
    attrs = {"head": head, "year": year, "month": month, "day": day, "place": place}
    return Fact("visits", a, b, attrs, evidence(doc, quote), aggregate=count > 1, count=count)


def trade(doc: Doc, quote, a, b, year, value, flow="turnover", qualifier="exact", currency="USD") -> Fact:
    attrs = {
        "flow": flow,
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 1),
        "value": value,
        "currency": currency,
        "qualifier": qualifier,
        "change_pct": None,
    }
    return Fact("trade_flows", a, b, attrs, evidence(doc, quote))


def twinning(doc: Doc, quote, a, b, year=None) -> Fact:
    return Fact("twinnings", a, b, {"year": year, "month": None}, evidence(doc, quote))


def corpus_facts() -> dict[Doc, list[Fact]]:
    en, ru, sen, sru = EN, RU, STAVROPOL_EN, STAVROPOL_RU
    return {
        en: [
            agreement(en, "signed a cooperation agreement in May 2019", VITEBSK, PSKOV, 2019, 5),
            trade(
                en,
                "In 2021 trade between Belarus and the Bryansk region amounted to $1.2 billion",
                BELARUS,
                BRYANSK,
                2021,
                1.2e9,
            ),
            trade(
                en,
                "in 2020, the trade turnover with the Bryansk region reached $1.05 billion",
                BELARUS,
                BRYANSK,
                2020,
                1.05e9,
            ),
            trade(
                en,
                "In 2022 trade with the Bryansk region rose to $1.31 billion",
                BELARUS,
                BRYANSK,
                2022,
                1.31e9,
            ),
            twinning(
                en, "Polotsk and Velikiye Luki have been twin towns since 1996", POLOTSK, VELIKIYE_LUKI, 1996
            ),
        ],
        ru: [
            agreement(
                ru,
                "В 2019 году Витебская область подписала соглашение о сотрудничестве",
                VITEBSK,
                PSKOV,
                2019,
            ),
            trade(
                ru,
                "Товарооборот Беларуси с Брянской областью в 2021 году составил 1,5 млрд долларов",
                BELARUS,
                BRYANSK,
                2021,
                1.5e9,
            ),
            # Written the other way round: the twinning is one row all the same.
            twinning(ru, "Великие Луки и Полоцк являются городами-побратимами", VELIKIYE_LUKI, POLOTSK),
            trade(
                ru,
                "В 2022 году товарооборот с Брянской областью составил 1,3 млрд долларов",
                BRYANSK,
                BELARUS,
                2022,
                1.3e9,
            ),
            visit(
                ru,
                "Брянскую область посетили 12 делегаций белорусских регионов",
                Party("Belarusian regions", "BY", "group"),
                BRYANSK,
                2022,
                count=12,
            ),
        ],
        sen: [
            agreement(
                sen,
                "Brest Oblast and Stavropol Krai signed an agreement on cooperation in 2000",
                BREST,
                STAVROPOL,
                2000,
            ),
            trade(
                sen,
                "Exports of Belarus to Smolensk Oblast exceeded $400 million in 2021",
                BELARUS,
                SMOLENSK,
                2021,
                4e8,
                "export_a_to_b",
                "over",
            ),
        ],
        sru: [
            agreement(
                sru,
                "Соглашение о сотрудничестве между Брестской областью и Ставропольским краем подписано в 2002 году",
                STAVROPOL,
                BREST,
                2002,
            ),
            # Smolensk's imports from Belarus are Belarus' exports to Smolensk: the same flow.
            trade(
                sru,
                "Смоленская область импортировала из Беларуси товаров на 405 млн долларов в 2021 году",
                SMOLENSK,
                BELARUS,
                2021,
                4.05e8,
                "export_b_to_a",
            ),
            visit(
                sru,
                "Губернатор Смоленской области посетил Минск 12 мая 2023 года",
                SMOLENSK,
                BELARUS,
                2023,
                5,
                12,
                "Governor of Smolensk Oblast",
                "Minsk",
            ),
        ],
    }


def build(facts_by_doc: dict[Doc, list[Fact]], places: pl.DataFrame | None = PLACES) -> Tables:
    staged_docs = [staged_document(d) for d in facts_by_doc]
    staged_facts = [
        {"doc_name": d.name, "doc_id": d.doc_id, "facts": facts, "rejections": []}
        for d, facts in facts_by_doc.items()
    ]
    return build_tables(zip(staged_docs, staged_facts, strict=True), places)


def publish(warehouse_dir: Path, facts_by_doc: dict[Doc, list[Fact]] | None = None) -> Tables:
    """The corpus as a published warehouse (DuckDB with the views, and the Parquet exports)."""
    tables = build(facts_by_doc or corpus_facts())
    write_database(tables.frames, warehouse_dir, views_sql())
    export_parquet(warehouse_dir)
    return tables
