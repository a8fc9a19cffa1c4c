"""Record or check what the pure core makes of a set of corpora, to prove a speed-up changed
nothing: every staged document (text, zones, sentences) and every candidate fact.

    python scripts/core_snapshot.py record SNAPSHOT.jsonl.gz [DIR ...]
    python scripts/core_snapshot.py check  SNAPSHOT.jsonl.gz [DIR ...]

Default folders: raw/, ../shared/news/raw, tests/data/heldout/raw and the first 600 documents
of warehouse/bench/1mb/raw and 10mb/raw (when ``make bench`` has made them). ``check`` prints each document
whose output differs, with the first differing key, and exits 1 if any does.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.pipeline import extract_document, list_raw_files, read_raw_file  # noqa: E402
from pipelines.staging import _encode  # noqa: E402

DEFAULT_DIRS = [
    "raw",
    "../shared/news/raw",
    "tests/data/heldout/raw",
    "warehouse/bench/1mb/raw",
    "warehouse/bench/10mb/raw",
]
MAX_DOCS_PER_DIR = 600


def outputs(dirs: list[str]):
    for d in dirs:
        if not Path(d).is_dir():
            continue
        files = list_raw_files(Path(d))[0][:MAX_DOCS_PER_DIR]
        for f in files:
            staged = read_raw_file(f)
            result = extract_document(staged)
            record = {"dir": d, "name": f.name, "staged": staged, "extracted": result}
            yield f"{d}/{f.name}", json.loads(json.dumps(record, default=_encode, ensure_ascii=False))


def first_difference(a, b, path="") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: missing on one side"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {str(a)[:80]!r} != {str(b)[:80]!r}"


def main(argv: list[str]) -> int:
    mode, snapshot, *dirs = argv
    dirs = dirs or DEFAULT_DIRS
    if mode == "record":
        with gzip.open(snapshot, "wt", encoding="utf-8") as out:
            n = 0
            for key, record in outputs(dirs):
                out.write(json.dumps({"key": key, **record}, ensure_ascii=False) + "\n")
                n += 1
        print(f"recorded {n} documents to {snapshot}")
        return 0
    with gzip.open(snapshot, "rt", encoding="utf-8") as fh:
        before = {r["key"]: r for r in map(json.loads, fh)}
    changed = n = 0
    for key, record in outputs(dirs):
        n += 1
        old = before.pop(key, None)
        if old is None:
            print(f"new: {key}")
            changed += 1
            continue
        old.pop("key")
        d = first_difference(old, record)
        if d:
            print(f"changed: {key}: {d}")
            changed += 1
    for key in before:
        print(f"gone: {key}")
        changed += 1
    print(f"{n} documents checked, {changed} differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
