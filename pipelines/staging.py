"""Per-document intermediate results, kept between the partitioned layers and the publish step.

One JSON file per document and layer under ``<warehouse>/staging/``. JSON, not pickle: a person
can open it, and a stale file from older code can never execute anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pipelines.model import Evidence, Fact, Party


def staging_key(doc_name: str) -> str:
    return hashlib.sha1(doc_name.encode("utf-8")).hexdigest()[:20]


def _encode(o: Any):
    if isinstance(o, dt.date):
        return {"__date__": o.isoformat()}
    if dataclasses.is_dataclass(o):
        return {f.name: getattr(o, f.name) for f in dataclasses.fields(o)}
    raise TypeError(f"cannot stage {type(o).__name__}")


def _decode(d: dict):
    if "__date__" in d and len(d) == 1:
        return dt.date.fromisoformat(d["__date__"])
    return d


def fact_from_dict(d: dict) -> Fact:
    return Fact(
        table=d["table"],
        a=Party(**d["a"]),
        b=Party(**d["b"]),
        attrs=d["attrs"],
        evidence=Evidence(**d["evidence"]),
        aggregate=d["aggregate"],
        count=d["count"],
    )


class StagingStore:
    """Reads and writes staged results atomically (write to a temp file, then rename)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, layer: str, doc_name: str) -> Path:
        return self.root / layer / f"{staging_key(doc_name)}.json"

    def write(self, layer: str, doc_name: str, payload: dict) -> Path:
        path = self.path(layer, doc_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(payload, default=_encode, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        return path

    def read(self, layer: str, doc_name: str, without: tuple[str, ...] = ()) -> dict | None:
        """The staged result, or None; ``without`` names top-level keys the reader has no use for
        (publishing drops the sentence offsets, the bulk of an ingest result)."""
        path = self.path(layer, doc_name)
        if not path.exists():
            return None
        staged = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode)
        for key in without:
            staged.pop(key, None)
        return staged

    def prune(self, layer: str, keep_names: set[str]) -> int:
        """Delete staged results of documents no longer in the raw folder."""
        keep = {f"{staging_key(n)}.json" for n in keep_names}
        removed = 0
        folder = self.root / layer
        if folder.exists():
            for p in folder.glob("*.json"):
                if p.name not in keep:
                    p.unlink(missing_ok=True)
                    removed += 1
        return removed
