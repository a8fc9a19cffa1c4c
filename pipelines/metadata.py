"""Dagster metadata for a table: row count, column schema and a Markdown preview."""

from __future__ import annotations

import dagster as dg
import polars as pl

PREVIEW_ROWS = 5
PREVIEW_CELL = 60


def markdown_preview(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    cols = [c for c in frame.columns if c != "text"]
    if not cols:
        return "(no columns)"

    def cell(v) -> str:
        s = "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")
        return s if len(s) <= PREVIEW_CELL else s[: PREVIEW_CELL - 1] + "…"

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.select(cols).head(rows).iter_rows():
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def table_metadata(frame: pl.DataFrame) -> dict:
    return {
        "dagster/row_count": frame.height,
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()]
        ),
        "preview": dg.MetadataValue.md(markdown_preview(frame)),
    }
