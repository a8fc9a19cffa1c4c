"""Reading the extractors' rule files (YAML under ``pipelines/data``) and building their regexes.

Files are parsed by libyaml's C parser when PyYAML has it: the same data as ``yaml.safe_load``
several times sooner (the rule files are read at every start)."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rules(name: str):
    """The data of ``pipelines/data/<name>`` ("rules/visits.yaml", "months.yaml")."""
    text = resources.files("pipelines.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def longest_first(patterns: Iterable[str]) -> str:
    """An alternation that tries longer patterns first, so "Oblast" is not matched as "Obl"."""
    return "|".join(sorted(patterns, key=len, reverse=True))
