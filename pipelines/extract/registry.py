"""The extractors the pipeline runs, by module name. Each module has NAME, VERSION and extract(doc)."""

from __future__ import annotations

import importlib
from functools import cache

EXTRACTOR_MODULES: tuple[str, ...] = (
    "pipelines.extract.agreements",
    "pipelines.extract.trade_flows",
    "pipelines.extract.twinnings",
    "pipelines.extract.visits",
)


@cache
def extractors() -> list:
    return [importlib.import_module(name) for name in EXTRACTOR_MODULES]
