"""The place gazetteer: one canonical ``Place`` per country, region, city and district.

Built from the data files under ``pipelines/data/places/`` (see the README there) and from
pycountry (ISO 3166-1 and 3166-2 codes, country names and their Russian translations).
Besides the places, it yields their *lexemes*: the surface forms a resolver looks for
(English names and stems, Russian lemmas that ``scripts/build_place_forms.py`` inflects).
"""

from __future__ import annotations

import csv
import gettext
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import pycountry
import yaml

from pipelines.model import Place

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
SOURCE_FILES = (
    "countries.csv",
    "regions.csv",
    "foreign_regions.csv",
    "cities.csv",
    "districts.csv",
    "heads.yaml",
)
FORMS_FILE = DATA_DIR / "forms_ru.tsv"

# pycountry's transliterated subdivision names end with a generic word: what is left is a stem
# ("Bryanskaya oblast'" -> "Bryanskaya"), as English texts translated from Russian write it.
_PYCOUNTRY_GENERIC = re.compile(
    r"(,\s*Respublika|\s+Respublika|\s+avtonomnyy okrug|\s+avtonomnaya oblast'|\s+oblast'|\s+kray)$"
)
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass(frozen=True, slots=True)
class Lexeme:
    """A surface form of a place. ``role``: ``name`` stands alone ("Tatarstan"); ``stem``
    needs a head word of ``kind`` ("Bryansk" + "region"); ``adj`` is an adjective of a
    country ("Belarusian"). Russian lexemes are lemmas (nominative) until inflected."""

    place_id: str
    role: str
    kind: str
    text: str
    lang: str
    guard: str = ""


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split(";") if x.strip()]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")


def bare_name(name: str) -> str:
    """The name without its disambiguating qualifier: "Ivanovo (Brest Oblast)" -> "Ivanovo"."""
    return _QUALIFIER.sub("", name)


@cache
def heads() -> dict[str, dict[str, list[str]]]:
    with open(DATA_DIR / "heads.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def _russian_country_names() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)


@cache
def _build() -> tuple[tuple[Place, ...], tuple[Lexeme, ...], dict[str, str]]:
    places: list[Place] = []
    lexemes: list[Lexeme] = []
    kinds: dict[str, str] = {}  # place_id -> kind (regions) / "district" / "city"

    # Countries: every one of pycountry's, with the overrides of countries.csv.
    overrides = {r["country"]: r for r in _rows("countries.csv")}
    ru_names = _russian_country_names()
    for c in pycountry.countries:
        row = overrides.get(c.alpha_2, {})
        name = row.get("name") or getattr(c, "common_name", None) or c.name
        name_ru = row.get("name_ru") or ru_names.gettext(c.name)
        places.append(Place(c.alpha_2, name, name_ru, c.alpha_2, "country", None, None))
        kinds[c.alpha_2] = "country"
        guard = row.get("guard", "")
        en = {name, c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        en.update(_split(row.get("aliases_en")))
        for text in sorted(en):
            if "," not in text:  # "Korea, Republic of" is a catalogue name, not running text
                lexemes.append(Lexeme(c.alpha_2, "name", "", text, "en", guard))
        for text in sorted({name_ru, *_split(row.get("aliases_ru"))}):
            if "," not in text:
                lexemes.append(Lexeme(c.alpha_2, "name", "", text, "ru", guard))
        lexemes += [Lexeme(c.alpha_2, "adj", "", a, "en") for a in _split(row.get("adjectives_en"))]
        lexemes += [Lexeme(c.alpha_2, "adj", "", a, "ru") for a in _split(row.get("adjectives_ru"))]

    # Regions (Russian federal subjects, Belarusian oblasts, foreign regions).
    for row in _rows("regions.csv") + _rows("foreign_regions.csv"):
        pid, kind = row["region"], row["kind"]
        places.append(Place(pid, row["name"], row["name_ru"], row["country"], "region", pid, row["country"]))
        kinds[pid] = kind
        stems_en = _split(row["stems_en"])
        sub = pycountry.subdivisions.get(code=pid)
        if sub is not None and row["country"] == "RU":
            stem = _PYCOUNTRY_GENERIC.sub("", sub.name).replace("'", "")
            if stem != sub.name and stem not in stems_en:
                stems_en.append(stem)
        for adjective in _split(row["stems_ru"]):  # "Vladimirskiy region", "Bryanskaya oblast"
            stems_en += [s for s in transliterations(adjective) if s not in stems_en]
        names_en = [row["name"], *_split(row["aliases_en"])]
        if kind == "republic":
            names_en += [f"Republic of {s}" for s in stems_en]
        lexemes += [Lexeme(pid, "name", "", t, "en") for t in dict.fromkeys(names_en)]
        if kind != "city":
            lexemes += [Lexeme(pid, "stem", kind, s, "en") for s in stems_en]
        names_ru = _split(row["aliases_ru"])
        if kind == "city" or not _split(row["stems_ru"]):
            names_ru.insert(0, row["name_ru"])
        lexemes += [Lexeme(pid, "name", "", t, "ru") for t in dict.fromkeys(names_ru)]
        lexemes += [Lexeme(pid, "stem", kind, s, "ru") for s in _split(row["stems_ru"])]

    region_ids = {p.place_id for p in places if p.level == "region"}

    # Cities.
    city_ids: dict[tuple[str, str], str] = {}  # (country, bare English name) -> place_id
    for row in _rows("cities.csv"):
        pid = f"{row['region']}/{slug(row['name'])}"
        parent = row["region"] if row["region"] in region_ids else row["country"]
        places.append(Place(pid, row["name"], row["name_ru"], row["country"], "city", row["region"], parent))
        kinds[pid] = "city"
        city_ids.setdefault((row["country"], bare_name(row["name"])), pid)
        guard = row.get("guard", "")
        for text in dict.fromkeys([bare_name(row["name"]), *_split(row["aliases_en"])]):
            lexemes.append(Lexeme(pid, "name", "", text, "en", guard))
        for text in dict.fromkeys([row["name_ru"], *_split(row["aliases_ru"])]):
            lexemes.append(Lexeme(pid, "name", "", text, "ru", guard))
        # "Гродненский горисполком": a city's adjective, read with the heads of kind "city"
        lexemes += [Lexeme(pid, "stem", "city", s, "ru") for s in _split(row.get("stems_ru"))]

    # Districts: "Smolevichi" + "district", "смолевичский" + "район".
    for row in _rows("districts.csv"):
        pid = f"{row['region']}/{slug(row['name'])}"
        parent_city = city_ids.get((row["country"], row["city"])) if row["city"] else None
        if (
            row["city"]
            and row["region"] in region_ids
            and bare_name(row["city"]) in (bare_name(p.name) for p in places if p.place_id == row["region"])
        ):
            parent_city = row["region"]  # a district of Minsk or Moscow: the city is a region
        parent = parent_city or row["region"]
        places.append(
            Place(pid, row["name"], row["name_ru"], row["country"], "district", row["region"], parent)
        )
        kinds[pid] = "district"
        stem = re.sub(r"\s+District$", "", bare_name(row["name"]))
        lexemes.append(Lexeme(pid, "name", "", row["name"], "en"))
        name_ru = row["name_ru"]
        adjectival = name_ru.endswith(" район")
        # "Логойский район" is also written "Logoisky" or "Logoysky District" in English
        stems = [stem, *_split(row["aliases_en"])]
        if adjectival:
            stems += transliterations(name_ru.removesuffix(" район"))
        for text in dict.fromkeys(stems):
            lexemes.append(Lexeme(pid, "stem", "district", text, "en"))
            if not adjectival:  # a district named by a noun ("Shchukino") stands alone too
                lexemes.append(Lexeme(pid, "name", "", text, "en", "cue" if text != stem else ""))
        if adjectival:
            lexemes.append(Lexeme(pid, "stem", "district", name_ru.removesuffix(" район"), "ru"))
        else:
            lexemes.append(Lexeme(pid, "name", "", name_ru, "ru"))
        lexemes += [Lexeme(pid, "stem", "district", s, "ru") for s in _split(row["aliases_ru"])]

    ids = [p.place_id for p in places]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate place ids in the gazetteer: {sorted(duplicates)}")
    return tuple(places), tuple(lexemes), kinds


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def transliterations(adjective: str) -> list[str]:
    """English spellings of a Russian adjective ("Логойский" -> "Logoysky", "Logoisky",
    "Logoyskiy"): the BGN/PCGN-like ones that translated texts use."""
    word = adjective.lower()
    ending = ""
    for ru, en in (
        ("ский", "sky"),
        ("цкий", "tsky"),
        ("ской", "skoy"),
        ("ий", "y"),
        ("ый", "y"),
        ("ой", "oy"),
    ):
        if word.endswith(ru):
            word, ending = word[: -len(ru)], en
            break
    else:
        return []
    base = "".join(_TRANSLIT.get(c, c) for c in word).replace("_", "")
    bases = {base, base.replace("y", "i")} if "y" in base else {base}
    endings = {ending, ending[:-1] + "iy", ending[:-1] + "i"} if ending.endswith("sky") else {ending}
    return sorted({(b + e)[:1].upper() + (b + e)[1:] for b in bases for e in endings})


def load_places() -> list[Place]:
    """Every canonical place, countries first, then regions, cities and districts."""
    return list(_build()[0])


@cache
def _by_id() -> dict[str, Place]:
    return {p.place_id: p for p in _build()[0]}


def place_by_id(place_id: str) -> Place:
    return _by_id()[place_id]


def country_place(iso2: str) -> Place:
    return _by_id()[iso2.upper()]


def place_kind(place_id: str) -> str:
    """``oblast``, ``krai``, ``republic``, ... for a region; ``city``, ``district``, ``country``."""
    return _build()[2][place_id]


def lexemes() -> tuple[Lexeme, ...]:
    return _build()[1]


def city_of_district(place_id: str) -> str | None:
    """The city a city district belongs to (``BY-HM`` for Frunzensky District (Minsk)), else None."""
    place = place_by_id(place_id)
    if place.level != "district" or place.parent is None:
        return None
    parent = place_by_id(place.parent)
    return parent.place_id if parent.level in ("city",) or place_kind(parent.place_id) == "city" else None


# The columns of the ``places`` table.
PLACES_SCHEMA = {
    "place_id": pl.Utf8,
    "name": pl.Utf8,
    "name_ru": pl.Utf8,
    "country": pl.Utf8,
    "level": pl.Utf8,
    "region": pl.Utf8,
    "parent": pl.Utf8,
    "aliases": pl.List(pl.Utf8),
}


@cache
def places_frame():
    """The ``places`` table: place_id, name, name_ru, country, level, region, parent, aliases."""
    aliases: dict[str, list[str]] = {}
    for lx in lexemes():
        if lx.role == "name":
            aliases.setdefault(lx.place_id, []).append(lx.text)
    rows = [
        {
            "place_id": p.place_id,
            "name": p.name,
            "name_ru": p.name_ru,
            "country": p.country,
            "level": p.level,
            "region": p.region,
            "parent": p.parent,
            "aliases": sorted(set(aliases.get(p.place_id, [])) - {p.name}),
        }
        for p in load_places()
    ]
    return pl.DataFrame(rows, schema=PLACES_SCHEMA)


def source_digest() -> str:
    """A hash of the data files the Russian forms are generated from (to detect a stale file)."""
    h = hashlib.sha256()
    for name in SOURCE_FILES:
        h.update((DATA_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def russian_lemmas() -> Iterator[Lexeme]:
    """Russian lexemes to inflect, and the Russian heads (role ``head``, place_id = kind)."""
    yield from (lx for lx in lexemes() if lx.lang == "ru")
    for kind, spec in heads().items():
        for text in spec.get("ru", []):
            yield Lexeme(kind, "head", kind, text, "ru")
        for text in spec.get("ru_context", []):
            yield Lexeme(kind, "context", kind, text, "ru")
