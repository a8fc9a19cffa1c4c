"""Dagster asset definitions, one module per layer: ingest, extract, warehouse, exports."""
