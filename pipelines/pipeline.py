"""The per-document work of the two partitioned layers, as pure functions.

``read_raw`` (ingest layer): raw bytes to a staged document (text, zones, sentences) or a
rejection. ``extract_document`` (extract layer): a staged document to candidate facts. Both
return plain dicts that ``StagingStore`` keeps as JSON between Dagster steps.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.document import build_document
from pipelines.extract.registry import extractors
from pipelines.ingest import Unreadable, read_document, sha256_of
from pipelines.model import Document, Fact, Sentence

SKIP_NAMES = {".gitkeep", ".DS_Store", "Thumbs.db", "README.md"}


@dataclass(frozen=True, slots=True)
class RawFile:
    name: str  # relative to the raw folder, with "/" separators
    path: Path


def rejection(
    doc_name: str,
    stage: str,
    reason: str,
    doc_id: str | None = None,
    table_name: str | None = None,
    check: str | None = None,
    values: dict | None = None,
) -> dict:
    return {
        "doc_id": doc_id,
        "doc_name": doc_name,
        "stage": stage,
        "table_name": table_name,
        "check": check,
        "reason": reason,
        "values": json.dumps(values, ensure_ascii=False, default=str) if values is not None else None,
    }


def list_raw_files(raw_dir: Path) -> tuple[list[RawFile], list[dict]]:
    """The documents of the raw folder, and rejections for what must not be read (links out of it)."""
    raw_dir = Path(raw_dir)
    root = raw_dir.resolve()
    files, refused = [], []
    for dirpath, dirnames, filenames in os.walk(raw_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in sorted(filenames):
            if fname in SKIP_NAMES or fname.startswith("."):
                continue
            path = Path(dirpath) / fname
            name = path.relative_to(raw_dir).as_posix()
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    refused.append(
                        rejection(name, "ingest", "refused: a symbolic link pointing outside the raw folder")
                    )
                    continue
            if not path.is_file():
                refused.append(rejection(name, "ingest", "refused: not a regular file"))
                continue
            files.append(RawFile(name, path))
    return files, refused


def read_raw(name: str, data: bytes) -> dict:
    """Ingest layer for one document: a staged document, or a rejection with the reason."""
    sha = sha256_of(data)
    try:
        decoded = read_document(data)
    except Unreadable as e:
        return {
            "doc_name": name,
            "sha256": sha,
            "n_bytes": len(data),
            "document": None,
            "rejections": [rejection(name, "ingest", str(e), values={"n_bytes": len(data), "sha256": sha})],
        }
    doc = build_document(name, decoded)
    return {
        "doc_name": name,
        "sha256": sha,
        "n_bytes": len(data),
        "document": {
            "doc_id": doc.doc_id,
            "doc_name": name,
            "sha256": sha,
            "language": doc.language,
            "n_chars": len(doc.text),
            "text": doc.text,
            "encoding": decoded.encoding,
            "markup": decoded.markup,
            "n_bytes": len(data),
            "dated": list(doc.dated) if doc.dated else None,
        },
        "zones": [[z.start, z.stop, zone] for z, zone in doc.zones],
        "sentences": [[s.start, s.stop, s.zone, s.paragraph] for s in doc.sentences],
        "rejections": [],
    }


def document_of(staged: dict) -> Document:
    """Rebuild the Document an extractor reads from a staged ingest result."""
    d = staged["document"]
    text = d["text"]
    from pipelines.model import Substring

    return Document(
        doc_id=d["doc_id"],
        doc_name=d["doc_name"],
        text=text,
        language=d["language"],
        sentences=[Sentence(a, b, text[a:b], zone, para) for a, b, zone, para in staged["sentences"]],
        zones=[(Substring(a, b, text[a:b]), zone) for a, b, zone in staged["zones"]],
        dated=tuple(d["dated"]) if d.get("dated") else None,
    )


def run_extractors(doc: Document) -> tuple[list[Fact], list[dict]]:
    """Every registered extractor over one document. An extractor that fails on a document
    costs that document's facts of that extractor, with a rejection row, never the run."""
    facts: list[Fact] = []
    problems: list[dict] = []
    for module in extractors():
        try:
            facts.extend(module.extract(doc))
        except Exception as e:  # noqa: BLE001 - reported as a rejection, the run goes on
            problems.append(
                rejection(
                    doc.doc_name,
                    "extract",
                    f"extractor {module.NAME}@{module.VERSION} failed: {e!r}",
                    doc_id=doc.doc_id,
                )
            )
    return facts, problems


def extract_document(staged: dict) -> dict:
    """Extract layer for one document: candidate facts (not yet validated)."""
    if staged.get("document") is None:
        return {"doc_name": staged["doc_name"], "doc_id": None, "facts": [], "rejections": []}
    doc = document_of(staged)
    facts, problems = run_extractors(doc)
    return {"doc_name": doc.doc_name, "doc_id": doc.doc_id, "facts": facts, "rejections": problems}
