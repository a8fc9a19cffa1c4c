"""Synthetic corpora for the benchmark: news-like pages recombined from the seed documents.

Every paragraph of the seed documents (``raw/``, and the news items of ``../shared/news/raw``
when that folder is there) becomes a template whose place names, years and money values are
slots. A generated page is site chrome, a dateline, a title and paragraphs of one language,
with each slot filled from the gazetteer (a Russian or Belarusian region for a region, a city
for a city), a shifted year or a scaled value. Each page's manifest row lists the
substitutions made and how many gold facts its paragraphs carried, so the facts a run
extracts can be compared with the facts the corpus holds (a sanity figure, not a score).

Russian slots keep the grammatical case: a region written with an adjective ("Брянскую
область") has its stem swapped and its ending kept ("Смоленскую область"); a city is swapped
only where it stands in the nominative (its gazetteer form).

Page ``i`` depends only on the seed and ``i``, so a smaller corpus is a prefix of a larger one.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GENERATOR_VERSION = 1
SEED = 20250611
ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = (ROOT / "raw", ROOT.parent / "shared" / "news" / "raw")
GOLD_FILES = (
    ROOT.parent / "shared" / "gold" / "seeds.gold.jsonl",
    ROOT.parent / "shared" / "news" / "news.gold.jsonl",
)

LONG_SOURCE_BYTES = 20_000  # a seed longer than this is a study, not a news page
LONG_SHARE = 0.02  # share of generated documents that are long (a study or report)
NEWS_BYTES = (1_000, 3_000)
LONG_BYTES = (15_000, 60_000)
RUSSIAN_SHARE = 0.5
MIN_PARAGRAPH = 80

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_BLANK = re.compile(r"\n[ \t\xa0]*\n+")
_YEAR = re.compile(r"(?<![\d.,])(?:199\d|20[0-2]\d)(?![\d])")
_VALUE = re.compile(r"(?<![\d.,])(\d{1,4}(?:[.,]\d{1,2})?)(\s?)(million|billion|млн|млрд)")
_ADJ_ENDINGS = "ая|ой|ую|ою|ом|ий|ого|ому|им|ое|ие|их|ими|ых|ым|ыми|ые"
_EN_HEADS = {
    "oblast": ("region", "Region", "Oblast", "oblast"),
    "krai": ("Krai", "krai", "Territory", "region"),
}
_RU_HEADS = {"oblast": r"област[ьиеюя]\w*", "krai": r"кра[йяюе]\w*"}
_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
}
_TICKER = "USD {:.4f}   EUR {:.4f}   100 RUB {:.4f}"


@dataclass(frozen=True, slots=True)
class Slot:
    start: int
    stop: int
    kind: str  # place | year | value
    group: str  # for a place: the group its substitute comes from ("RU/oblast/en-stem", ...)
    source: str  # the text found (a place_id for a place)
    keep: str = ""  # what stays around the swapped part: an adjective ending, a head word


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    lang: str
    long: bool  # from a long source (a study): used in long documents only
    gold: int  # gold facts whose quote lies in this paragraph
    slots: tuple[Slot, ...]


@dataclass(frozen=True, slots=True)
class Pools:
    paragraphs: dict[tuple[str, bool], list[Template]]  # (lang, long) -> templates
    titles: dict[str, list[Template]]
    chrome: dict[str, list[str]]
    places: dict[str, list[tuple[str, str]]]  # group -> [(place_id, the form to write)]
    digest: str  # of the sources: a corpus made from other seeds is regenerated


def _language(text: str) -> str:
    letters = sum(map(str.isalpha, text)) or 1
    return "ru" if len(_CYRILLIC.findall(text)) / letters > 0.5 else "en"


def _squash(text: str) -> str:
    return " ".join(text.split())


def seed_files() -> list[Path]:
    return [p for d in SEED_DIRS if d.is_dir() for p in sorted(d.glob("*.txt"))]


def _gold_quotes() -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = {}
    for path in GOLD_FILES:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    quotes.setdefault(row["doc"], []).append(_squash(row.get("quote") or ""))
    return quotes


@dataclass(frozen=True, slots=True)
class _Forms:
    groups: dict[str, list[tuple[str, str]]]  # group -> [(place_id, the form written)]
    en: dict[str, tuple[str, str, int]]  # English phrase -> (group, place_id, length of the swapped part)
    ru_stems: dict[tuple[str, str], tuple[str, str]]  # (adjective stem, kind) -> (group, place_id)
    ru_names: dict[str, tuple[str, str]]  # a city's or a republic's name -> (group, place_id)


@cache
def _place_forms() -> _Forms:
    """Substitutable places by group. Groups: ``{country}/{kind}/{style}``; style ``en-stem``
    ("Bryansk" + a head word kept from the template), ``en-name`` (a republic's "Republic of
    X", a city), ``ru-adj`` (the stem of "Брянская область", the ending and head kept),
    ``ru-name`` (a city, or X of "Республика X")."""
    from pipelines.places.gazetteer import load_places, place_kind

    forms = _Forms({}, {}, {}, {})

    def add(group: str, pid: str, written: str) -> None:
        forms.groups.setdefault(group, []).append((pid, written))

    for p in load_places():
        if p.country not in ("RU", "BY") or p.level not in ("region", "city"):
            continue
        kind = "city" if p.level == "city" else place_kind(p.place_id)
        if kind in ("oblast", "krai"):
            stem = p.name.rsplit(" ", 1)[0]
            add(group := f"{p.country}/{kind}/en-stem", p.place_id, stem)
            for head in _EN_HEADS[kind]:
                forms.en[f"{stem} {head}"] = (group, p.place_id, len(stem))
            adjective = (p.name_ru or "").split(" ")[0]
            if re.fullmatch(r"[А-ЯЁ][а-яё]+(?:ая|ий)", adjective):
                add(group := f"{p.country}/{kind}/ru-adj", p.place_id, adjective[:-2])
                forms.ru_stems[(adjective[:-2], kind)] = (group, p.place_id)
        elif kind == "republic" and p.name.startswith("Republic of "):
            add(group := f"{p.country}/republic/en-name", p.place_id, p.name)
            forms.en[p.name] = (group, p.place_id, len(p.name))
            name = (p.name_ru or "").removeprefix("Республика ")
            if name != p.name_ru and " " not in name:
                add(group := f"{p.country}/republic/ru-name", p.place_id, name)
                forms.ru_names[name] = (group, p.place_id)
        elif kind == "city" and len(p.name) >= 4 and " " not in p.name and "(" not in p.name:
            add(group := f"{p.country}/city/en-name", p.place_id, p.name)
            forms.en.setdefault(p.name, (group, p.place_id, len(p.name)))
            if p.name_ru and len(p.name_ru) >= 5 and " " not in p.name_ru:
                add(group := f"{p.country}/city/ru-name", p.place_id, p.name_ru)
                forms.ru_names.setdefault(p.name_ru, (group, p.place_id))
    return forms


_WORD = re.compile(r"[\w’'-]+")
_RU_HEAD = {kind: re.compile(pattern) for kind, pattern in _RU_HEADS.items()}
_ENDINGS = tuple(sorted(_ADJ_ENDINGS.split("|"), key=len, reverse=True))


def _place_slots(text: str, lang: str) -> Iterator[Slot]:
    forms = _place_forms()
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        w = words[i]
        if not w.group()[0].isupper():
            i += 1
            continue
        if lang == "en":  # the longest phrase of up to four words the gazetteer knows
            for n in (4, 3, 2, 1):
                if i + n > len(words):
                    continue
                phrase = " ".join(x.group() for x in words[i : i + n])
                if text[w.start() : words[i + n - 1].end()] == phrase and phrase in forms.en:
                    group, pid, length = forms.en[phrase]
                    yield Slot(w.start(), w.start() + length, "place", group, pid)
                    i += n
                    break
            else:
                i += 1
            continue
        word, before = w.group(), words[i - 1].group() if i else ""
        nxt = words[i + 1].group() if i + 1 < len(words) else ""
        for ending in _ENDINGS:
            if not word.endswith(ending):
                continue
            stem = word[: -len(ending)]
            kind = next(
                (k for k, h in _RU_HEAD.items() if (stem, k) in forms.ru_stems and h.fullmatch(nxt)), None
            )
            if kind:
                group, pid = forms.ru_stems[(stem, kind)]
                yield Slot(w.start(), w.start() + len(stem), "place", group, pid)
                break
        else:
            if word in forms.ru_names:
                group, pid = forms.ru_names[word]
                # X of "Республика X" keeps its form in every case; a city only in the nominative
                if ("republic" in group) == before.startswith("Республик"):
                    yield Slot(w.start(), w.end(), "place", group, pid)
        i += 1


def _slots(text: str, lang: str) -> tuple[Slot, ...]:
    slots = list(_place_slots(text, lang))
    slots += [Slot(m.start(), m.end(), "year", "", m.group()) for m in _YEAR.finditer(text)]
    slots += [Slot(m.start(1), m.end(1), "value", "", m.group(1)) for m in _VALUE.finditer(text)]
    slots.sort(key=lambda s: s.start)
    out: list[Slot] = []
    for s in slots:  # a year inside a place name, a value overlapping a year: the first wins
        if not out or s.start >= out[-1].stop:
            out.append(s)
    return tuple(out)


def _chrome_lines(lines: list[str]) -> list[str]:
    edge = [ln.strip() for ln in lines[:6] + lines[-4:]]
    return [ln for ln in edge if 2 <= len(ln) <= 40 and not ln.endswith((".", ",")) and "http" not in ln]


@cache
def pools() -> Pools:
    gold = _gold_quotes()
    paragraphs: dict[tuple[str, bool], list[Template]] = {}
    titles: dict[str, list[Template]] = {"en": [], "ru": []}
    chrome: dict[str, set[str]] = {"en": set(), "ru": set()}
    digest = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    for path in seed_files():
        data = path.read_bytes()
        digest.update(path.name.encode() + data)
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        long = len(data) > LONG_SOURCE_BYTES
        quotes = gold.get(path.name, [])
        lang = _language(text)
        lines = text.splitlines()
        if not long:
            chrome[lang].update(ln for ln in _chrome_lines(lines) if _language(ln) == lang)
            for ln in lines[:10]:
                ln = ln.strip()
                if 30 <= len(ln) <= 140 and not ln.endswith(".") and _language(ln) == lang:
                    titles[lang].append(Template(ln, lang, False, 0, _slots(ln, lang)))
        for block in _BLANK.split(text):
            block = block.strip("\n")
            if len(block.strip()) < MIN_PARAGRAPH or not re.search(r"[.!?…]", block):
                continue
            block_lang = _language(block)
            squashed = _squash(block)
            n_gold = sum(1 for q in quotes if q and q in squashed)
            t = Template(block, block_lang, long, n_gold, _slots(block, block_lang))
            paragraphs.setdefault((block_lang, long), []).append(t)
    return Pools(
        paragraphs,
        titles,
        {k: sorted(v) for k, v in chrome.items()},
        _place_forms().groups,
        digest.hexdigest()[:16],
    )


def _fill(t: Template, rng: random.Random, state: dict, subs: list) -> str:
    """The template's text with every slot filled; one source stays one substitute within a page."""
    if not t.slots:
        return t.text
    p = pools()
    parts, pos = [], 0
    for s in t.slots:
        parts.append(t.text[pos : s.start])
        found = t.text[s.start : s.stop]
        key = (s.kind, s.group, s.source)
        if key not in state:
            if s.kind == "place":
                state[key] = rng.choice(p.places[s.group])
            elif s.kind == "year":
                state[key] = str(min(2025, int(s.source) + state["year_shift"]))
            else:
                value = float(s.source.replace(",", ".")) * rng.uniform(0.5, 2.0)
                decimals = len(re.split(r"[.,]", s.source)[1]) if re.search(r"[.,]", s.source) else 0
                text = f"{value:.{decimals}f}" if decimals else str(max(1, round(value)))
                state[key] = text.replace(".", ",") if "," in s.source else text
        new = state[key]
        if s.kind == "place":
            pid, form = new
            subs.append(["place", s.source, pid, form])
            parts.append(form)
        else:
            if new != found:
                subs.append([s.kind, found, new])
            parts.append(new)
        pos = s.stop
    parts.append(t.text[pos:])
    return "".join(parts)


def _dateline(lang: str, rng: random.Random, year: int) -> str:
    month, day = rng.randrange(12), rng.randint(1, 28)
    hour, minute = rng.randint(7, 22), rng.randrange(60)
    return f"{day:02d} {_MONTHS[lang][month]} {year}, {hour:02d}:{minute:02d}"


def generate_document(index: int, seed: int = SEED) -> tuple[str, str, dict]:
    """Page ``index`` of the corpus: (file name, text, manifest row)."""
    p = pools()
    rng = random.Random(f"{seed}:{index}")
    lang = "ru" if rng.random() < RUSSIAN_SHARE else "en"
    long = rng.random() < LONG_SHARE and bool(
        p.paragraphs.get((lang, True)) or p.paragraphs.get((lang, False))
    )
    state: dict = {"year_shift": rng.randint(-4, 1)}
    subs: list = []
    lines = rng.sample(p.chrome[lang], k=min(len(p.chrome[lang]), rng.randint(1, 3)))
    if rng.random() < 0.3:
        lines.append(_TICKER.format(rng.uniform(2.9, 3.4), rng.uniform(3.2, 3.8), rng.uniform(3.4, 3.9)))
    lines.append(_dateline(lang, rng, 2025 + min(0, state["year_shift"])))
    if p.titles[lang]:
        lines += ["", _fill(rng.choice(p.titles[lang]), rng, state, subs)]
    pool = (
        (p.paragraphs.get((lang, True), []) + p.paragraphs.get((lang, False), []))
        if long
        else p.paragraphs[(lang, False)]
    )
    target = rng.randint(*(LONG_BYTES if long else NEWS_BYTES))
    body, size, gold, used = [], len("\n".join(lines).encode()), 0, []
    while size < target or not body:
        i = rng.randrange(len(pool))
        t = pool[i]
        if long or size + len(t.text.encode()) <= NEWS_BYTES[1] or not body:
            body.append(_fill(t, rng, state, subs))
            size += len(body[-1].encode()) + 2
            gold += t.gold
            used.append(i)
        elif size >= NEWS_BYTES[0]:
            break
    footer = rng.sample(p.chrome[lang], k=min(len(p.chrome[lang]), rng.randint(0, 2)))
    text = "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(footer) + "\n"
    name = f"gen_{index:06d}_{lang}{'_long' if long else ''}.txt"
    row = {
        "doc_name": name,
        "lang": lang,
        "long": long,
        "n_bytes": len(text.encode()),
        "paragraphs": used,
        "expected_facts": gold,
        "substitutions": subs,
    }
    return name, text, row


def documents(seed: int = SEED, start: int = 0) -> Iterator[tuple[str, str, dict]]:
    index = start
    while True:
        yield generate_document(index, seed)
        index += 1


@dataclass(frozen=True)
class Corpus:
    root: Path  # holds raw/ and manifest.jsonl
    n_docs: int
    n_bytes: int
    bytes_by_lang: dict[str, int]
    expected_facts: int
    generated: bool  # False when an identical corpus was already on disk

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    def manifest(self) -> Iterator[dict]:
        with open(self.root / "manifest.jsonl", encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def generate_corpus(root: Path, size_bytes: int, seed: int = SEED) -> Corpus:
    """Write documents into ``root/raw`` until they hold ``size_bytes``, one file at a time,
    with ``root/manifest.jsonl``; an identical corpus already there is kept as it is."""
    root = Path(root)
    stamp = {"version": GENERATOR_VERSION, "seed": seed, "size_bytes": size_bytes, "sources": pools().digest}
    done = root / "corpus.json"
    if done.exists():
        info = json.loads(done.read_text())
        if info.get("stamp") == stamp:
            return Corpus(
                root, info["n_docs"], info["n_bytes"], info["bytes_by_lang"], info["expected_facts"], False
            )
    raw = root / "raw"
    if raw.exists():
        for old in raw.iterdir():
            old.unlink()
    raw.mkdir(parents=True, exist_ok=True)
    done.unlink(missing_ok=True)
    n_docs = n_bytes = expected = 0
    by_lang: dict[str, int] = {}
    with open(root / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for name, text, row in documents(seed):
            data = text.encode("utf-8")
            (raw / name).write_bytes(data)
            manifest.write(json.dumps(row, ensure_ascii=False) + "\n")
            n_docs += 1
            n_bytes += len(data)
            expected += row["expected_facts"]
            by_lang[row["lang"]] = by_lang.get(row["lang"], 0) + len(data)
            if n_bytes >= size_bytes:
                break
    info = {
        "stamp": stamp,
        "n_docs": n_docs,
        "n_bytes": n_bytes,
        "bytes_by_lang": by_lang,
        "expected_facts": expected,
    }
    done.write_text(json.dumps(info, indent=1))
    return Corpus(root, n_docs, n_bytes, by_lang, expected, True)
