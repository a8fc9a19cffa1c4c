"""Fusion: one row per fact across documents and languages, stable ids, honest conflicts."""

from __future__ import annotations

import polars as pl
from fusion_corpus import (
    BELARUS,
    BREST,
    BRYANSK,
    EN,
    PSKOV,
    RU,
    SMOLENSK,
    STAVROPOL,
    STAVROPOL_EN,
    STAVROPOL_RU,
    VITEBSK,
    Doc,
    agreement,
    build,
    corpus_facts,
    trade,
    visit,
)

from pipelines.fusion import significant_digits
from pipelines.model import Party


def one(frame: pl.DataFrame, **where) -> dict:
    rows = frame.filter(*[pl.col(k) == v for k, v in where.items()]).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def quotes_round_trip(tables) -> bool:
    texts = {d["doc_id"]: d["text"] for d in tables.frames["documents"].to_dicts()}
    return all(
        texts[e["doc_id"]][e["char_start"] : e["char_end"]] == e["quote"]
        for e in tables.frames["evidence"].to_dicts()
    )


def test_one_agreement_in_an_english_and_a_russian_document_is_one_row_with_the_finer_date():
    t = build(corpus_facts())
    row = one(t.frames["agreements"], a_name="Vitebsk Oblast")
    # "in May 2019" (English) and "В 2019 году" (Russian): one agreement, dated to the month.
    assert (row["year"], row["month"], row["day"]) == (2019, 5, None)
    assert row["n_sources"] == 2 and row["n_mentions"] == 2
    ev = t.frames["evidence"].filter(pl.col("fact_id") == row["fact_id"])
    assert sorted(ev["doc_id"].to_list()) == sorted([EN.doc_id, RU.doc_id])
    assert quotes_round_trip(t)


def test_fact_ids_survive_reruns_document_order_and_a_more_precise_new_document():
    facts = corpus_facts()
    first = build(facts)
    again = build(dict(reversed(list(facts.items()))))
    for table in ("agreements", "visits", "trade_flows", "twinnings", "evidence", "conflicts"):
        key = "conflict_id" if table == "conflicts" else "fact_id"
        sort = [key, "doc_id", "char_start"] if table == "evidence" else [key]
        assert first.frames[table].sort(sort).equals(again.frames[table].sort(sort)), table
    # The Russian document alone dates the agreement to the year; adding the English one,
    # which gives the month, enriches the row but keeps its id.
    alone = build({RU: facts[RU]})
    assert (
        one(alone.frames["agreements"], a_name="Vitebsk Oblast")["fact_id"]
        == one(first.frames["agreements"], a_name="Vitebsk Oblast")["fact_id"]
    )


def test_a_twinning_written_both_ways_round_is_one_row_with_the_belarusian_side_first():
    t = build(corpus_facts())
    assert t.frames["twinnings"].height == 1
    row = t.frames["twinnings"].row(0, named=True)
    assert (row["a_name"], row["b_name"], row["year"], row["n_sources"]) == (
        "Polotsk",
        "Velikiye Luki",
        1996,
        2,
    )


def test_imports_of_one_side_are_exports_of_the_other_and_opposite_flows_stay_apart():
    t = build(corpus_facts())
    row = one(t.frames["trade_flows"], b_name="Smolensk Oblast")
    # "Belarus exported over $400 million to Smolensk" + "Smolensk imported $405 million from Belarus"
    assert (row["a_name"], row["flow"], row["value"], row["qualifier"]) == (
        "Belarus",
        "export_a_to_b",
        4.05e8,
        "exact",
    )
    assert row["n_sources"] == 2
    doc = Doc("smolensk.txt", "en", "Belarus imported goods worth $405 million from Smolensk Oblast in 2021.")
    imports = trade(
        doc,
        "Belarus imported goods worth $405 million from Smolensk Oblast in 2021",
        BELARUS,
        SMOLENSK,
        2021,
        4.05e8,
        "export_b_to_a",
    )
    t2 = build({**corpus_facts(), doc: [imports]})
    assert sorted(
        t2.frames["trade_flows"].filter(pl.col("b_name") == "Smolensk Oblast")["flow"].to_list()
    ) == [
        "export_a_to_b",
        "export_b_to_a",
    ]


def test_trade_values_more_than_two_percent_apart_stay_two_rows_and_are_listed_as_a_conflict():
    t = build(corpus_facts())
    flows = t.frames["trade_flows"].filter(pl.col("b_name") == "Bryansk Oblast")
    assert sorted(flows.filter(pl.col("period_end").dt.year() == 2021)["value"].to_list()) == [1.2e9, 1.5e9]
    # $1.31 billion (English) and 1,3 млрд (Russian, parties the other way round) are within 2%: one fact
    # with the more precise figure.
    y2022 = one(flows, period_end=pl.date(2022, 12, 1))
    assert (y2022["value"], y2022["n_sources"]) == (1.31e9, 2)
    conflicts = t.frames["conflicts"].filter(pl.col("table_name") == "trade_flows")
    assert conflicts.height == 1
    c = conflicts.row(0, named=True)
    assert c["field"] == "value" and c["diff_pct"] == 25.0
    assert {c["value_1"], c["value_2"]} == {"1,200,000,000 USD", "1,500,000,000 USD"}
    assert {c["doc_name_1"], c["doc_name_2"]} == {EN.name, RU.name}
    texts = {EN.doc_id: EN.text, RU.doc_id: RU.text}
    for n in (1, 2):
        assert texts[c[f"doc_id_{n}"]][c[f"char_start_{n}"] : c[f"char_end_{n}"]] == c[f"quote_{n}"]
    assert {c["fact_id_1"], c["fact_id_2"]} == set(
        flows.filter(pl.col("period_end").dt.year() == 2021)["fact_id"]
    )


def test_a_bound_does_not_contradict_a_figure_it_allows_but_does_contradict_one_it_excludes():
    doc = Doc(
        "bounds.txt",
        "en",
        "In 2019 exports of Belarus to Pskov Oblast exceeded $100 million. Exports to Pskov Oblast "
        "in 2019 were $130 million. Trade with Vitebsk Oblast partners in Pskov Oblast stayed under "
        "$50 million in 2018, while another source puts the 2018 turnover at $64 million.",
    )
    facts = [
        trade(
            doc,
            "exports of Belarus to Pskov Oblast exceeded $100 million",
            BELARUS,
            PSKOV,
            2019,
            1e8,
            "export_a_to_b",
            "over",
        ),
        trade(
            doc,
            "Exports to Pskov Oblast in 2019 were $130 million",
            BELARUS,
            PSKOV,
            2019,
            1.3e8,
            "export_a_to_b",
        ),
        trade(doc, "stayed under $50 million in 2018", BELARUS, PSKOV, 2018, 5e7, qualifier="under"),
        trade(doc, "puts the 2018 turnover at $64 million", BELARUS, PSKOV, 2018, 6.4e7),
    ]
    t = build({doc: facts})
    assert t.frames["trade_flows"].height == 4  # 30% and 28% apart: never one fact
    conflicts = t.frames["conflicts"]
    assert conflicts.height == 1  # over $100m vs $130m agree; under $50m vs $64m do not
    assert conflicts["identity"][0].startswith("turnover 2018-01-01")


def test_an_agreement_dated_to_two_years_by_two_documents_is_two_rows_and_a_conflict():
    t = build({STAVROPOL_EN: corpus_facts()[STAVROPOL_EN], STAVROPOL_RU: corpus_facts()[STAVROPOL_RU]})
    rows = t.frames["agreements"].filter(pl.col("a_name") == "Brest Oblast")
    assert sorted(rows["year"].to_list()) == [2000, 2002]
    assert rows["b_name"].to_list() == ["Stavropol Krai", "Stavropol Krai"]  # Belarusian side first
    c = one(t.frames["conflicts"], table_name="agreements")
    assert c["field"] == "year" and {c["value_1"], c["value_2"]} == {"2000", "2002"}
    assert "2002 году" in (c["quote_1"] + c["quote_2"]) and "in 2000" in (c["quote_1"] + c["quote_2"])


def test_a_book_that_records_an_agreement_and_its_successor_contradicts_nobody():
    book = Doc(
        "book.txt",
        "en",
        "Brest Oblast and Stavropol Krai signed a cooperation agreement in 2000. In 2017 the two "
        "regions signed a new cooperation agreement.",
    )
    news = Doc(
        "news.txt",
        "ru",
        "В 2017 году Брестская область и Ставропольский край подписали новое соглашение о сотрудничестве.",
    )
    t = build(
        {
            book: [
                agreement(
                    book,
                    "Brest Oblast and Stavropol Krai signed a cooperation agreement in 2000",
                    BREST,
                    STAVROPOL,
                    2000,
                ),
                agreement(
                    book, "In 2017 the two regions signed a new cooperation agreement", BREST, STAVROPOL, 2017
                ),
            ],
            news: [
                agreement(
                    news,
                    "В 2017 году Брестская область и Ставропольский край подписали новое соглашение",
                    STAVROPOL,
                    BREST,
                    2017,
                )
            ],
        }
    )
    assert sorted(t.frames["agreements"].select("year", "n_sources").rows()) == [(2000, 1), (2017, 2)]
    assert t.frames["conflicts"].is_empty()


def test_an_undated_mention_does_not_excuse_a_contradiction():
    book = Doc(
        "book2.txt",
        "en",
        "Brest Oblast and Stavropol Krai signed a cooperation agreement in 2000. The agreement "
        "between Brest Oblast and Stavropol Krai is being implemented.",
    )
    facts = {
        book: [
            agreement(
                book,
                "Brest Oblast and Stavropol Krai signed a cooperation agreement in 2000",
                BREST,
                STAVROPOL,
                2000,
            ),
            agreement(book, "The agreement between Brest Oblast and Stavropol Krai", BREST, STAVROPOL, None),
        ],
        STAVROPOL_RU: corpus_facts()[STAVROPOL_RU],
    }
    t = build(facts)
    assert sorted(
        t.frames["agreements"].filter(pl.col("a_name") == "Brest Oblast")["year"].to_list(), key=str
    ) == [2000, 2002, None]
    c = one(t.frames["conflicts"], table_name="agreements")
    assert {c["value_1"], c["value_2"]} == {"2000", "2002"} and "in 2000" in c["quote_1"] + c["quote_2"]


def test_a_statement_that_fits_two_facts_is_not_assigned_by_guess():
    docs = [
        Doc("a.txt", "en", "Vitebsk Oblast and Pskov Oblast signed a memorandum in March 2019."),
        Doc("b.txt", "ru", "В мае 2019 года Витебская и Псковская области подписали меморандум."),
        Doc("c.txt", "en", "In 2019 Vitebsk Oblast and Pskov Oblast signed a memorandum."),
    ]
    quotes = [
        "signed a memorandum in March 2019",
        "В мае 2019 года Витебская и Псковская области подписали меморандум",
        "In 2019 Vitebsk Oblast and Pskov Oblast signed a memorandum",
    ]
    months = [3, 5, None]
    t = build(
        {
            d: [agreement(d, q, VITEBSK, PSKOV, 2019, m, kind="memorandum")]
            for d, q, m in zip(docs, quotes, months, strict=True)
        }
    )
    rows = t.frames["agreements"]
    assert sorted(rows["month"].to_list(), key=str) == [3, 5, None]
    assert rows["fact_id"].n_unique() == 3 and set(rows["n_sources"]) == {1}
    c = one(t.frames["conflicts"], table_name="agreements")
    assert c["field"] == "month" and {c["value_1"], c["value_2"]} == {"2019-03", "2019-05"}


def test_each_contradicted_fact_is_listed_once_against_the_best_attested_date_not_pairwise():
    # Three news items date the Vitebsk-Pskov agreement to 2019, three others to 2016, 2017 and
    # 2018, one each: every dissenting date is one conflict with 2019, not one with each other.
    years = [2019, 2019, 2019, 2016, 2017, 2018]
    docs = [
        Doc(f"n{i}.txt", "en", f"Vitebsk Oblast and Pskov Oblast signed a cooperation agreement in {y}.")
        for i, y in enumerate(years)
    ]
    t = build(
        {d: [agreement(d, d.text.rstrip("."), VITEBSK, PSKOV, y)] for d, y in zip(docs, years, strict=True)}
    )
    facts = t.frames["agreements"]
    assert sorted(facts.select("year", "n_sources").rows()) == [(2016, 1), (2017, 1), (2018, 1), (2019, 3)]
    conflicts = t.frames["conflicts"]
    assert conflicts.height == 3  # pairwise it would be 6
    consensus = one(facts, year=2019)["fact_id"]
    for c in conflicts.iter_rows(named=True):
        assert consensus in (c["fact_id_1"], c["fact_id_2"]) and c["field"] == "year"
        assert "2019" in (c["value_1"], c["value_2"])
    assert set(conflicts["fact_id_1"]) | set(conflicts["fact_id_2"]) == set(facts["fact_id"])


def test_a_fact_the_best_attested_date_does_not_contradict_is_paired_with_the_next_that_does():
    # "2019" (three items) contradicts neither "May 2019" nor "June 2019", which contradict each
    # other: the two months are listed together, the year with nobody.
    whens = ["2019", "2019", "2019", "May 2019", "June 2019"]
    dates = [(2019, None)] * 3 + [(2019, 5), (2019, 6)]
    docs = [
        Doc(f"m{i}.txt", "en", f"Vitebsk and Pskov signed an agreement in {w}.") for i, w in enumerate(whens)
    ]
    t = build(
        {
            d: [agreement(d, d.text.rstrip("."), VITEBSK, PSKOV, y, m)]
            for d, (y, m) in zip(docs, dates, strict=True)
        }
    )
    assert sorted(t.frames["agreements"].select("month", "n_sources").rows(), key=str) == [
        (5, 1),
        (6, 1),
        (None, 3),
    ]
    c = one(t.frames["conflicts"], table_name="agreements")
    assert c["field"] == "month" and {c["value_1"], c["value_2"]} == {"2019-05", "2019-06"}


def test_trade_values_far_apart_are_each_listed_once_against_the_best_attested_value():
    values = [1.0e9, 1.0e9, 1.2e9, 1.4e9, 1.6e9]
    docs = [
        Doc(f"t{i}.txt", "en", f"In 2021 trade with the Bryansk region reached ${v / 1e9} billion.")
        for i, v in enumerate(values)
    ]
    t = build(
        {
            d: [trade(d, d.text.rstrip("."), BELARUS, BRYANSK, 2021, v)]
            for d, v in zip(docs, values, strict=True)
        }
    )
    best = one(t.frames["trade_flows"], value=1.0e9)
    assert best["n_sources"] == 2
    conflicts = t.frames["conflicts"]
    assert sorted(conflicts["diff_pct"].to_list()) == [20.0, 40.0, 60.0]  # pairwise: 10 rows
    assert all(best["fact_id"] in (c["fact_id_1"], c["fact_id_2"]) for c in conflicts.iter_rows(named=True))


def test_visits_on_two_days_are_two_visits_and_a_visit_dated_to_the_month_joins_the_dated_one():
    docs = [
        Doc("v1.txt", "ru", "Губернатор Смоленской области посетил Минск 12 мая 2023 года."),
        Doc("v2.txt", "en", "The Governor of Smolensk Oblast visited Minsk on 20 May 2023."),
        Doc("v3.txt", "en", "In May 2023 a delegation of Smolensk Oblast led by its governor came to Minsk."),
    ]
    t = build(
        {
            docs[0]: [
                visit(
                    docs[0],
                    "Губернатор Смоленской области посетил Минск 12 мая 2023 года",
                    SMOLENSK,
                    BELARUS,
                    2023,
                    5,
                    12,
                )
            ],
            docs[1]: [
                visit(
                    docs[1],
                    "The Governor of Smolensk Oblast visited Minsk on 20 May 2023",
                    SMOLENSK,
                    BELARUS,
                    2023,
                    5,
                    20,
                )
            ],
        }
    )
    assert sorted(t.frames["visits"]["day"].to_list()) == [12, 20]
    assert t.frames["conflicts"].is_empty()  # two dates are two visits, not a contradiction
    q = "In May 2023 a delegation of Smolensk Oblast led by its governor came to Minsk"
    t2 = build(
        {
            docs[0]: [
                visit(
                    docs[0],
                    "Губернатор Смоленской области посетил Минск 12 мая 2023 года",
                    SMOLENSK,
                    BELARUS,
                    2023,
                    5,
                    12,
                )
            ],
            docs[2]: [visit(docs[2], q, SMOLENSK, BELARUS, 2023, 5, head="governor", place="Minsk")],
        }
    )
    row = t2.frames["visits"].row(0, named=True)
    assert t2.frames["visits"].height == 1
    assert (row["day"], row["head"], row["place"], row["n_sources"]) == (12, "governor", "Minsk", 2)
    # A visit is directed: the host visiting back is another fact.
    back = Doc("v4.txt", "en", "A Belarusian delegation visited Smolensk Oblast in May 2023.")
    t3 = build(
        {
            docs[2]: [visit(docs[2], q, SMOLENSK, BELARUS, 2023, 5)],
            back: [
                visit(
                    back,
                    "A Belarusian delegation visited Smolensk Oblast in May 2023",
                    BELARUS,
                    SMOLENSK,
                    2023,
                    5,
                )
            ],
        }
    )
    assert t3.frames["visits"].height == 2


def test_two_statements_in_one_document_are_two_mentions_of_one_source():
    doc = Doc(
        "twice.txt",
        "en",
        "In 2021 trade with Bryansk Oblast reached $1.2 billion. As noted, the 2021 turnover was $1.2 billion.",
    )
    t = build(
        {
            doc: [
                trade(
                    doc,
                    "In 2021 trade with Bryansk Oblast reached $1.2 billion",
                    BELARUS,
                    BRYANSK,
                    2021,
                    1.2e9,
                ),
                trade(doc, "the 2021 turnover was $1.2 billion", BELARUS, BRYANSK, 2021, 1.2e9),
                trade(
                    doc, "the 2021 turnover was $1.2 billion", BELARUS, BRYANSK, 2021, 1.2e9
                ),  # a rule firing twice
            ]
        }
    )
    row = t.frames["trade_flows"].row(0, named=True)
    assert (t.frames["trade_flows"].height, row["n_sources"], row["n_mentions"]) == (1, 1, 2)
    assert t.frames["evidence"].height == 2


def test_aggregates_are_told_apart_by_their_count_and_never_conflict():
    groups = Party("Russian regions", "RU", "group")
    doc1 = Doc("g1.txt", "ru", "В 2024 году Беларусь посетили 36 делегаций российских регионов.")
    doc2 = Doc(
        "g2.txt",
        "ru",
        "В 2024 году 14 делегаций российских регионов приняли участие в Форуме регионов в Витебске.",
    )
    t = build(
        {
            doc1: [
                visit(
                    doc1,
                    "В 2024 году Беларусь посетили 36 делегаций российских регионов",
                    groups,
                    BELARUS,
                    2024,
                    count=36,
                )
            ],
            doc2: [
                visit(
                    doc2,
                    "14 делегаций российских регионов приняли участие в Форуме регионов в Витебске",
                    groups,
                    BELARUS,
                    2024,
                    count=14,
                )
            ],
        }
    )
    assert sorted(t.frames["visits"]["count"].to_list()) == [14, 36]
    assert t.frames["visits"]["a_place_id"].to_list() == [None, None]  # a group is no place
    assert t.frames["conflicts"].is_empty()


def test_a_party_without_place_id_is_linked_to_the_gazetteer_before_fusion():
    doc = Doc(
        "link.txt",
        "en",
        "Vitebsk Oblast and Pskov Oblast signed an agreement in 2019. The Vitebsk region signed it in 2019.",
    )
    bare = Party("Vitebsk Oblast", "BY", "region", "BY-VI")  # as a hand-written rule might build it
    t = build(
        {
            doc: [
                agreement(
                    doc,
                    "Vitebsk Oblast and Pskov Oblast signed an agreement in 2019",
                    bare,
                    Party("Pskov Oblast", "RU", "region", "RU-PSK"),
                    2019,
                ),
                agreement(doc, "The Vitebsk region signed it in 2019", VITEBSK, PSKOV, 2019),
            ]
        }
    )
    row = t.frames["agreements"].row(0, named=True)
    assert t.frames["agreements"].height == 1
    assert (row["a_place_id"], row["b_place_id"], row["n_mentions"]) == ("BY-VI", "RU-PSK", 2)


def test_significant_digits_rank_the_more_precise_figure_first():
    assert significant_digits(1.2e9) == 2
    assert significant_digits(1213500000.0) == 5
    assert significant_digits(4.05e8) == 3
