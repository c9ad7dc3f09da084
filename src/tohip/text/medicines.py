"""Current medicines and drug allergies, read from a note.

Clinicians write these as lists under a header ("DHx:", "Medications:", "Allergies:") or in
running text ("on alendronate 70 mg weekly", "allergic to penicillin (rash)", "NKDA"). The
safety rules of the care plan depend on both, so both are read: names from the lexicon in
``text/medicines.yaml`` together with the plan's drug names, and in a medicines list also an
unknown name written before its dose, so that nothing listed is silently dropped. "No regular
medications" and "NKDA" give an empty list, which the plan reads as "recorded: none".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tohip.text.prefilter import finditer
from tohip.text.values import Found, word_pattern

if TYPE_CHECKING:
    from tohip.text.rules import TextRules

_LINE_END = re.compile(r"\n\s*\n|\n(?=\s*[A-Z][A-Za-z /&]{1,30}:)")
_SENTENCE_END = re.compile(r"\.(?=\s|$)|;\s+[A-Z]")
# one entry of a list: items are separated by commas, semicolons, "+", " and " or new lines
_ITEM_SEPARATOR = re.compile(r"[,;+\n]|\band\b|\bwith\b", re.I)
# what an entry says besides the medicine's name: dose, frequency, route, duration, notes
_NOT_NAME = re.compile(
    r"\([^)]{0,60}\)|\b\d+(?:\.\d+)?\s?(?:mg|mcg|micrograms?|g|units?|iu|ml|%)(?![a-z])"
    r"|\b(?:od|bd|bid|tds|tid|qds|qid|prn|nocte|mane|daily|weekly|monthly|stat|po|iv|sc|im"
    r"|oral|orally|topical|inhaled|q\d{1,2}h|x\s?\d+\s?(?:days?|weeks?)|for\s\d+\s(?:days?|weeks?)"
    r"|as required|as needed|once|twice|a day|per day|at night|prophylaxis|prophylactic)\b",
    re.I,
)
_DOSE_OR_TIMING = re.compile(
    r"\d|\b(?:od|bd|bid|tds|tid|qds|qid|prn|nocte|mane|daily|weekly|as required|as needed)\b", re.I
)
_NAME_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9/-]{3,30}(?:\s[A-Za-z0-9/-]{1,20}){0,2}")
MAX_LIST = 2000  # characters a list under a header may run to
# a dose written after a name ("prednisolone 5 mg od", "paracetamol 1 g qds"): being taken
_DOSE_AFTER = re.compile(  # starts only where a run of spaces starts: linear on any text
    r"(?<![ \t])(?:[ \t]*+\(?[ \t]*+(?<!\d)\d++(?:\.\d++)?[ \t]*+"
    r"(?:mg|mcg|micrograms?|g|units?|iu)(?![a-z])"
    r"|[ \t]++(?:od|bd|bid|tds|tid|qds|qid|prn|nocte|mane|daily|weekly)\b)",
    re.I,
)
# what may stand between two medicines of one list in running text ("methotrexate 20 mg weekly
# + prednisolone", "mercaptopurine and methotrexate", "atazanavir/ritonavir")
_LINK = re.compile(r"(?:[\s,;+/&()]|\band\b|\bplus\b|\bwith\b)*+", re.I)
MAX_LINK = 60  # characters between two chained names
_JUST_BEFORE = re.compile(r"[\s\-]{0,2}")
_DENIED = re.compile(r"\b(?:no|not|nil|denies|without)\s++$", re.I)


@dataclass(frozen=True)
class MedicineWords:
    names: tuple[str, ...]
    no_medicines: tuple[str, ...]
    no_allergies: tuple[str, ...]
    allergy_cues: tuple[str, ...]
    current_cues: tuple[str, ...]
    not_current_cues: tuple[str, ...]
    medication_headers: tuple[str, ...]
    allergy_headers: tuple[str, ...]
    generic: tuple[tuple[str, str], ...] = ()
    plan_headers: tuple[str, ...] = ()
    not_current_after: tuple[str, ...] = ()
    exception_cues: tuple[str, ...] = ()
    allergy_after: tuple[str, ...] = ()


def medicine_words(rules: TextRules) -> MedicineWords:
    """The lexicon and cue words, from ``text/medicines.yaml``, the plan's drug names and the
    medicines and allergies section headers."""
    m = rules.medicines
    return MedicineWords(
        names=tuple(dict.fromkeys(n.lower() for n in [*m.names, *rules.plan_drug_names])),
        no_medicines=tuple(m.no_medicines),
        no_allergies=tuple(m.no_allergies),
        allergy_cues=tuple(m.allergy_cues),
        current_cues=tuple(m.current_cues),
        not_current_cues=tuple(m.not_current_cues),
        medication_headers=rules.headers("medications"),
        allergy_headers=rules.headers("allergies"),
        generic=tuple((k.lower(), v.lower()) for k, v in m.generic.items()),
        plan_headers=rules.headers("plan"),
        not_current_after=tuple(m.not_current_after),
        exception_cues=tuple(m.exception_cues),
        allergy_after=tuple(m.allergy_after),
    )


@functools.cache
def _header(headers: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(h) for h in sorted(headers, key=len, reverse=True))
    # at the start of a line, or after a full stop on the same line ("HTN. DHx: amlodipine")
    return re.compile(r"(?im)(?:^|(?<=[.;]\s)|(?<=[.;]\s\s))[ \t\-*•]*(?:" + words + r")\s*[:\-]")


def _blocks(text: str, headers: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """The spans of the lists under these headers: to a blank line or the next header."""
    for m in finditer(_header(headers), text):
        start = m.end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        if text[start:line_end].strip():  # "Allergies: penicillin (rash)": that sentence only
            stop = _SENTENCE_END.search(text, start, line_end)
            yield start, stop.start() if stop else line_end
            continue
        stop = _LINE_END.search(text, start, min(len(text), start + MAX_LIST))
        yield start, stop.start() if stop else min(len(text), start + MAX_LIST)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    right_dot, right_nl = text.find(".", end), text.find("\n", end)
    candidates = [p for p in (right_dot, right_nl) if p != -1]
    return left, min(candidates) if candidates else len(text)


def _names_in(
    words: MedicineWords, text: str, start: int, end: int, as_list: bool, every: bool = False
) -> Iterator[tuple[str, int, int]]:
    """Known names (and in a list, unknown entries) once each, or with ``every`` each mention."""
    seen: set[str] = set()
    generic = dict(words.generic)
    for m in word_pattern(words.names).finditer(text, start, end):
        name = m.group(0).lower()
        name = generic.get(name, name)
        if every or name not in seen:
            seen.add(name)
            yield name, m.start(), m.end()
    if as_list:
        for name, s, e in _unknown_names(words, text, start, end):
            name = generic.get(name, name)
            if name not in seen:
                seen.add(name)
                yield name, s, e


def _unknown_names(
    words: MedicineWords, text: str, start: int, end: int
) -> Iterator[tuple[str, int, int]]:
    """Entries of a medicines list that hold no known name: the entry less its dose, timing
    and notes ("Zapotrol 20 mg nocte" -> "zapotrol"), when it has a dose or timing or is one
    capitalised word, so that nothing listed is silently dropped."""
    known = word_pattern(words.names)
    pos = start
    for sep in [*_ITEM_SEPARATOR.finditer(text, start, end), None]:
        stop = sep.start() if sep is not None else end
        item = text[pos:stop]
        item_start, pos = pos, (sep.end() if sep is not None else end)
        if not item.strip() or known.search(item) or _phrases(words.no_medicines).search(item):
            continue
        name = _NOT_NAME.sub(" ", item).strip(" \t-*•:.")
        shape = _NAME_SHAPE.fullmatch(" ".join(name.split()))
        single_word = " " not in name and name[:1].isupper() and len(name) >= 5
        if shape is None or name.lower() in _NOT_MEDICINES:
            continue
        if _DOSE_OR_TIMING.search(item) or single_word:
            offset = item_start + item.find(name.split()[0])
            yield " ".join(name.lower().split()), offset, offset + len(name.split()[0])


# list words that are not medicine names
_NOT_MEDICINES = {
    "nil", "none", "nkda", "nil regular", "none regular", "regular", "medications", "medicines",
    "allergies", "other", "otherwise", "unknown", "nil else", "nil known", "self-started",
    "over the counter", "supplements", "vitamins",
}  # fmt: skip


def _chained(text: str, end: int, start: int) -> bool:
    """Two names of one list: between them only separators and the first one's dose."""
    if start - end > MAX_LINK:
        return False
    gap = _NOT_NAME.sub(" ", text[end:start])
    return _LINK.fullmatch(gap) is not None


_PARENTHESIS = re.compile(r"[ \t]*+\(([^()\n]{1,80})\)")


def _members_follow(words: MedicineWords, text: str, start: int, end: int) -> bool:
    """A regimen named with its medicines in brackets ("ART (TDF/3TC/DTG)"): the medicines
    are recorded, not the regimen's name. A brand or generic name of the same medicine in
    brackets ("omeprazole (Prilosec)", "Losec (omeprazole)") names no members."""
    m = _PARENTHESIS.match(text, end)
    if m is None:
        return False
    generic = dict(words.generic)
    name = text[start:end].lower()
    own = generic.get(name, name)
    members = (x.group(0).lower() for x in word_pattern(words.names).finditer(m.group(1)))
    return any(generic.get(n, n) != own for n in members)


def _not_current(words: MedicineWords, text: str, start: int, end: int | None = None) -> bool:
    """A cue before the name ("stopped", "tried"), or with ``end`` one after it and the names
    and doses listed with it ("paracetamol + ibuprofen not helping", "morphine 2 mg IV given")."""
    before = text[max(0, start - 40) : start].lower()
    if words.exception_cues:  # "no meds except naproxen": the "no" does not reach past it
        exceptions = list(word_pattern(words.exception_cues).finditer(before))
        before = before[exceptions[-1].end() :] if exceptions else before
    if any(re.search(r"\b" + re.escape(cue) + r"\s+(?:\w+\s+){0,3}$", before)
           for cue in words.not_current_cues):  # fmt: skip
        return True
    if end is None or not words.not_current_after:
        return False
    after = text[end : end + MAX_LINK]
    stop = re.search(r"[.;\n]", after)
    after = after[: stop.start()] if stop else after
    after = _NOT_NAME.sub(" ", word_pattern(words.names).sub(" ", after))
    after = after[_LINK.match(after).end() :]  # type: ignore[union-attr]
    plain = tuple(c for c in words.not_current_after if not c.endswith("$"))
    final = tuple(c[:-1].strip() for c in words.not_current_after if c.endswith("$"))
    if plain and word_pattern(plain).match(after):
        return True
    m = word_pattern(final).match(after) if final else None
    return m is not None and not re.split(r"[,)\]]", after[m.end() :], maxsplit=1)[0].strip()


def medicines(words: MedicineWords, text: str) -> list[Found]:
    """``patient.medications``: names in medicines lists, and current ones in running text."""
    found: list[Found] = []
    listed: list[tuple[int, int]] = list(_blocks(text, words.medication_headers))
    for start, end in listed:
        for name, s, e in _names_in(words, text, start, end, as_list=True):
            if not _not_current(words, text, s, e) and not _members_follow(words, text, s, e):
                found.append(Found("patient.medications", [name], s, e, "medicines_list"))
    # a plan prescribes: what it names is not yet taken ("Plan: naproxen 500 mg bd")
    planned = list(_blocks(text, words.plan_headers)) if words.plan_headers else []
    in_list = [range(s, e) for s, e in [*listed, *planned]]
    allergy_spans = [range(s, e) for s, e in _allergy_spans(words, text)]
    # an exception to a "none" ("no meds except naproxen") names a medicine taken
    cue = word_pattern(words.current_cues + words.exception_cues)
    previous: tuple[int, bool] | None = None  # end of the last name in running text, current?
    for name, s, e in _names_in(words, text, 0, len(text), as_list=False, every=True):
        if any(s in r for r in in_list) or any(s in r for r in allergy_spans):
            previous = None
            continue
        # the cue is looked for in the name's own sentence ("CTG on labour ward. Vit D sent."
        # names no medicine taken)
        before = text[max(0, s - 30) : s]
        ends = list(_SENTENCE_END.finditer(before))
        before = before[ends[-1].end() :] if ends else before
        current = (
            cue.search(before) is not None
            or _DOSE_AFTER.match(text, e) is not None
            or (previous is not None and previous[1] and _chained(text, previous[0], s))
        ) and not _not_current(words, text, s, e)
        previous = (e, current)
        if current and not _members_follow(words, text, s, e):
            found.append(Found("patient.medications", [name], s, e, "medicines_text"))
    for m in finditer(_phrases(words.no_medicines), text):
        found.append(Found("patient.medications", [], m.start(), m.end(), "medicines_none"))
    return found


def _allergy_spans(words: MedicineWords, text: str) -> Iterator[tuple[int, int]]:
    yield from _blocks(text, words.allergy_headers)
    for m in finditer(word_pattern(words.allergy_cues), text):
        _, end = _sentence(text, m.start(), m.end())
        yield m.start(), min(end, m.end() + 120)
    if words.allergy_after:
        # "penicillin allergy", "NSAID intolerance": the medicine just before the word, unless
        # denied ("no penicillin allergy")
        for m in finditer(word_pattern(words.allergy_after), text):
            before = list(_names_in(words, text, max(0, m.start() - 40), m.start(), False, True))
            if before and _JUST_BEFORE.fullmatch(text, before[-1][2], m.start()):
                start = before[-1][1]
                if not _DENIED.search(text[max(0, start - 12) : start]):
                    yield start, m.end()


def allergies(words: MedicineWords, text: str) -> list[Found]:
    """``patient.allergies``: drug names under an allergy header or after an allergy cue."""
    found: list[Found] = []
    for start, end in _allergy_spans(words, text):
        for name, s, e in _names_in(words, text, start, end, as_list=False):
            found.append(Found("patient.allergies", [name], s, e, "allergies"))
    for m in finditer(_phrases(words.no_allergies), text):
        found.append(Found("patient.allergies", [], m.start(), m.end(), "allergies_none"))
    return found


@functools.cache
def _phrases(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word phrases whose spaces may also be written as a colon or dash
    ("Allergies: nil", "Meds - none")."""
    parts = [
        r"[\s:\-–]+".join(re.escape(w) for w in phrase.split())
        for phrase in sorted(words, key=len, reverse=True)
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)
