"""The benchmark machinery on a ~50 KB corpus: structure only, never a timing."""

from __future__ import annotations

import json
import re

import pytest

from pipelines import bench
from pipelines.bench_corpus import generate_corpus, generate_document, pools

SIZE = 50_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate_corpus(tmp_path_factory.mktemp("bench") / "c", SIZE)


def test_corpus_is_streamed_to_disk_with_a_manifest_row_per_document(corpus):
    files = sorted(corpus.raw_dir.iterdir())
    rows = list(corpus.manifest())
    assert len(files) == len(rows) == corpus.n_docs
    assert SIZE <= corpus.n_bytes == sum(f.stat().st_size for f in files)
    assert {r["doc_name"] for r in rows} == {f.name for f in files}
    assert all(r["n_bytes"] == (corpus.raw_dir / r["doc_name"]).stat().st_size for r in rows)
    assert set(corpus.bytes_by_lang) == {"en", "ru"}
    assert corpus.expected_facts == sum(r["expected_facts"] for r in rows) > 0


def test_corpus_is_deterministic_and_kept_when_already_there(corpus, tmp_path):
    again = generate_corpus(tmp_path / "again", SIZE)
    assert [f.read_bytes() for f in sorted(again.raw_dir.iterdir())] == [
        f.read_bytes() for f in sorted(corpus.raw_dir.iterdir())
    ]
    assert generate_corpus(corpus.root, SIZE).generated is False


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one():
    assert generate_document(7)[1] == generate_document(7)[1]
    assert generate_document(7)[1] != generate_document(8)[1]


def test_substituted_places_are_written_into_the_page():
    for i in range(40):
        _, text, row = generate_document(i)
        for kind, _source, *new in row["substitutions"]:
            written = new[-1]
            assert written in text, (kind, written)


def test_russian_region_keeps_its_case_when_swapped():
    templates = [t for ts in pools().paragraphs.values() for t in ts if t.lang == "ru"]
    slots = [(t, s) for t in templates for s in t.slots if s.group.endswith("ru-adj")]
    assert slots, "the Russian seeds name regions by adjective (Брянская область)"
    for t, s in slots:  # the slot is the stem: an adjective ending and the head word follow it
        assert re.match(
            r"(?:ая|ой|ую|ою|ом|ий|ого|ому|им|ое|ие|их|ими|ых|ым|ыми|ые)\s+(?:област|кра)", t.text[s.stop :]
        )


def test_report_has_a_row_per_corpus_and_the_targets(corpus, tmp_path):
    size = bench.SizeResult(SIZE / bench.MB, corpus, 0.0)
    size.core = bench.measure_core(corpus.raw_dir, workers=0)
    size.floor = bench.measure_floor(corpus.raw_dir)
    assert size.core.n_docs == corpus.n_docs and size.core.complete
    assert sum(size.core.facts.values()) > 0
    b = bench.Bench(workers=1, sizes=[size])
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("old table\n" + bench.NOTES_MARK + "\nhand-written notes\n")
    bench.write_report(b, out)
    text = out.read_text()
    assert "| 0.05 MB |" in text
    assert "extraction core ≥ 2 MB/s per core" in text
    assert text.endswith(bench.NOTES_MARK + "\nhand-written notes\n") and "old table" not in text


def test_child_step_reports_time_memory_and_the_warehouse(corpus, tmp_path):
    result = bench.run_child("direct", corpus.raw_dir, tmp_path / "warehouse", timeout=120)
    assert result.ok, result.error
    assert result.peak_rss_mb > 0 and result.wall > 0
    assert result.inner["tables"]["documents"] == corpus.n_docs
    assert set(json.loads(json.dumps(result.inner))) >= {"ingest_s", "extract_s", "publish_s", "export_s"}


def test_natasha_ratio_compares_the_core_alone_on_the_same_pages(corpus, tmp_path):
    russian = [p for p in sorted(corpus.raw_dir.iterdir()) if "_ru" in p.name]
    assert russian, "the generated corpus has Russian pages"
    cpu = bench.measure_core_alone(russian)
    assert cpu > 0
    size = bench.SizeResult(SIZE / bench.MB, corpus, 0.0)
    size.core = bench.measure_core(corpus.raw_dir, workers=0)
    n_bytes = sum(p.stat().st_size for p in russian)
    # a peer ten times slower than the core alone: the ratio is 10, whatever the pool measured
    peer = bench.Reference("natasha NER", n_docs=len(russian), n_bytes=n_bytes, cpu=cpu * 10)
    b = bench.Bench(workers=1, sizes=[size], natasha=peer, natasha_core_cpu=cpu, natasha_pool_cpu=cpu * 2)
    out = tmp_path / "BENCHMARKS.md"
    bench.write_report(b, out)
    text = out.read_text()
    assert "| ≥ 20 × natasha's throughput on Russian text | 10.0 × | **not met** |" in text
    assert f"| 10.0 × | {n_bytes / bench.MB / (cpu * 2):.2f} |" in text


def test_natasha_runs_on_one_blas_thread(corpus):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    pytest.importorskip("natasha")
    seen = []
    original = threadpoolctl.threadpool_limits

    def spy(limits=None, **kwargs):
        seen.append(limits)
        return original(limits=limits, **kwargs)

    russian = [p for p in sorted(corpus.raw_dir.iterdir()) if "_ru" in p.name][:2]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(threadpoolctl, "threadpool_limits", spy)
        ref = bench.measure_natasha(russian, time_cap=60)
    assert seen == [1]
    assert ref.n_docs == 2 and ref.found > 0 and ref.cpu > 0
