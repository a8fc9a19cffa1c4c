"""notebooks/cooperation.py runs headless on the Parquet exports alone, so it cannot rot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fusion_corpus import publish

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "cooperation.py"
# Run with the project's own packages made unimportable: the notebook needs only the exports.
RUN = (
    "import runpy, sys; sys.modules['duckdb'] = sys.modules['pipelines'] = None; "
    "runpy.run_path(sys.argv[1], run_name='__main__')"
)


def test_the_notebook_draws_the_trade_series_and_lists_the_twinnings(tmp_path):
    publish(tmp_path / "warehouse")
    out = tmp_path / "out"
    env = {
        **os.environ,
        "COOP_EXPORTS": str(tmp_path / "warehouse" / "exports"),
        "COOP_NOTEBOOK_OUT": str(out),
        "MPLBACKEND": "Agg",
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(NOTEBOOK)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    chart = out / "trade_top_partners.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    assert "Belarus – Bryansk Oblast" in done.stdout
    assert "years where documents disagree: [('Belarus – Bryansk Oblast', 2021)]" in done.stdout
    assert "1 twin-town pairs" in done.stdout and "Velikiye Luki" in done.stdout
    lines = [line for line in done.stdout.splitlines() if line.startswith("│ 20")]
    assert [line.split("┆")[0].strip("│ ") for line in lines] == ["2020", "2021", "2022"]
