"""Reading the extractors' rule files (YAML): through libyaml's C parser when PyYAML has it, the
same data as ``yaml.safe_load`` several times sooner (the rule files are read at every start)."""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
