"""Pandera (polars) schemas of the fact tables, one named rule per check.

Each rule becomes a Dagster asset check of its table (see assets/warehouse.py), and a row that
breaks a rule goes to ``rejections`` with the rule's name: the valid rows are still published.
Columns starting with ``_`` are computed for validation only (e.g. whether the evidence quote
is the document's slice) and are dropped before publishing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandera.polars as pa
import polars as pl
import pycountry

from pipelines.model import FACT_TABLES, LEVELS

KINDS = (
    "cooperation_agreement",
    "action_plan",
    "programme",
    "memorandum",
    "protocol",
    "roadmap",
    "twinning_agreement",
    "other",
)
FLOWS = ("turnover", "export_a_to_b", "export_b_to_a")
QUALIFIERS = ("exact", "approx", "over", "under")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    column: str
    check: pa.Check
    description: str


@cache
def iso_countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def iso_regions() -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions)


@cache
def iso_currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _party_rules() -> list[Rule]:
    rules = []
    for side in ("a", "b"):
        rules += [
            Rule(
                f"{side}_name_present",
                f"{side}_name",
                pa.Check.str_length(min_value=1),
                f"party {side} has a name",
            ),
            Rule(
                f"{side}_level_known",
                f"{side}_level",
                pa.Check.isin(LEVELS),
                f"party {side}'s level is one of {LEVELS}",
            ),
            Rule(
                f"{side}_country_iso",
                f"{side}_country",
                pa.Check.isin(sorted(iso_countries())),
                f"party {side}'s country is an ISO 3166-1 alpha-2 code",
            ),
            Rule(
                f"{side}_region_iso",
                f"{side}_region",
                pa.Check.isin(sorted(iso_regions())),
                f"party {side}'s region is an existing ISO 3166-2 code",
            ),
            Rule(
                f"{side}_region_in_country",
                f"_{side}_region_in_country",
                pa.Check.eq(True),
                f"party {side}'s region code belongs to its country",
            ),
        ]
    return rules


def _date_rules() -> list[Rule]:
    return [
        Rule("year_plausible", "year", pa.Check.in_range(1945, 2100), "year between 1945 and 2100"),
        Rule("month_in_range", "month", pa.Check.in_range(1, 12), "month between 1 and 12"),
        Rule("day_in_range", "day", pa.Check.in_range(1, 31), "day between 1 and 31"),
    ]


COMMON_RULES = [
    Rule("count_positive", "count", pa.Check.ge(1), "count is at least 1"),
    Rule(
        "evidence_in_text",
        "_span_in_text",
        pa.Check.eq(True),
        "the evidence span lies inside the document text",
    ),
    Rule(
        "evidence_quote_matches",
        "_quote_matches",
        pa.Check.eq(True),
        "the evidence quote is exactly the document text at its offsets",
    ),
]


@cache
def rules() -> dict[str, list[Rule]]:
    return {
        "agreements": _party_rules()
        + COMMON_RULES
        + _date_rules()
        + [
            Rule("kind_known", "kind", pa.Check.isin(KINDS), f"kind is one of {KINDS}"),
        ],
        "visits": _party_rules() + COMMON_RULES + _date_rules(),
        "trade_flows": _party_rules()
        + COMMON_RULES
        + [
            Rule("flow_known", "flow", pa.Check.isin(FLOWS), f"flow is one of {FLOWS}"),
            Rule("value_positive", "value", pa.Check.gt(0), "value is a positive amount"),
            Rule(
                "currency_iso",
                "currency",
                pa.Check.isin(sorted(iso_currencies())),
                "currency is an ISO 4217 code",
            ),
            Rule(
                "qualifier_known", "qualifier", pa.Check.isin(QUALIFIERS), f"qualifier is one of {QUALIFIERS}"
            ),
            Rule(
                "period_ordered",
                "_period_ordered",
                pa.Check.eq(True),
                "period_start is on or before period_end",
            ),
            Rule(
                "change_pct_plausible",
                "change_pct",
                pa.Check.in_range(-100, 100000),
                "change_pct is above -100%",
            ),
        ],
        "twinnings": _party_rules() + COMMON_RULES + [r for r in _date_rules() if r.name != "day_in_range"],
    }


# Columns that may be NULL in a valid row.
NULLABLE = {
    "a_region",
    "b_region",
    "a_country",
    "b_country",
    "year",
    "month",
    "day",
    "place",
    "head",
    "change_pct",
}


@cache
def schema(table: str) -> pa.DataFrameSchema:
    assert table in FACT_TABLES
    columns: dict[str, pa.Column] = {}
    for rule in rules()[table]:
        col = columns.get(rule.column)
        checks = [*col.checks, rule.check] if col else [rule.check]
        columns[rule.column] = pa.Column(checks=checks, nullable=rule.column in NULLABLE, required=True)
    return pa.DataFrameSchema(columns, strict=False)


def rule_of(table: str, column: str, check_number: int) -> Rule | None:
    """The named rule behind one of pandera's failure cases."""
    on_column = [r for r in rules()[table] if r.column == column]
    return on_column[check_number] if 0 <= check_number < len(on_column) else None


def failures(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Failure cases of ``frame`` against the table's schema: one row per (row index, rule)."""
    empty = pl.DataFrame(
        schema={"index": pl.Int64, "rule": pl.Utf8, "column": pl.Utf8, "failure_case": pl.Utf8}
    )
    if frame.is_empty():
        return empty
    try:
        schema(table).validate(frame, lazy=True)
        return empty
    except pa.errors.SchemaErrors as e:
        fc = e.failure_cases
    rows = []
    for r in fc.iter_rows(named=True):
        rule = (
            rule_of(table, r["column"], r["check_number"])
            if r["column"] and r["check_number"] is not None
            else None
        )
        name = rule.name if rule else f"schema:{r['check']}"
        rows.append(
            {"index": r["index"], "rule": name, "column": r["column"], "failure_case": str(r["failure_case"])}
        )
    return pl.DataFrame(rows, schema=empty.schema)
