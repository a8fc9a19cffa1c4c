"""Russian inflection of the gazetteer's lemmas (pymorphy3), run by scripts/build_place_forms.py.

A name phrase inflects its head noun and the adjectives before it, in every case; words after
the head stay as they are ("Республикой Татарстан", "Ростова-на-Дону", "Набережных Челнах").
Adjective stems ("брянский") get every form of every gender and number ("брянских"), by rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pipelines.places.gazetteer import Lexeme

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "gen2", "loc2")
# A parse with none of these grammemes is a common word ("мир", "орёл", "того"): a place
# spelled like it is not trusted at the start of a sentence, where everything is capitalised.
_PROPER = {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr", "Init"}
_VELAR_SIBILANT = set("кгхжшчщ")
_ADJ = {"ADJF", "PRTF"}


@cache
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def adjective_forms(lemma: str) -> set[str]:
    """Every form of a full adjective given as its masculine lemma ("брянский", "тверской")."""
    lemma = lemma.lower()
    if lemma.endswith("ний"):  # soft: "верхний"
        stem = lemma[:-2]
        ends = ["ий", "яя", "ее", "ие", "его", "ей", "их", "ему", "им", "юю", "ими", "ем", "ею"]
        return {stem + e for e in ends}
    if not lemma.endswith(("ий", "ый", "ой")):
        return {lemma}
    stem = lemma[:-2]
    i = "и" if stem[-1:] in _VELAR_SIBILANT else "ы"
    ends = ["ая", "ое", "ого", "ой", "ою", "ому", "ом", "ую", f"{i}е", f"{i}х", f"{i}м", f"{i}ми"]
    return {lemma} | {stem + e for e in ends}


def _best(word: str, pos: set[str], number: str | None = None):
    parses = [p for p in morph().parse(word) if p.tag.POS in pos and "nomn" in p.tag]
    if number:
        parses = [p for p in parses if number in p.tag] or parses
    parses.sort(key=lambda p: ("Geox" not in p.tag, -p.score))
    return parses[0] if parses else None


def _inflect_word(word: str, parse, grams: set[str]) -> str | None:
    """Inflect ``word`` (one token, maybe hyphenated) with ``parse`` to ``grams``, keeping
    its capitalisation. None when pymorphy has no such form."""
    form = parse.inflect(grams) if parse is not None else None
    if form is None:
        return None
    out = form.word
    if word[:1].isupper():
        out = "-".join(part[:1].upper() + part[1:] for part in out.split("-"))
        # keep lower-case inner parts as written ("Ростов-на-Дону")
        src_parts, out_parts = word.split("-"), out.split("-")
        if len(src_parts) == len(out_parts):
            out = "-".join(
                o if s[:1].isupper() else o.lower() for s, o in zip(src_parts, out_parts, strict=True)
            )
    return out


def _word_forms(word: str, pos: set[str], grams: set[str], number: str | None) -> str | None:
    parse = _best(word.lower(), pos, number)
    if parse is not None and (parse.is_known or "-" not in word):
        return _inflect_word(word, parse, grams)
    if "-" in word:  # "Горно-Алтайск", "Петропавловск-Камчатский": inflect the declinable parts
        parts = word.split("-")
        last = _best(parts[-1].lower(), {"NOUN"} | _ADJ)
        if last is None:
            return None
        out_last = _inflect_word(parts[-1], last, grams)
        if out_last is None:
            return None
        first = parts[0]
        if len(parts) == 2 and last.tag.POS in _ADJ:
            head = _best(parts[0].lower(), {"NOUN"})
            first = (_inflect_word(parts[0], head, grams) if head else None) or parts[0]
        return "-".join([first, *parts[1:-1], out_last])
    return None


def phrase_forms(phrase: str, plural: bool = False) -> set[str]:
    """All case forms of a name phrase (and of its plural when ``plural``)."""
    words = phrase.split(" ")
    head = None
    for i, w in enumerate(words):
        if any(c.isalpha() for c in w) and _best(w.lower(), {"NOUN"}) is not None:
            if (
                i + 1 < len(words)
                and _best(w.lower(), _ADJ) is not None
                and _best(words[i + 1].lower(), {"NOUN"})
            ):
                continue  # "Набережные Челны": an adjective that is also a noun, before its noun
            head = i
            break
    if head is None:  # "Грозный", "Жуковский": adjectives used as names
        targets = [i for i, w in enumerate(words) if _best(w.lower(), _ADJ) is not None]
        if not targets:
            return {phrase}
        gender = None
        number = None
    else:
        targets = [i for i in range(head) if _best(words[i].lower(), _ADJ) is not None] + [head]
        hp = _best(words[head].lower(), {"NOUN"})
        gender = next((g for g in ("masc", "femn", "neut") if g in hp.tag), None)
        number = "plur" if "plur" in hp.tag else None
    out = {phrase}
    numbers = ["plur"] if number == "plur" else (["sing", "plur"] if plural else ["sing"])
    for num in numbers:
        for case in CASES:
            new = list(words)
            ok = True
            for i in targets:
                is_head = i == head
                grams = {case, num}
                if not is_head and num == "sing" and gender:
                    grams.add(gender)
                pos = {"NOUN"} if is_head else _ADJ
                if not is_head and case == "accs" and num == "sing" and gender == "masc":
                    grams.add("inan")
                form = _word_forms(words[i], pos, grams, "plur" if number == "plur" else None)
                if form is None:
                    ok = False
                    break
                new[i] = form
            if ok:
                out.add(" ".join(new))
    return out


def is_common_word(form: str) -> bool:
    """Whether a single-word form is also a common word ("Мира", "Орла", "Того")."""
    if " " in form:
        return False
    return any(
        p.is_known and p.score >= 0.05 and not (_PROPER & p.tag.grammemes)
        for p in morph().parse(form.lower())
    )


def forms(lexemes: Iterable[Lexeme]) -> list[tuple[str, str, str, str, str]]:
    """(place_id, role, kind, form, flags) rows for every Russian lexeme: names and heads in
    every case, stems and country adjectives in every form. flags: ``common`` or empty."""
    rows: set[tuple[str, str, str, str, str]] = set()
    for lx in lexemes:
        if lx.role in ("stem", "adj"):
            variants = adjective_forms(lx.text) if lx.text.lower().endswith(("ий", "ый", "ой")) else {lx.text}
        elif lx.role in ("head", "context"):
            if "." in lx.text or lx.text.isupper():
                variants = {lx.text}
            elif " " not in lx.text and lx.text.endswith(("ий", "ый", "ой")):  # "областной"
                variants = adjective_forms(lx.text)
            else:
                variants = phrase_forms(lx.text, plural=True)
        elif lx.text.isupper() or "." in lx.text:  # "РФ", "ХМАО": abbreviations do not inflect
            variants = {lx.text}
        else:
            variants = phrase_forms(lx.text)
        for v in variants:
            flag = lx.guard or ("common" if lx.role == "name" and is_common_word(v) else "")
            rows.add((lx.place_id, lx.role, lx.kind, v, flag))
    return sorted(rows)
