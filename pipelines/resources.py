"""Dagster resources: where the raw documents are and where the warehouse goes."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.runner import Paths


class CoopPaths(dg.ConfigurableResource):
    """The raw folder and the warehouse folder (``COOP_RAW_DIR``, ``COOP_WAREHOUSE_DIR``)."""

    raw_dir: str = "raw"
    warehouse_dir: str = "warehouse"

    @classmethod
    def from_env(cls) -> CoopPaths:
        return cls(
            raw_dir=os.environ.get("COOP_RAW_DIR", "raw"),
            warehouse_dir=os.environ.get("COOP_WAREHOUSE_DIR", "warehouse"),
        )

    def paths(self) -> Paths:
        return Paths.from_env(self.raw_dir, self.warehouse_dir)
