"""The ``places`` dimension joined to the facts: each party's ``place_id``.

Extractors take parties from the gazetteer, so most statements carry their ``place_id``
already; a party built by hand (a rule that names "Belarus" outright) may not. Such a party is
linked here, before fusion, so that one place is one party whatever the statement: a region by
its ISO 3166-2 code, anything else by its English name, country and level. A group ("Russian
regions") is no place: its ``place_id`` stays NULL and it is known by name and country.
"""

from __future__ import annotations

import polars as pl

GROUP = "group"


def place_index(places: pl.DataFrame | None) -> dict[tuple, str]:
    """Lookup keys of every place: ("region", code) for a region, (name, country, level) for all."""
    if places is None or places.is_empty():
        return {}
    index: dict[tuple, str] = {}
    for p in places.iter_rows(named=True):
        if p.get("level") == "country":
            index.setdefault(("country", p.get("country")), p["place_id"])
        if p.get("level") == "region" and p.get("region"):
            index.setdefault(("region", p["region"]), p["place_id"])
        index.setdefault(((p.get("name") or "").casefold(), p.get("country"), p.get("level")), p["place_id"])
    return index


def place_id_of(index: dict[tuple, str], name, country, level, region) -> str | None:
    if level == GROUP:
        return None
    if level == "country" and ("country", country) in index:
        return index[("country", country)]
    if level == "region" and ("region", region) in index:
        return index[("region", region)]
    return index.get(((name or "").casefold(), country, level))


def link_places(rows: list[dict], places: pl.DataFrame | None) -> list[dict]:
    """Statement rows with each missing party ``place_id`` filled from the gazetteer where it is known."""
    index = place_index(places)
    if not index:
        return rows
    linked = []
    for row in rows:
        missing = [
            s for s in ("a", "b") if row.get(f"{s}_place_id") is None and row.get(f"{s}_level") != GROUP
        ]
        if missing:
            row = dict(row)
            for s in missing:
                row[f"{s}_place_id"] = place_id_of(
                    index,
                    row.get(f"{s}_name"),
                    row.get(f"{s}_country"),
                    row.get(f"{s}_level"),
                    row.get(f"{s}_region"),
                )
        linked.append(row)
    return linked
