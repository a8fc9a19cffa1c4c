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

from pipelines.document import document_parts
from pipelines.extract.registry import extractors
from pipelines.ingest import MAX_BYTES, Unreadable, read_document, sha256_of
from pipelines.model import Document, Fact, Sentence, Substring
from pipelines.places.resolver import collecting_unresolved

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


def printable_name(name: str) -> str:
    """A file name that is not valid UTF-8 (bytes of another code page) is kept with its bad
    bytes written as ``\\xNN``: it can be stored, shown and used as a partition key."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def list_raw_files(raw_dir: Path) -> tuple[list[RawFile], list[dict]]:
    """The documents of the raw folder, and rejections for what must not be read (links out of it)."""
    raw_dir = Path(raw_dir)
    root = raw_dir.resolve()
    files, refused = [], []
    for dirpath, dirnames, filenames in os.walk(raw_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for dname in dirnames:  # os.walk does not enter linked folders: say so for those leading out
            link = Path(dirpath) / dname
            if link.is_symlink() and not link.resolve().is_relative_to(root):
                name = printable_name(link.relative_to(raw_dir).as_posix())
                refused.append(
                    rejection(name, "ingest", "refused: a symbolic link pointing outside the raw folder")
                )
        for fname in sorted(filenames):
            if fname in SKIP_NAMES or fname.startswith("."):
                continue
            path = Path(dirpath) / fname
            name = printable_name(path.relative_to(raw_dir).as_posix())
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    refused.append(
                        rejection(name, "ingest", "refused: a symbolic link pointing outside the raw folder")
                    )
                    continue
            if not path.is_file():  # a FIFO, socket, device or dangling link: reading it could hang
                refused.append(rejection(name, "ingest", "refused: not a regular file"))
                continue
            if not os.access(path, os.R_OK):
                refused.append(rejection(name, "ingest", "refused: no permission to read the file"))
                continue
            files.append(RawFile(name, path))
    return files, refused


def read_raw_file(raw: RawFile) -> dict:
    """``read_raw`` of a file of the raw folder, never holding more than MAX_BYTES + 1 of it in
    memory (a 5 GB file is refused by its size), and a rejection, not a crash, when the file
    went away or became unreadable since it was listed."""
    try:
        size = raw.path.stat().st_size
        if size > MAX_BYTES:
            reason = f"file too large: {size:,} bytes, the limit is {MAX_BYTES:,} bytes"
            return _not_read(raw.name, reason, size, None)
        with open(raw.path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        return _not_read(raw.name, f"could not read the file: {e.strerror or e}", None, None)
    return read_raw(raw.name, data)


def _not_read(name: str, reason: str, n_bytes: int | None, sha: str | None) -> dict:
    return {
        "doc_name": name,
        "sha256": sha,
        "n_bytes": n_bytes,
        "document": None,
        "rejections": [rejection(name, "ingest", reason, values={"n_bytes": n_bytes, "sha256": sha})],
    }


def read_raw(name: str, data: bytes) -> dict:
    """Ingest layer for one document: a staged document, or a rejection with the reason."""
    try:
        decoded = read_document(data)
    except Unreadable as e:
        return _not_read(name, str(e), len(data), sha256_of(data))
    sha = decoded.sha256
    zones, dated, spans = document_parts(decoded.text)
    return {
        "doc_name": name,
        "sha256": sha,
        "n_bytes": len(data),
        "document": {
            "doc_id": decoded.doc_id,
            "doc_name": name,
            "sha256": sha,
            "language": decoded.language,
            "n_chars": len(decoded.text),
            "text": decoded.text,
            "encoding": decoded.encoding,
            "markup": decoded.markup,
            "n_bytes": len(data),
            "dated": list(dated) if dated else None,
        },
        "zones": [[z.start, z.stop, zone] for z, zone in zones],
        "sentences": [list(s) for s in spans],
        "rejections": [],
    }


def document_of(staged: dict) -> Document:
    """Rebuild the Document an extractor reads from a staged ingest result."""
    d = staged["document"]
    text = d["text"]
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
    with collecting_unresolved() as unresolved:
        facts, problems = run_extractors(doc)
    return {
        "doc_name": doc.doc_name,
        "doc_id": doc.doc_id,
        "facts": facts,
        "rejections": problems,
        "unresolved_places": sorted(set(unresolved)),
    }
