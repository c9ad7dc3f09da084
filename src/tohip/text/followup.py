"""Later studies of the same hip, read into ``imaging.followup[]``.

"Repeat MRI at 3 months showed resolution of the oedema", "Follow-up radiographs: collapse of
the femoral head". A note names a later study with a cue before the study's name ("repeat",
"follow-up", "interval"; ``text/followup.yaml``) or a time after it ("MRI 3 months later").
What the note says from there to the end of that study's words (its sentence, and the next
sentences of the paragraph that name no other study) belongs to the later study: the findings
the concept reader found there are moved to the follow-up entry (so a later study never
overwrites the first one), and the oedema's course is read from the words ("resolved",
"partial resolution", "unchanged", "progressed"). A planned study ("repeat MRI in 6 months")
is a plan, not a study, and is skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from tohip.text.rules import TextRules
    from tohip.text.types import Evidence

MAX_SCOPE = 400  # characters a later study's description may run to
_SENTENCE_END = re.compile(r"[.;](?=\s)|\n")
_PARAGRAPH_END = re.compile(r"\n\s*\n|\n(?=[ \t]*[A-Z][A-Za-z /&()-]{1,30}:)")


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CourseRule(_Rule):
    value: Literal["resolved", "improving", "unchanged", "worse"]
    words: list[str]


class FollowUpRules(_Rule):
    schema_version: Literal[1]
    cues: list[str]
    plans: list[str]
    modalities: list[Literal["xray", "mri", "ct"]]
    course_modalities: list[Literal["xray", "mri", "ct"]]
    course: list[CourseRule]
    fields: dict[str, list[str]]

    @functools.cached_property
    def field_of(self) -> dict[str, str]:
        return {path: field for field, paths in self.fields.items() for path in paths}


@dataclass(frozen=True)
class Scope:
    """The words about one later study: ``text[start:end]``."""

    modality: str
    start: int
    end: int


@functools.cache
def _study_patterns(
    cues: tuple[str, ...], studies: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[tuple[str, re.Pattern[str]]]:
    from tohip.text.values import NUM, UNIT, word_pattern

    cue = word_pattern(cues).pattern.removeprefix("(?<![\\w-])").removesuffix("(?![\\w-])")
    out = []
    for modality, words in studies:
        study = word_pattern(words).pattern.removeprefix("(?<![\\w-])").removesuffix("(?![\\w-])")
        before = rf"(?<![\w-]){cue}\s{{1,3}}(?:[\w-]{{1,15}}\s{{1,3}}){{0,2}}?{study}(?![\w-])"
        later = (
            rf"(?<![\w-]){study}(?:\s{{1,3}}[\w(),-]{{1,15}}){{0,3}}?\s{{1,3}}"
            rf"(?:{NUM}\s{{1,3}}{UNIT}\s{{1,3}}later|(?:at|after)\s{{1,3}}{NUM}\s{{1,3}}{UNIT})\b"
        )
        out.append((modality, re.compile(f"{before}|{later}", re.I)))
    return out


def scopes(text: str, rules: TextRules) -> list[Scope]:
    """Where the note speaks of a later study, in order; planned studies are left out."""
    from tohip.text.values import word_pattern

    f = rules.followup
    studies = tuple((m, tuple(rules.targets.modalities[m])) for m in f.modalities)
    plans = word_pattern(tuple(f.plans))
    found: list[Scope] = []
    for modality, pattern in _study_patterns(tuple(f.cues), studies):
        for m in pattern.finditer(text):
            end = _scope_end(text, m.start(), m.end(), rules)
            if plans.search(text, _sentence_start(text, m.start()), _sentence_end(text, m.end())):
                continue
            if not any(s.start <= m.start() < s.end for s in found):
                found.append(Scope(modality, m.start(), end))
    return sorted(found, key=lambda s: s.start)


def _sentence_start(text: str, pos: int) -> int:
    begin = max(0, pos - MAX_SCOPE)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, begin, pos)]
    return ends[-1] if ends else begin


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos, min(len(text), pos + MAX_SCOPE))
    return m.end() if m else min(len(text), pos + MAX_SCOPE)


def _scope_end(text: str, start: int, cue_end: int, rules: TextRules) -> int:
    """The cue's sentence, then following sentences of its paragraph that name no study."""
    from tohip.text.values import word_pattern

    limit = min(len(text), start + MAX_SCOPE)
    paragraph = _PARAGRAPH_END.search(text, cue_end, limit)
    limit = paragraph.start() if paragraph else limit
    studies = word_pattern(tuple(w for ws in rules.targets.modalities.values() for w in ws))
    end = min(_sentence_end(text, cue_end), limit)
    while end < limit:
        nxt = min(_sentence_end(text, end), limit)
        if studies.search(text, end, nxt) or text[end - 1] == "\n":
            break
        end = nxt
    return end


def course(words: str, rules: TextRules) -> str | None:
    """How the oedema changed, from the words about the later study."""
    from tohip.text.values import word_pattern

    for rule in rules.followup.course:
        if word_pattern(tuple(rule.words)).search(words):
            return rule.value
    return None


def split(
    text: str, rules: TextRules, evidence: list[Evidence]
) -> tuple[list[Evidence], list[dict[str, Any]], list[Evidence]]:
    """Move what is said about later studies out of the first studies.

    Returns the evidence with imaging values inside a later study's words marked unused, the
    follow-up entries, and one evidence item per follow-up value (path ``imaging.followup``)."""
    found = scopes(text, rules)
    if not found:
        return evidence, [], []
    out = list(evidence)
    studies: list[dict[str, Any]] = []
    extra: list[Evidence] = []
    for scope in found:
        if not _first_study_described(evidence, scope.modality, found):
            continue  # "repeat MRI shows ..." with no earlier MRI described: it is the study
        study: dict[str, Any] = {"modality": scope.modality}
        shown: list[Evidence] = []
        for i, e in _inside(out, scope):
            field = rules.followup.field_of.get(e.path)
            if field is not None and field not in study:
                study[field] = e.value
                shown.append(e.model_copy(update={"path": "imaging.followup", "source": "followup",
                                                  "value": [{"modality": scope.modality,
                                                             field: e.value}]}))  # fmt: skip
            if e.path == "imaging.mri.edema_pattern" and e.value == "none":
                study.setdefault("edema", "resolved")
            out[i] = e.model_copy(update={"used": False, "reason": "about a later study"})
        said = None
        if scope.modality in rules.followup.course_modalities:
            said = course(text[scope.start : scope.end], rules)
        if said is not None:
            study["edema"] = said
        if len(study) > 1:
            studies.append(study)
            extra += shown
            if "edema" in study:
                extra.append(_course_evidence(text, scope, study["edema"]))
    return out, studies, extra


def _first_study_described(evidence: list[Evidence], modality: str, found: list[Scope]) -> bool:
    """Whether the note describes an earlier study of this kind outside every later one."""
    prefix = f"imaging.{modality}."
    return any(
        e.used
        and e.path.startswith(prefix)
        and not e.path.endswith((".side", ".weeks_after_onset", ".date"))
        and not any(s.start <= e.start < s.end for s in found)
        for e in evidence
    )


def _inside(evidence: list[Evidence], scope: Scope) -> Iterator[tuple[int, Evidence]]:
    for i, e in enumerate(evidence):
        if e.used and e.path.startswith("imaging.") and scope.start <= e.start < scope.end:
            yield i, e


def _course_evidence(text: str, scope: Scope, value: str) -> Evidence:
    from tohip.text.types import Evidence

    words = text[scope.start : scope.end]
    return Evidence(
        path="imaging.followup", value=[{"modality": scope.modality, "edema": value}],
        text=words.strip(), start=scope.start, end=scope.end, sentence=words.strip(),
        sentence_start=scope.start, section=None, source="followup_course",
    )  # fmt: skip
