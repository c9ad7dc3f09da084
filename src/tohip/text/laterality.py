"""Which hip: the side of the complaint (``symptoms.side``) and of each study
(``imaging.<study>.side``).

A side word next to a hip word is found by shape (``values.sides``, and here "L > R groin pain"
and "hip pain on the right"). What kind of mention it is comes from words in ``sides.yaml``:

- a mention in the complaint's sections (history, indication, examination), or next to pain,
  is the complaint's, even inside a radiology report ("Clinical information: 62M, L hip pain");
- a mention in an earlier episode, of a replaced hip, of a normal hip ("Left hip normal", "L hip
  full range without pain") or of a planned study ("MRI R hip ordered") loses to any other; a
  planned study or a normal hip gives no study side at all;
- a study's title ("MRI BOTH HIPS") is the field of view: the side of its findings wins.

When the complaint's side is not stated, the presenting side is the side of the study.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tohip.text.prefilter import finditer
from tohip.text.values import clause_around, sides, word_pattern

if TYPE_CHECKING:
    from tohip.text.rules import SideRules
    from tohip.text.types import Evidence

# "L > R groin pain", "left>right hip": both sides, the first worse
BOTH_WORSE = re.compile(
    r"\b(?:l|r|lt|rt|left|right)\s*+>\s*+(?:l|r|lt|rt|left|right)\b(?=\s*+(?:\w++\s++){0,2}"
    r"(?:hips?|groins?|thighs?|buttocks?|pain|side))?",
    re.I,
)
# "deep hip pain on the right", "groin pain on the left side"
ON_THE_SIDE = re.compile(
    r"\b(?:hips?|groins?|thighs?|buttocks?)(?:\s++pain)?\s++on\s++the\s++(?P<side>left|right)\b",
    re.I,
)
# a report's side sub-heading, at the start of a line: "Right: ...", "Lt - ..." ("Left hip:" is
# a side next to a hip word, found by values.sides)
SUBHEADING = re.compile(r"(?im)^[ \t]{0,8}+(?P<side>left|right|lt|rt)[ \t]*+(?::|-[ \t])")
_CLAUSE_END = re.compile(r"[.;\n]")
NORMAL_BEFORE = 16  # characters before a mention where a normal cue describes it
NORMAL_AFTER = 30  # and after it


@dataclass(frozen=True)
class Mention:
    """One side mention, placed: its evidence item and what its sentence says about it."""

    evidence: Evidence
    modality: str | None
    complaint: bool  # the complaint's side (section, or next to a complaint word)
    about_pain: bool
    historical: bool
    normal: bool
    planned: bool
    title: bool  # a study's title line


def extra_sides(text: str) -> Iterator[tuple[str, int, int, bool]]:
    """Side mentions ``values.sides`` does not see: (side, start, end, about pain)."""
    for m in finditer(BOTH_WORSE, text):
        yield "bilateral", m.start(), m.end(), "pain" in text[m.end() : m.end() + 25].lower()
    for m in finditer(ON_THE_SIDE, text):
        yield m.group("side").lower(), m.start(), m.end(), "pain" in m.group(0).lower()
    for m in SUBHEADING.finditer(text):
        side = "left" if m.group("side").lower().startswith("l") else "right"
        yield side, m.start("side"), m.end("side"), False


def _has(words: list[str], text: str) -> bool:
    return bool(words) and word_pattern(tuple(words)).search(text) is not None


def _clipped_before(text: str, start: int, size: int) -> str:
    window = text[max(0, start - size) : start]
    cut = [m.end() for m in _CLAUSE_END.finditer(window)]
    return window[cut[-1] :] if cut else window


def _clipped_after(text: str, end: int, size: int) -> str:
    window = text[end : end + size]
    m = _CLAUSE_END.search(window)
    return window[: m.start()] if m else window


def _title(text: str, start: int, modality_words: tuple[str, ...]) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end != -1 else len(text)].strip()
    if not any(c.islower() for c in line):
        return True
    return (
        len(line) < 70
        and word_pattern(modality_words).match(line) is not None
        and (":" not in line)
    )


def _without(phrases: list[str], sentence: str) -> str:
    """The sentence with the given phrases blanked out (matched whole, case-insensitively)."""
    return word_pattern(tuple(phrases)).sub(" ", sentence) if phrases else sentence


def complaint_mention(sentence: str, section: str | None, rules: SideRules) -> bool:
    """A side mention in the complaint's sections, or in a sentence of complaint words."""
    return section in rules.complaint_sections or _has(rules.complaint_words, sentence)


def classify(
    text: str,
    e: Evidence,
    sentence: str,
    section: str | None,
    section_context: str | None,
    modality: str | None,
    about_pain: bool,
    rules: SideRules,
    modality_words: tuple[str, ...],
    names_study: bool = False,
) -> Mention:
    """What one side mention is about, from its section and its sentence's words.

    ``names_study``: the side names the study right after it ("L hip radiograph normal"), so a
    normal cue near it says the study is normal, not that this is the other, normal hip."""
    complaint = (
        section in rules.complaint_sections
        or about_pain
        or (modality is None and _has(rules.complaint_words, sentence))
    )
    near = (
        _clipped_before(text, e.start, NORMAL_BEFORE)
        + " "
        + _clipped_after(text, e.end, NORMAL_AFTER)
    )
    return Mention(
        evidence=e,
        modality=modality,
        complaint=complaint,
        about_pain=about_pain,
        historical=section_context == "historical"
        or _has(rules.historical_cues, _without(rules.comparison_phrases, sentence)),
        normal=not names_study and _has(rules.normal_cues, near),
        planned=(_has(rules.plan_cues, sentence) and not _has(rules.done_cues, sentence))
        or (section_context == "hypothetical" and not complaint),
        title=_title(text, e.start, modality_words),
    )


def _symptom_rank(m: Mention, order: int) -> tuple[int, ...]:
    side = m.evidence.value
    return (
        int(m.historical or m.normal),
        int(m.planned),
        0 if m.about_pain or m.complaint else 1,
        0 if side == "bilateral" else 1,
        order,
    )


def _study_rank(m: Mention, order: int) -> tuple[int, ...]:
    """A finding's side, then the complaint's in the report's clinical details, then the
    title's (its field of view)."""
    return (2 if m.title else 1 if m.complaint else 0, int(m.historical), order)


def choose(mentions: list[Mention]) -> list[Evidence]:
    """One used side per path (the others kept, unused, with the reason); the complaint's side
    falls back on the first study's."""
    out: list[Evidence] = []
    symptoms: list[tuple[tuple[int, ...], Mention]] = []
    studies: dict[str, list[tuple[tuple[int, ...], Mention]]] = {}
    for order, m in enumerate(mentions):
        if m.complaint or m.modality is None:
            e = m.evidence.model_copy(update={"path": "symptoms.side"})
            symptoms.append((_symptom_rank(m, order), replace(m, evidence=e)))
        if m.modality is None or (m.complaint and m.historical):
            continue
        if m.normal or m.planned:
            why = "a normal hip" if m.normal else "a planned study, not one done"
            out.append(m.evidence.model_copy(update={"used": False, "reason": why}))
        else:
            path = f"imaging.{m.modality}.side"
            e = m.evidence.model_copy(update={"path": path})
            studies.setdefault(path, []).append((_study_rank(m, order), replace(m, evidence=e)))
    chosen_study: list[tuple[int, Evidence]] = []
    for ranked in studies.values():
        ranked.sort(key=lambda r: r[0])
        out += _one_used(ranked)
        rank, best = ranked[0]
        if not (best.title and best.evidence.value == "bilateral"):  # a field of view
            chosen_study.append((rank[-1], best.evidence))
    symptoms.sort(key=lambda r: r[0])
    weak = not symptoms or symptoms[0][0][0] or symptoms[0][0][1]
    if weak and chosen_study:
        _, first = min(chosen_study, key=lambda c: c[0])
        out.append(first.model_copy(update={
            "path": "symptoms.side", "note": "the side of the study: no complaint's side stated",
        }))  # fmt: skip
        out += [
            m.evidence.model_copy(update={"used": False, "reason": "an earlier, normal or "
                                          "planned side: the study's side used"})
            for _, m in symptoms
        ]  # fmt: skip
    else:
        out += _one_used(symptoms)
    return out


def _one_used(ranked: list[tuple[tuple[int, ...], Mention]]) -> list[Evidence]:
    """The first ranked mention wins; mentions of another side are kept unused."""
    if not ranked:
        return []
    winner = ranked[0][1].evidence
    reason = f"another mention settles the side: '{winner.text}' ({winner.value})"
    return [
        m.evidence
        if m.evidence.value == winner.value
        else m.evidence.model_copy(update={"used": False, "reason": reason})
        for _, m in ranked
    ]


def other_hip_exam(text: str, evidence: list[Evidence]) -> list[Evidence]:
    """An examination finding in a clause that names only the other hip ("Lt hip - full
    painless ROM" when the right one hurts, "the left hip is now pain-free") is that hip's: it
    is kept unused. A one-sided complaint is needed; a clause naming both hips, or none, stays."""
    complaint = {e.value for e in evidence if e.used and e.path == "symptoms.side"}
    if complaint not in ({"left"}, {"right"}):
        return evidence
    other = "right" if complaint == {"left"} else "left"
    out = []
    for e in evidence:
        if e.used and e.path.startswith("exam."):
            named = {side for side, *_ in sides(clause_around(text, e.start))}
            if named == {other}:
                reason = f"about the {other} hip, not the one complained of"
                e = e.model_copy(update={"used": False, "reason": reason})
        out.append(e)
    return out
