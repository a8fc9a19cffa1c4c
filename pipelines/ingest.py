"""Ingestion: raw bytes to normalised text, or a reason a user understands.

The text stored in ``documents.text`` is what every offset refers to, so decoding and
normalisation happen once, here: encoding detected (BOMs, UTF-8, UTF-16, Windows-1251,
KOI8-R), HTML reduced to its text, Unicode NFC, line endings unified, control
characters dropped. A cp1251 file and its UTF-8 twin yield the same text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import string
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import py3langid
import yaml

MAX_BYTES = 16 * 1024 * 1024  # larger files are rejected: see README "What happens to bad input"
MIN_CHARS = 20  # a document shorter than this has nothing to state

# File signatures of common binary formats, to name them in the rejection reason.
MAGIC = {
    b"\x89PNG": "a PNG image",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"%PDF": "a PDF (PDF input is not supported yet; convert it to text first)",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an MS Office (OLE) document",
    b"\x7fELF": "an executable",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CYRILLIC_SINGLE_BYTE = ("cp1251", "koi8_r")  # the two in use for Russian text; first wins a tie
UTF8_VALID_PER_BROKEN = (
    20  # a cp1251/KOI8-R text read as UTF-8 has far fewer valid sequences than broken ones
)
WESTERN_NON_ASCII_MAX = 0.15  # share of non-ASCII bytes in an English/European text without Cyrillic
BOM_BROKEN_MAX = 0.01  # share of undecodable characters tolerated after a byte-order mark
_ASCII = bytes(range(128))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff]|[\ud800-\udfff]")
_LOWER_RU = re.compile(r"[а-яё]")
_NOT_CYRILLIC = re.compile(r"[^\u0400-\u04ff]+")
_CYRILLIC_LETTERS = re.compile(r"[\u0400-\u0481\u048a-\u04ff]+")  # U+0482-U+0489: a sign, combining marks
# bytes.translate table: ASCII letters lowercased, every other byte a space
_LATIN_LOWER = bytes(ord(chr(c).lower()) if chr(c) in string.ascii_letters else 0x20 for c in range(256))
_BELARUSIAN_OR_UKRAINIAN = re.compile("[ўіїєґІЎЇЄҐ]")  # letters Russian does not have: і ў (be), ї є ґ (uk)
_LANGUAGE_RULES = Path(__file__).parent / "data" / "language.yaml"
_UPPER_RU = re.compile(r"[А-ЯЁ]")


class Unreadable(Exception):
    """The file cannot be read as a text document; the message is the user-facing reason."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    language: str
    sha256: str
    doc_id: str
    n_bytes: int
    markup: str  # "text" or "html"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_id_of(text: str) -> str:
    """Stable id derived from the normalised content: a cp1251 file and its UTF-8 twin share it."""
    return "doc_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise Unreadable."""
    if not data:
        raise Unreadable("empty file (0 bytes)")
    if len(data) > MAX_BYTES:
        raise Unreadable(f"file too large: {len(data):,} bytes, the limit is {MAX_BYTES:,} bytes")
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise Unreadable(f"binary file: looks like {what}")
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                text = data.decode(enc, errors="replace")
                broken = text.count("\ufffd")
                if broken <= max(
                    1, BOM_BROKEN_MAX * len(text)
                ):  # a lone surrogate or a cut-off last character
                    return text, f"{enc} ({broken} broken characters replaced)"
                raise Unreadable(
                    f"broken {enc} text after its byte-order mark: {e.reason} at byte {e.start}"
                ) from e
    if data.count(0) == len(data):
        raise Unreadable("binary file: only NUL bytes")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if data.count(0) > len(data) // 100:
        raise Unreadable(f"binary file: {data.count(0):,} NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _utf8_with_surrogates(data) or _mostly_utf8(data) or _single_byte(data)


def _utf8_with_surrogates(data: bytes) -> tuple[str, str] | None:
    """UTF-8 holding encoded UTF-16 surrogates (CESU-8, as Java and JavaScript may write it): a
    pair becomes its character, a lone surrogate is dropped by normalise()."""
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    paired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return paired, "utf-8 (with encoded surrogates)"


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few broken sequences (a page cut mid-character, an encoded lone surrogate)
    is read as UTF-8 with U+FFFD for each broken byte, not misread whole as a Cyrillic code page."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    ascii_bytes = len(data) - len(data.translate(None, _ASCII))
    valid_non_ascii = len(text) - ascii_bytes - broken
    if valid_non_ascii >= UTF8_VALID_PER_BROKEN * broken:
        return text, f"utf-8 ({broken} broken characters replaced)"
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    # ASCII-heavy UTF-16 has a NUL in every other byte; Cyrillic UTF-16 has 0x04 there. Too few
    # of them in the whole file for 90% of either half: no need to split it.
    if len(data) < 4 or len(data) % 2 or data.count(0) + data.count(4) <= 0.45 * len(data):
        return None
    even, odd = data[0::2], data[1::2]
    for enc, hi in (("utf-16-le", odd), ("utf-16-be", even)):
        if hi.count(0) + hi.count(4) > 0.9 * len(hi):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None
    return None


def _single_byte(data: bytes) -> tuple[str, str]:
    """Pick the Cyrillic code page whose reading looks most like Russian: mostly lowercase
    letters. (cp1251 read as KOI8-R turns lowercase into uppercase and vice versa.)"""
    best, best_score = None, -1.0
    for enc in CYRILLIC_SINGLE_BYTE:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        lower, upper = len(_LOWER_RU.findall(text)), len(_UPPER_RU.findall(text))
        score = (lower - 3 * upper) / max(1, len(text))
        if score > best_score:
            best, best_score = (text, enc), score
    non_ascii = len(data.translate(None, _ASCII))
    if (best is None or best_score <= 0) and non_ascii <= WESTERN_NON_ASCII_MAX * len(data):
        # no Cyrillic reading, a few accents or curly quotes: a Western (Windows-1252) text
        return data.decode("cp1252", errors="replace"), "cp1252"
    if best is None or best_score <= 0:
        raise Unreadable(
            "not text in any supported encoding (UTF-8, UTF-16, Windows-1251, KOI8-R, Windows-1252)"
        )
    return best


class _HTMLText(HTMLParser):
    """The visible text of an HTML page: scripts, styles and templates dropped, blocks on lines."""

    SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "ul",
        "ol",
        "table",
        "blockquote",
        "title",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


_HTML_START = re.compile(r"\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])", re.I)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text, 0, 1000)) or text.count("</", 0, 5000) > 10


def html_to_text(text: str) -> str:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    joined = "".join(parser.parts)
    joined = re.sub(r"[ \t]+\n", "\n", joined)
    return re.sub(r"\n{3,}", "\n\n", joined).strip() + "\n"


def normalise(text: str) -> str:
    """NFC, Unix line endings, no control characters or unpaired surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


@cache
def _language_rules() -> dict:
    rules = yaml.safe_load(_LANGUAGE_RULES.read_text(encoding="utf-8"))
    rules["english_function_words"] = frozenset(w.encode() for w in rules["english_function_words"])
    return rules


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language. Russian and English are what the extractors read.
    py3langid (slow: a Python loop over every byte) is asked only when the script and the
    function words leave the answer open."""
    sample = text[:20000]
    script = _script(sample)
    letters, cyr = script.letters or 1, script.cyrillic
    if cyr / letters > 0.5:  # py3langid sometimes reads short Russian pages as Ukrainian/Belarusian/Bulgarian
        if not _belarusian_or_ukrainian(sample):
            return "ru"
        lang, _ = py3langid.classify(sample)
        return lang if lang in ("be", "uk") else "ru"
    if cyr / letters <= 0.05 and _plainly_english(sample, script.latin):
        return "en"
    lang, _ = py3langid.classify(sample)
    return lang if cyr / letters > 0.05 or lang != "ru" else "en"


def _plainly_english(sample: str, latin: bytes) -> bool:
    """Whether the function words make up enough of the words (runs of a-z of the lowercased
    sample); ``latin`` is the sample's ASCII letters, lowercased, with a space for the rest."""
    rules = _language_rules()
    if "\u0130" in sample or "\u212a" in sample:  # "İ" and "K" lowercase to ASCII letters ("i̇", "k")
        latin = sample.lower().encode("utf-8", "surrogatepass").translate(_LATIN_LOWER)
    words = latin.split()
    if len(words) < rules["english_min_words"]:
        return False
    common = rules["english_function_words"]
    return sum(map(common.__contains__, words)) >= rules["english_share"] * len(words)


class _Script(NamedTuple):
    letters: int  # as many as sum(map(str.isalpha, sample))
    cyrillic: int  # characters of the Cyrillic block
    latin: bytes  # the UTF-8 of the sample, ASCII letters lowercased and every other byte a space


@lru_cache(maxsize=1)  # read_document and detect_language ask about the same text
def _script(sample: str) -> _Script:
    """Letters and Cyrillic of ``sample``, counted without a Python step per character: ASCII
    letters on the UTF-8 bytes, Cyrillic letters by one regex over what is not ASCII; only the
    few other characters (quotes, dashes, accented letters) are tested one by one."""
    data = sample.encode("utf-8", "surrogatepass")
    latin = data.translate(_LATIN_LOWER)
    non_ascii = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    rest = _CYRILLIC_LETTERS.sub("", non_ascii)
    cyrillic_letters = len(non_ascii) - len(rest)
    letters = len(latin) - latin.count(b" ") + cyrillic_letters + sum(map(str.isalpha, rest))
    return _Script(letters, cyrillic_letters + len(_NOT_CYRILLIC.sub("", rest)), latin)


def _belarusian_or_ukrainian(sample: str) -> bool:
    return len(_BELARUSIAN_OR_UKRAINIAN.findall(sample)) > len(sample) / 200


def read_document(data: bytes) -> Decoded:
    """Decode, normalise and identify one raw document, or raise Unreadable."""
    decoded, encoding = decode_bytes(data)
    markup = "html" if looks_like_html(decoded) else "text"
    text = normalise(html_to_text(decoded) if markup == "html" else decoded)
    if len(text.strip()) < MIN_CHARS:
        raise Unreadable(f"no text to read: {len(text.strip())} characters after decoding ({encoding})")
    letters = _script(text[:100000]).letters
    if letters < 0.3 * min(len(text), 100000):
        raise Unreadable(
            f"does not look like prose: only {letters} letters in the first {min(len(text), 100000)} characters"
        )
    sha = sha256_of(data)
    # a UTF-8 file that needed no change is the UTF-8 of its text: the text's hash is the file's
    doc_id = "doc_" + sha[:16] if text is decoded and encoding == "utf-8" else doc_id_of(text)
    return Decoded(text, encoding, detect_language(text), sha, doc_id, len(data), markup)
