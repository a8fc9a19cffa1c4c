# %% [markdown]
# # Cooperation of Belarus with Russian regions: trade series and twin towns
#
# Reads only the Parquet exports of the warehouse with Polars (no DuckDB, no project code), so
# it runs anywhere the exports are copied to. Run it as a script
# (`.venv/bin/python notebooks/cooperation.py`), cell by cell in VS Code or PyCharm (the `# %%`
# markers), or in Jupyter through jupytext. Settings, from the environment:
#
# - `COOP_EXPORTS`: the folder of `<table>.parquet` files (default `warehouse/exports`);
# - `COOP_NOTEBOOK_OUT`: where the chart is saved (default `notebooks/out`);
# - `COOP_TOP_PARTNERS`: how many trade partners to draw (default 6).

# %%
import os
import sys
from pathlib import Path

import matplotlib
import polars as pl

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # headless outside Jupyter: the chart goes to a file
import matplotlib.pyplot as plt  # noqa: E402

EXPORTS = Path(os.environ.get("COOP_EXPORTS", "warehouse/exports"))
OUT = Path(os.environ.get("COOP_NOTEBOOK_OUT", "notebooks/out"))
TOP = int(os.environ.get("COOP_TOP_PARTNERS", "6"))
OUT.mkdir(parents=True, exist_ok=True)
pl.Config.set_tbl_rows(50)
pl.Config.set_tbl_width_chars(140)
pl.Config.set_fmt_str_lengths(40)


def read(table: str) -> pl.DataFrame:
    return pl.read_parquet(EXPORTS / f"{table}.parquet")


trade_flows, twinnings, conflicts = read("trade_flows"), read("twinnings"), read("conflicts")
print(
    f"{trade_flows.height} trade figures, {twinnings.height} twinnings, {conflicts.height} conflicts in {EXPORTS}"
)

# %% [markdown]
# ## Trade turnover by year, top partners
#
# Whole-year turnover figures of single facts, one per pair and year. Where documents disagree
# on a year (the `conflicts` table lists them), the figure stated by the most documents is drawn,
# an exact one before an approximate one. Partners are ranked by their largest yearly figure.

# %%
months = (
    (pl.col("period_end").dt.year() - pl.col("period_start").dt.year()) * 12
    + pl.col("period_end").dt.month()
    - pl.col("period_start").dt.month()
    + 1
)
yearly = (
    trade_flows.filter(~pl.col("aggregate"), pl.col("flow") == "turnover", months == 12)
    .with_columns(
        year=pl.col("period_end").dt.year(),
        pair=pl.col("a_name") + " – " + pl.col("b_name"),
        exact=pl.col("qualifier") == "exact",
    )
    .with_columns(disputed=pl.col("value").n_unique().over("pair", "currency", "year") > 1)
    .sort(["n_sources", "exact", "n_mentions", "fact_id"], descending=[True, True, True, False])
    .unique(["pair", "currency", "year"], keep="first", maintain_order=True)
)
currency = yearly["currency"].mode().sort().first() if yearly.height else "USD"
top = (
    yearly.filter(pl.col("currency") == currency)
    .group_by("pair")
    .agg(pl.col("value").max().alias("largest"), pl.len().alias("years"))
    .sort(["largest", "pair"], descending=[True, False])
    .head(TOP)
)
series = (
    yearly.filter(pl.col("currency") == currency, pl.col("pair").is_in(top["pair"].implode()))
    .select(
        "pair", "year", (pl.col("value") / 1e6).round(1).alias(f"million {currency}"), "n_sources", "disputed"
    )
    .sort("pair", "year")
)
partners = f"top {top.height} partner{'' if top.height == 1 else 's'}"
print(f"Turnover by year, million {currency}, {partners}:")
print(series.pivot(on="pair", index="year", values=f"million {currency}").sort("year"))
print("years where documents disagree:", series.filter("disputed").select("pair", "year").rows())

# %%
fig, ax = plt.subplots(figsize=(9, 5))
for pair in top["pair"]:
    points = series.filter(pl.col("pair") == pair)
    ax.plot(points["year"], points[f"million {currency}"], marker="o", label=pair)
    doubt = points.filter("disputed")
    ax.scatter(
        doubt["year"], doubt[f"million {currency}"], s=160, facecolors="none", edgecolors="red", zorder=3
    )
if series["disputed"].any():
    ax.scatter([], [], s=160, facecolors="none", edgecolors="red", label="documents disagree (see conflicts)")
ax.set_title(f"Trade turnover by year, {partners}")
ax.set_xlabel("year")
ax.set_ylabel(f"million {currency}")
values = series[f"million {currency}"]
if values.len() and values.min() > 0 and values.max() / values.min() > 100:
    ax.set_yscale("log")  # a country's total beside a region's: both stay readable
ax.grid(alpha=0.3)
if top.height:
    ax.legend(fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
else:
    ax.text(0.5, 0.5, "no whole-year turnover figures yet", ha="center", va="center", transform=ax.transAxes)
fig.tight_layout()
chart = OUT / "trade_top_partners.png"
fig.savefig(chart, dpi=120)
print(f"chart saved to {chart}")

# %% [markdown]
# ## Twin towns
#
# One row per pair (A–B and B–A are one twinning), the Belarusian side first, with the year of
# establishment where a document gives it and how many documents state the pair.

# %%
pairs = (
    twinnings.filter(~pl.col("aggregate"))
    .select(
        pl.col("a_name").alias("town"),
        pl.col("a_country").alias("country"),
        pl.col("b_name").alias("twin"),
        pl.col("b_country").alias("twin country"),
        "year",
        pl.col("n_sources").alias("documents"),
    )
    .sort("town", "twin")
)
print(f"{pairs.height} twin-town pairs:")
print(pairs)
