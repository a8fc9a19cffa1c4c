"""The extractors on the held-out news pages (tests/data/heldout): pages written apart from the
seeds and the news set, with site chrome, to estimate how the rules do on unseen items. Scored
with the matching logic of ../shared/gold/score.py (imported from there, not copied)."""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path

import pytest

from pipelines.document import document_from_bytes
from pipelines.pipeline import run_extractors

HELDOUT = Path(__file__).resolve().parent / "data" / "heldout"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"  # ../shared from the repo
SCORE_PY = SHARED / "gold" / "score.py"
MIN_PRECISION = 0.8
# What the rules reach now, minus a margin: a drop below it is a regression worth a look.
MIN_RECALL = {"agreements": 0.8, "visits": 0.75, "trade_flows": 0.8, "twinnings": 0.8}


@pytest.fixture(scope="module")
def score():
    if not SCORE_PY.exists():
        pytest.skip(f"the scorer {SCORE_PY} is not there (the shared folder ../shared is missing)")
    spec = importlib.util.spec_from_file_location("gold_score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predictions(score) -> dict[tuple[str, str, bool], list[dict]]:
    """The facts the extractors find in each held-out page, keyed like score.py's gold."""
    pred: dict[tuple[str, str, bool], list[dict]] = defaultdict(list)
    for path in sorted((HELDOUT / "raw").glob("*.txt")):
        doc = document_from_bytes(path.name, path.read_bytes())
        facts, problems = run_extractors(doc)
        assert not problems, problems
        for f in facts:
            row = {
                "a": score.party_key(f.a.name, f.a.country, f.a.level, f.a.region),
                "b": score.party_key(f.b.name, f.b.country, f.b.level, f.b.region),
                "aggregate": f.aggregate,
                "count": f.count,
            }
            for k, v in f.attrs.items():
                row[k] = str(v) if k == "period_end" and v is not None else v
            pred[(f.table, path.name, f.aggregate)].append(row)
    return pred


@pytest.fixture(scope="module")
def figures(score) -> dict[str, tuple[int, int, int]]:
    gold = score.load_gold([HELDOUT / "heldout.gold.jsonl"], None)
    pred = _predictions(score)
    docs = {p.name for p in (HELDOUT / "raw").glob("*.txt")}
    out = {}
    for table in score.TABLES:
        tp = n_pred = n_gold = 0
        for doc in docs:
            for agg in (False, True):
                g = score.dedupe(table, gold.get((table, doc, agg), []))
                p = score.dedupe(table, pred.get((table, doc, agg), []))
                tp += score.match_count(table, p, g)
                n_pred += len(p)
                n_gold += len(g)
        out[table] = (tp, n_pred, n_gold)
    print(
        "\nheld-out:",
        json.dumps({t: dict(zip(("tp", "pred", "gold"), v, strict=True)) for t, v in out.items()}),
    )
    return out


def test_heldout_gold_quotes_are_in_their_pages():
    for line in (HELDOUT / "heldout.gold.jsonl").read_text(encoding="utf-8").splitlines():
        fact = json.loads(line)
        text = " ".join((HELDOUT / "raw" / fact["doc"]).read_text(encoding="utf-8").split())
        assert " ".join(fact["quote"].split()) in text, fact["quote"]


@pytest.mark.parametrize("table", ["agreements", "visits", "trade_flows", "twinnings"])
def test_heldout_precision_and_recall(figures, table):
    tp, n_pred, n_gold = figures[table]
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_gold if n_gold else 1.0
    print(f"{table}: P={precision:.3f} R={recall:.3f} (tp {tp}, predicted {n_pred}, gold {n_gold})")
    assert n_gold > 0
    assert precision >= MIN_PRECISION, f"{table}: precision {precision:.3f} on the held-out pages"
    assert recall >= MIN_RECALL[table], f"{table}: recall {recall:.3f} on the held-out pages"
