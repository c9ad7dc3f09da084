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

import bisect
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from tohip.text.prefilter import finditer, search

if TYPE_CHECKING:
    from tohip.text.rules import TextRules
    from tohip.text.types import Evidence

MAX_SCOPE = 400  # characters a later study's description may run to
MAX_REPORT = 3000  # characters of a comparison report read as the later study
_SENTENCE_END = re.compile(r"[.;](?=\s)|\n")
_SEEN_ON = re.compile(r"\b(?:on|at)\s+(?:the\s+|a\s+|her\s+|his\s+)?\Z", re.I)
_PARAGRAPH_END = re.compile(r"\n\s*\n|\n(?=[ \t]*[A-Z][A-Za-z /&()-]{1,30}:)")


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
    # the current study described against an earlier one: in its sentence ("XR today: compared
    # with the ED film there is now collapse") or as a report's comparison line ("Comparison:
    # MRI 4 months ago" then findings that have resolved)
    # words after the study's name that say it was done, whatever plan words the sentence has
    # ("a further MRI in 6 weeks showed resolution")
    done: list[str] = []
    compared: list[str] = []
    comparison_headers: list[str] = []
    no_comparison: list[str] = []
    earlier_study: list[str] = []
    # what ends a clause inside a sentence, for the course of one finding
    clause_breaks: list[str] = []
    # words in a later study's own words that place it at the note's time ("repeat films now
    # show"); a study compared with an earlier one, or a comparison report, is the note's too
    now: list[str] = []
    # follow-up fields whose finding, present, makes the later study not normal
    abnormal_when: list[str] = []

    @functools.cached_property
    def field_of(self) -> dict[str, str]:
        return {path: field for field, paths in self.fields.items() for path in paths}


@dataclass(frozen=True)
class Scope:
    """The words about one later study: ``text[start:end]``."""

    modality: str
    start: int
    end: int
    report: bool = False  # a comparison report: the earlier study is the one it names
    compared: bool = False  # its sentence compares it with an earlier study it names


@functools.cache
def _study_patterns(
    cues: tuple[str, ...], studies: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[tuple[str, re.Pattern[str]]]:
    from tohip.text.values import NUM, UNIT, word_pattern

    cue = word_pattern(cues).pattern.removeprefix("(?<![\\w-])").removesuffix("(?![\\w-])")
    out = []
    for modality, words in studies:
        study = word_pattern(words).pattern.removeprefix("(?<![\\w-])").removesuffix("(?![\\w-])")
        # "repeat MRI", "at 4-month follow-up, MRI showed", "follow-up: MRI"
        before = (
            rf"(?<![\w-]){cue}(?:\s{{1,3}}|\s{{0,2}}[,:]\s{{1,3}})(?:[\w-]{{1,15}}\s{{1,3}}){{0,2}}?"
            rf"{study}(?![\w-])"
        )
        later = (
            rf"(?<![\w-]){study}(?:\s{{1,3}}[\w(),-]{{1,15}}){{0,3}}?\s{{1,3}}"
            rf"(?:{NUM}\s{{1,3}}{UNIT}\s{{1,3}}later|(?:at|after)\s{{1,3}}{NUM}\s{{1,3}}{UNIT})\b"
        )
        # the time first: "six weeks later, radiographs showed", "by 12 weeks the MRI had"
        first = (
            rf"(?<![\w-])(?:{NUM}[\s-]{{1,3}}{UNIT}\s{{1,3}}(?:later|on)|(?:by|after)\s{{1,3}}{NUM}"
            rf"[\s-]{{1,3}}{UNIT})\s{{0,2}},?\s{{1,3}}(?:(?:the|a|her|his|repeat)\s{{1,3}})?"
            rf"{study}(?![\w-])"
        )
        out.append((modality, re.compile(f"{before}|{later}|{first}", re.I)))
    return out


def scopes(text: str, rules: TextRules) -> list[Scope]:
    """Where the note speaks of a later study, in order; planned studies are left out."""
    from tohip.text.values import word_pattern

    f = rules.followup
    studies = tuple((m, tuple(rules.targets.modalities[m])) for m in f.modalities)
    plans = word_pattern(tuple(f.plans))
    done = word_pattern(tuple(f.done)) if f.done else None
    found: list[Scope] = []
    for modality, pattern in _study_patterns(tuple(f.cues), studies):
        last_end = -1
        for m in finditer(pattern, text):
            if m.start() < last_end:
                continue  # inside the previous later study's words
            s_start, s_end = _sentence_start(text, m.start()), _sentence_end(text, m.end())
            if search(plans, text, s_start, s_end) and not (
                done is not None and search(done, text, m.end(), s_end)
            ):
                continue
            # "the oedema had resolved on the MRI 3 months later": the sentence is the study's
            start = s_start if _SEEN_ON.search(text, s_start, m.start()) else m.start()
            last_end = _scope_end(text, m.start(), m.end(), rules)
            found.append(Scope(modality, start, last_end))
            found += _listed_after(text, rules, studies, last_end)
    found += _comparisons(text, rules, studies)
    found.sort(key=lambda s: (s.start, -s.end))
    return [s for i, s in enumerate(found) if i == 0 or s.start >= found[i - 1].end]


def _listed_after(
    text: str, rules: TextRules, studies: tuple[tuple[str, tuple[str, ...]], ...], at: int
) -> list[Scope]:
    """Studies listed after a later study in its paragraph, each opening its own sentence
    ("Follow-up MRI - oedema resolved. AP pelvis - remineralised."): later studies too, unless
    the sentence says the study is an earlier one or a plan."""
    from tohip.text.values import word_pattern

    f = rules.followup
    stop = word_pattern(tuple(f.earlier_study + f.plans))
    out: list[Scope] = []
    paragraph = _PARAGRAPH_END.search(text, at, min(len(text), at + MAX_SCOPE))
    limit = paragraph.start() if paragraph else min(len(text), at + MAX_SCOPE)
    while at < limit and text[at - 1] != "\n":
        # the study's name opens the sentence, after at most two words ("Pelvic X-ray -")
        begins = [at + w.start() for w in re.finditer(r"\S+", text[at:limit])][:3]
        opens = [
            (begin, mod)
            for begin in begins
            for mod, names in studies
            if word_pattern(names).match(text, begin, limit) is not None
        ]
        s_end = min(_sentence_end(text, at), limit)
        if len({mod for _, mod in opens}) != 1 or search(stop, text, at, s_end):
            break
        begin = opens[0][0]
        end = _scope_end(text, begin, begin + 1, rules)
        out.append(Scope(opens[0][1], begin, end))
        at = end
    return out


@functools.cache
def _header_pattern(headers: tuple[str, ...]) -> re.Pattern[str]:
    from tohip.text.values import word_pattern

    words = word_pattern(headers).pattern.removeprefix("(?<![\\w-])")
    return re.compile(rf"(?im)^[ \t]{{0,8}}{words}[^\n]{{0,120}}")


def _comparisons(
    text: str, rules: TextRules, studies: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[Scope]:
    """The current study described against an earlier one of the same kind.

    A sentence that names a study and compares it with an earlier one is a later study from
    that sentence on; a report whose comparison line names an earlier study of the kind that
    shows the oedema's course ("Comparison: MRI 4 months ago") is the later study from there
    to its end, when it says how the findings changed."""
    from tohip.text.values import word_pattern

    f = rules.followup
    if not f.compared and not f.comparison_headers:
        return []
    named = [(m, word_pattern(words)) for m, words in studies]
    out: list[Scope] = []
    if f.compared:
        for m in finditer(word_pattern(tuple(f.compared)), text):
            start = _sentence_start(text, m.start())
            firsts = [(p.search(text, start, m.start()), mod) for mod, p in named]
            hits = sorted((hit.start(), mod) for hit, mod in firsts if hit is not None)
            if hits:
                end = _scope_end(text, start, m.end(), rules)
                out.append(Scope(hits[0][1], hits[0][0], end, compared=True))
    if f.comparison_headers:
        refused = word_pattern(tuple(f.no_comparison))
        earlier = word_pattern(tuple(f.earlier_study))
        for m in _header_pattern(tuple(f.comparison_headers)).finditer(text):
            line = m.group(0)
            if refused.search(line):
                continue
            kinds = [mod for mod, p in named if p.search(line)]
            if not kinds and earlier.search(line):
                first = [(hit.start(), mod) for mod, p in named if (hit := p.search(text))]
                kinds = [min(first)[1]] if first else []
            if len(kinds) != 1 or kinds[0] not in f.course_modalities:
                continue
            end = min(len(text), m.end() + MAX_REPORT)
            if course(text[m.end() : end], rules) is not None:
                out.append(Scope(kinds[0], m.end(), end, report=True))
    return out


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
        if search(studies, text, end, nxt) or text[end - 1] == "\n":
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
    text: str, rules: TextRules, evidence: list[Evidence], unwrapped: str | None = None
) -> tuple[list[Evidence], list[dict[str, Any]], list[Evidence]]:
    """Move what is said about later studies out of the first studies.

    ``unwrapped`` is the note with the line breaks of hard-wrapped lines made spaces (same
    offsets): a later study's words run on across them. Returns the evidence with imaging values
    inside a later study's words marked unused, the follow-up entries, and one evidence item per
    follow-up value (path ``imaging.followup``)."""
    scan = text if unwrapped is None else unwrapped
    found = scopes(scan, rules)
    if not found:
        return evidence, [], []
    evidence = _earlier_study(evidence, found)
    starts = [s.start for s in found]
    inside: dict[int, list[int]] = {}  # scope number -> evidence indices within it
    described: set[str] = set()  # studies with findings outside every later study
    for i, e in enumerate(evidence):
        if not (e.used and e.path.startswith("imaging.")):
            continue
        k = bisect.bisect_right(starts, e.start) - 1
        if k >= 0 and e.start < found[k].end:
            inside.setdefault(k, []).append(i)
        elif not e.path.endswith((".side", ".weeks_after_onset", ".date")):
            described.add(e.path.split(".")[1])
    out = list(evidence)
    studies: list[dict[str, Any]] = []
    extra: list[Evidence] = []
    for k, scope in enumerate(found):
        # a study compared with an earlier one it names is a later study, whether or not the
        # note describes the earlier one
        inferred = scope.modality not in described and not scope.compared
        items = [out[i] for i in inside.get(k, [])]
        if inferred and not _changed(rules, scope, items):
            continue  # "repeat MRI shows ..." with no earlier MRI described: it is the study
        if _other_hip(out, scope, found):
            continue  # the first study's oedema was in the other hip: a new episode's study
        study, shown = _study(text, rules, scope, [out[i] for i in inside.get(k, [])], scan)
        for i in inside.get(k, []):
            if inferred and _present(out[i]):
                # "repeat MRI: resolution of the oedema of the head and neck": what resolved was
                # there on the first study, which the note does not otherwise describe
                continue
            if (
                scope.compared
                and scope.modality not in described
                and _present(out[i])
                and out[i].path not in rules.followup.field_of
            ):
                # the current film compared with an earlier one the note does not describe: what
                # a follow-up cannot hold ("erosions", "joint space lost") stays the current
                # study's, so the reasoning still sees it
                continue
            out[i] = out[i].model_copy(update={"used": False, "reason": "about a later study"})
        if len(study.keys() - {BEFORE_NOTE}) > 1:
            studies.append(study)
            extra += shown
    return out, studies, extra


def _other_hip(evidence: list[Evidence], scope: Scope, found: list[Scope]) -> bool:
    """A later study whose marrow oedema is in one hip, when the note's earlier oedema of that
    kind of study was in the other ("MRI last year: oedema of the left head and neck ... Repeat
    MRI: oedema of the right head and neck"): the oedema has moved to the other hip, so the
    later study is the current episode's study, not a follow-up of the same hip."""

    def sides(inside: bool) -> set[str]:
        edema = [
            e
            for e in evidence
            if e.path == f"imaging.{scope.modality}.edema_pattern"
            and _present(e)
            and (scope.start <= e.start < scope.end) == inside
            and (
                inside
                or (e.start < scope.start and not any(s.start <= e.start < s.end for s in found))
            )
        ]
        return {
            str(s.value)
            for s in evidence
            if s.path == f"imaging.{scope.modality}.side"
            and any(e.start <= s.start < e.end for e in edema)
        }

    later = sides(inside=True)
    if len(later) != 1 or not later <= {"left", "right"}:
        return False
    earlier = sides(inside=False)
    return len(earlier) == 1 and earlier <= {"left", "right"} and earlier != later


def _present(e: Evidence) -> bool:
    """A finding stated present (not a negative one, nor the study's date or timing)."""
    if e.path.endswith((".weeks_after_onset", ".date")):
        return False
    return e.value not in (False, "none", "normal", "preserved") and not any(
        m.startswith("negated") for m in e.modifiers
    )


def _changed(rules: TextRules, scope: Scope, items: list[Evidence]) -> bool:
    """A later study that says, in the sentence naming the marrow oedema, that it resolved or
    improved is a follow-up even when the note does not describe the first study ("Repeat MRI:
    complete resolution of the oedema"); "the effusion has resolved. Persisting oedema ..." is
    no such change."""
    if scope.modality not in rules.followup.course_modalities:
        return False
    return any(
        e.path.endswith(".edema_pattern")
        and course(_clause(e, rules), rules) in ("resolved", "improving")
        for e in items
    )


@functools.cache
def _any_of(strings: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``strings`` as written (punctuation included), ignoring case."""
    return re.compile("|".join(re.escape(s) for s in strings), re.I)


def _clause(e: Evidence, rules: TextRules) -> str:
    """The clause of the sentence that holds a finding: "oedema of the right head and neck;
    the left hip has returned to normal" says nothing of the right hip's course."""
    breaks = rules.followup.clause_breaks
    if not breaks:
        return e.sentence
    pattern = _any_of(tuple(breaks))
    at = e.start - e.sentence_start
    start, end = 0, len(e.sentence)
    for m in pattern.finditer(e.sentence):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at + len(e.text):
            end = m.start()
            break
    return e.sentence[start:end]


def _earlier_study(evidence: list[Evidence], found: list[Scope]) -> list[Evidence]:
    """In a comparison report, what the note says of the earlier study before the findings
    ("Previous MRI showed marrow oedema of the head and neck") is the first study."""
    out = list(evidence)
    for scope in found:
        if not scope.report:
            continue
        for i, e in enumerate(out):
            if (
                not e.used
                and e.end <= scope.start
                and e.path.startswith(f"imaging.{scope.modality}.")
                and (e.reason or "").startswith("historical")
            ):
                named = "the study a comparison report names"
                out[i] = e.model_copy(update={"used": True, "reason": None, "note": named})
    return out


def _study(
    text: str, rules: TextRules, scope: Scope, items: list[Evidence], scan: str
) -> tuple[dict[str, Any], list[Evidence]]:
    """One follow-up entry from the findings and words inside its scope (``scan``: the note
    with wrapped lines joined, for reading the words)."""
    study: dict[str, Any] = {"modality": scope.modality}
    shown: list[Evidence] = []
    for e in items:
        field = rules.followup.field_of.get(e.path)
        if field is not None and field not in study:
            study[field] = e.value
            shown.append(e.model_copy(update={"path": "imaging.followup", "source": "followup",
                                              "value": [{"modality": scope.modality,
                                                         field: e.value}]}))  # fmt: skip
        if e.path == "imaging.mri.edema_pattern" and e.value == "none":
            study.setdefault("edema", "resolved")
    abnormal = [f for f in rules.followup.abnormal_when if study.get(f) is True]
    if abnormal and "normal" not in study:
        # "repeat films: collapse of the head" is not a normal study
        study["normal"] = False
        why = next(e for e in shown if e.value[0].get(abnormal[0]) is True)
        shown.append(why.model_copy(update={"value": [{"modality": scope.modality,
                                                        "normal": False}]}))  # fmt: skip
    said = None
    if scope.modality in rules.followup.course_modalities:
        said = course(scan[scope.start : scope.end], rules)
    if said is not None:
        study["edema"] = said
    if "edema" in study:
        shown.append(_course_evidence(text, scope, study["edema"]))
    before = _weeks_before_note(scan, rules, scope)
    if before is not None and "weeks_after_onset" not in study:
        study[BEFORE_NOTE] = before
    return study, shown


BEFORE_NOTE = "_weeks_before_note"  # a later study's time, until the symptoms' duration is known
_AGO = r"(?<![\w-]){num}[\s-]{{1,3}}{unit}\s{{1,3}}ago\b"


def _weeks_before_note(text: str, rules: TextRules, scope: Scope) -> tuple[float, int, int] | None:
    """How many weeks before the note a later study was done, with where the words say so.

    "Repeat films (most recently six weeks ago) unremarkable" was 6 weeks before the note;
    "repeat XR now shows collapse", or a film compared with an earlier one ("XR today: compared
    with the films of 3 months ago, ..."), is the note's own (0). The time of a compared study
    is never read from an "ago", which dates the earlier study it is compared with."""
    from tohip.text.values import NUM, UNIT, _weeks, word_pattern

    words = text[scope.start : scope.end]
    f = rules.followup
    compared = (
        scope.compared
        or scope.report
        or (bool(f.compared) and word_pattern(tuple(f.compared)).search(words) is not None)
    )
    if not compared:
        ago = re.search(_AGO.format(num=NUM, unit=UNIT), words, re.I)
        if ago is not None:
            weeks = _weeks(ago.group(1), ago.group(2))
            if weeks is not None:
                return weeks, scope.start + ago.start(), scope.start + ago.end()
            return None
    if compared:
        return 0.0, scope.start, scope.end
    now = word_pattern(tuple(f.now)).search(words) if f.now else None
    if now is not None:
        return 0.0, scope.start + now.start(), scope.start + now.end()
    return None


def timed(
    studies: list[dict[str, Any]], duration_weeks: float | None, text: str
) -> tuple[list[dict[str, Any]], list[Evidence]]:
    """Later studies timed from the symptoms' duration: a study done now is at the duration,
    one done six weeks ago at the duration less six weeks. Without a duration, or when the
    study would precede the onset, the time stays unknown."""
    from tohip.text.types import Evidence

    out: list[dict[str, Any]] = []
    shown: list[Evidence] = []
    for study in studies:
        study = dict(study)
        when = study.pop(BEFORE_NOTE, None)
        if when is not None and duration_weeks is not None and when[0] <= duration_weeks:
            weeks = round(duration_weeks - when[0], 1)
            study["weeks_after_onset"] = weeks
            words = text[when[1] : when[2]].strip()
            shown.append(
                Evidence(
                    path="imaging.followup", value=[{"modality": study["modality"],
                    "weeks_after_onset": weeks}], text=words, start=when[1], end=when[2],
                    sentence=words, sentence_start=when[1], section=None, source="followup",
                    note=f"{when[0]:g} weeks before the note, of {duration_weeks:g} weeks' pain",
                )
            )  # fmt: skip
        out.append(study)
    return out, shown


def _course_evidence(text: str, scope: Scope, value: str) -> Evidence:
    from tohip.text.types import Evidence

    words = text[scope.start : scope.end]
    return Evidence(
        path="imaging.followup", value=[{"modality": scope.modality, "edema": value}],
        text=words.strip(), start=scope.start, end=scope.end, sentence=words.strip(),
        sentence_start=scope.start, section=None, source="followup_course",
    )  # fmt: skip
