"""From a clinical note to a structured case, keeping the evidence for every value.

Steps: run the pipeline (concepts, ConText modifiers, sections); read each concept mention in its
place (which imaging study it belongs to, whether it is negated, uncertain, historical, about a
relative or a question); read numbers and short forms (``values``); settle conflicts; build and
validate the case. Anything not used is kept in the evidence with the reason.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from tohip.case.io import case_from_data
from tohip.case.schema import CT, MRI, BoneScan, Ultrasound, XRay
from tohip.errors import CaseValidationError, InputError
from tohip.text import bones, followup, laterality, medicines, prefilter, signal, studies, values
from tohip.text.extent import involved_sites
from tohip.text.pipeline import CONCEPT_SEPARATOR, default_pipeline
from tohip.text.rules import (
    MODALITIES,
    Concept,
    ConceptCase,
    ContextRules,
    TextRules,
    flipped,
    load_text_rules,
)
from tohip.text.types import Evidence, Extraction

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

# the fields each study records (a finding given to several studies named together)
_STUDY_MODELS: dict[str, type[BaseModel]] = {
    "xray": XRay, "mri": MRI, "ct": CT, "bone_scan": BoneScan, "ultrasound": Ultrasound,
}  # fmt: skip
STUDY_FIELDS = {name: set(model.model_fields) for name, model in _STUDY_MODELS.items()}
MAX_CHARACTERS = 50_000  # about 15 pages
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*+\n")
# a line that closes a sentence, then one that opens another: "PMH: nil. Meds: none.\nOn exam ..."
_SENTENCE_LINE_BREAK = re.compile(r"[.!?][ \t]*+\n(?=[ \t]*+[A-Z])")
QUERY_REACH = 20  # characters after a glued "?" that it questions ("?occult stress fracture")
CONTEXT_CHARACTERS = 200  # the most of a sentence one evidence item carries
NEGATIVE_VALUES = {False, "none", "normal", "preserved", "negative", "not_pregnant"}
PREGNANCY_ORDER = ["postpartum", "pregnant", "not_pregnant"]
# marrow oedema described in several sentences: the most extensive reading is the study's
# pattern (one sentence gives the extent, the others its parts)
EDEMA_EXTENT = ["both_sides_of_joint", "diffuse_head_neck", "femoral_neck", "subchondral_head"]
# the parts of a radiology report between its title and its findings
REPORT_PARTS = {"findings", "impression", "history_of_present_illness", "indication"}
REPORT_FINDINGS = {"findings", "impression"}
MODIFIER_NAMES = {
    "NEGATED_EXISTENCE": "negated",
    "POSSIBLE_EXISTENCE": "uncertain",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "FAMILY": "family",
    "OTHER_SIDE": "other side",
}


@dataclass(frozen=True)
class _Place:
    """Where a mention sits: its sentence, section and imaging study."""

    sentence: str
    sentence_start: int
    section: str | None
    section_context: str | None
    modality: str | None
    modality_in_sentence: bool
    # the study of the report the mention is in (its title, then its findings and impression):
    # a finding the last study named cannot show ("matching the collapse on the radiograph.
    # Joint effusion.") is the report's
    report_modality: str | None
    study_section: bool  # a study's own section, or a report's findings or impression
    context: str  # what the evidence shows: the sentence, or CONTEXT_CHARACTERS of it
    context_start: int


class _TokenBounds:
    """Token and sentence offsets of a doc, read once: what ``doc.char_span(start, end,
    alignment_mode="expand").sent`` gives, by bisection instead of a Span and a token scan
    for each of a note's mentions. Same rules as spaCy 3.7: a character belongs to the token
    whose text and trailing space cover it (a range starting on that space starts at the next
    token); a span's sentence is the one of its first token
    (from the last sentence start at or before that token to the next sentence start)."""

    def __init__(self, doc: Doc) -> None:
        columns: list[int | str] = ["IDX", "LENGTH", "SPACY", "SENT_START"]
        self.length = len(doc)
        if not self.length:
            self.idx, self.end_char, self.sent_starts, self.text_end = [], [], [], 0
            return
        # whole columns at once (numpy): a Python list of rows cost ~4x as much
        table = doc.to_array(columns)
        ends = table[:, 0] + table[:, 1]
        self.idx = table[:, 0].tolist()
        self.end_char = ends.tolist()
        self.text_end = int(ends[-1] + table[-1, 2])
        self.sent_starts = (table[:, 3] == 1).nonzero()[0].tolist()

    def _token(self, char: int) -> int:
        if char < 0 or char >= self.text_end:
            return -1
        return bisect.bisect_right(self.idx, char) - 1

    def sentence(self, start: int, end: int) -> tuple[int, int] | None:
        """Character bounds of the sentence, or None where spaCy's answer is not a plain
        sentence (no token there, or an empty span): the caller asks spaCy then."""
        first, last = self._token(start), self._token(end - 1)
        if first >= 0 and start == self.end_char[first]:
            first += 1  # a range that starts on a token's trailing space starts at the next one
        if first < 0 or last < first:
            return None
        k = bisect.bisect_right(self.sent_starts, first) - 1
        s_first = self.sent_starts[k] if k >= 0 else 0
        k = bisect.bisect_left(self.sent_starts, first + 1)
        s_end = self.sent_starts[k] if k < len(self.sent_starts) else self.length
        return self.idx[s_first], self.end_char[s_end - 1]


class _Reader:
    def __init__(self, text: str, doc: Doc, rules: TextRules) -> None:
        self.text, self.doc, self.rules = text, doc, rules
        self.sections = {s.category: s for s in rules.sections.sections}
        self.study_mentions = self._study_mentions()
        self.section_starts = [
            (doc[s.title_start].idx, s.category or "") for s in doc._.sections if s.category
        ]
        self.section_positions = [pos for pos, _ in self.section_starts]
        # study titles written as a report's heading ("MRI LEFT HIP"), not a label ("MRI:")
        self.report_titles = {
            doc[s.title_start].idx for s in doc._.sections
            if s.category and ":" not in doc[s.title_start : s.title_end].text
        }  # fmt: skip
        self.study_positions = [pos for pos, _, _ in self.study_mentions]
        # where each header ends: "EXAM: US RIGHT HIP" titles a report by the study after it
        self.header_ends = {
            doc[s.title_start].idx: doc[s.title_start : s.title_end].end_char
            for s in doc._.sections if s.category
        }  # fmt: skip
        plain = not doc.user_hooks and not doc.user_span_hooks and doc.has_annotation("SENT_START")
        self._bounds = _TokenBounds(doc) if plain else None
        self.paragraph_breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
        self.sentence_line_breaks = [m.start() for m in _SENTENCE_LINE_BREAK.finditer(text)]
        self._sites: dict[str, list[str]] = {}

    def sites(self, sentence: str) -> list[str]:
        """The sites a sentence involves (``extent.involved_sites``), read once per sentence:
        each mention in it asks, some several times (its cases, resolvers and site paths)."""
        found = self._sites.get(sentence)
        if found is None:
            targets = self.rules.targets
            found = involved_sites(sentence, targets.sites, tuple(targets.sparing))
            self._sites[sentence] = found
        return found

    def _paragraph_between(self, start: int, end: int, lines: bool = False) -> bool:
        breaks = self.sentence_line_breaks if lines else self.paragraph_breaks
        k = bisect.bisect_left(breaks, start)
        return k < len(breaks) and breaks[k] < end

    def _study_mentions(self) -> list[tuple[int, int, str | None]]:
        found: list[tuple[int, int, str | None]] = [
            (m.start(), m.end(), modality)
            for modality, words in self.rules.targets.modalities.items()
            for m in prefilter.finditer(values.word_pattern(tuple(words)), self.text)
        ]
        found += [
            (m.start(), m.end(), modality)
            for modality, patterns in self.rules.targets.study_patterns.items()
            for regex in patterns
            for m in prefilter.finditer(_rule_regex(regex), self.text)
        ]
        if self.rules.targets.not_study_names and found:
            names = [
                (m.start(), m.end())
                for regex in self.rules.targets.not_study_names
                for m in prefilter.finditer(_rule_regex(regex), self.text)
            ]
            found = [f for f in found if not any(a <= f[0] < b for a, b in names)]
        other = tuple(self.rules.targets.not_imaging)
        if other:  # a biopsy or histology ends the study named before it
            pattern = values.word_pattern(other)
            found += [(m.start(), m.end(), None) for m in prefilter.finditer(pattern, self.text)]
        return sorted(found, key=lambda f: (f[0], f[1], f[2] or ""))

    def place(self, start: int, end: int) -> _Place:
        found = self._bounds.sentence(start, end) if self._bounds is not None else None
        if found is not None:
            s_start, s_end = found
        else:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            sent = span.sent if span is not None else None
            s_start = sent.start_char if sent is not None else start
            s_end = sent.end_char if sent is not None else end
        k = bisect.bisect_right(self.section_positions, start) - 1
        section_start, section = self.section_starts[k] if k >= 0 else (0, None)
        spec = self.sections.get(section or "")
        if (
            spec is not None
            and spec.context
            and (
                self._paragraph_between(section_start, start)
                or (
                    spec.ends_with_line
                    and self._paragraph_between(section_start, start, lines=True)
                )
            )
        ):
            # a past history, family history or plan ends with its paragraph: "PMH: ...",
            # a blank line, then "On examination ..." is not history; a past or family history
            # ends with a line that closes a sentence before one that opens another
            spec, section = None, None
        modality: str | None = spec.modality if spec is not None else None
        boundary = section_start if spec is not None and self._resets_study(spec.category) else 0
        report = self._report_study(start)
        if report is not None and spec is not None and spec.category in REPORT_FINDINGS:
            # a report's findings are its own study's unless they name another: a study named
            # in its clinical details ("Indication: XR normal") is not the one reported
            modality, boundary = report, section_start
        in_sentence = labelled = False
        k = bisect.bisect_right(self.study_positions, start) - 1
        if k >= 0 and self.study_mentions[k][0] >= boundary:
            m_start, m_end, modality = self.study_mentions[k]
            in_sentence = m_start >= s_start
            label = _STUDY_LABEL.match(self.text, m_end)
            labelled = in_sentence and label is not None and label.end() <= start
            passing = not in_sentence and label is None and modality not in (None, report)
            if passing and report is not None and spec is not None:
                # a report's findings are its own study's: a study named in passing in an
                # earlier sentence ("corresponds to the fracture seen on CT") is not the subject
                # of the next ones (an aspirate or biopsy still is: "Gram stain: no organisms")
                modality = report if spec.category in REPORT_FINDINGS else modality
        if spec is not None and spec.modality is not None and section_start >= s_start:
            in_sentence = True
        if report is not None and modality == report and section_start >= s_start:
            in_sentence = True  # "MRI LEFT HIP ... Impression: normal study."
        context_kind = spec.context if spec is not None else None
        if context_kind and in_sentence and spec is not None and spec.reported_results:
            words = values.word_pattern(tuple(spec.reported_results))
            if labelled or words.search(self.text, s_start, s_end):
                # "Indication: ... MRI last week showed marrow oedema", "CT pelvis (outside):
                # sacral fracture"
                context_kind = None
        context_start, context = _context(self.text, s_start, s_end, start, end)
        return _Place(
            sentence=self.text[s_start:s_end].strip(),
            sentence_start=s_start,
            section=section,
            section_context=context_kind,
            modality=modality,
            modality_in_sentence=in_sentence,
            report_modality=report,
            study_section=spec is not None and not self._resets_study(spec.category),
            context=context,
            context_start=context_start,
        )

    def _report_study(self, start: int) -> str | None:
        """The study of the report a mention is in: the last study title before it, across
        the report's clinical details, comparison, findings and impression."""
        k = bisect.bisect_right(self.section_positions, start) - 1
        while k >= 0:
            spec = self.sections.get(self.section_starts[k][1])
            if spec is None or spec.modality is not None:
                titled = self.section_positions[k] in self.report_titles
                return spec.modality if spec is not None and titled else None
            if spec.category not in REPORT_PARTS:
                return self._titled_by_study(self.section_positions[k])
            k -= 1
        return None

    def _titled_by_study(self, header: int) -> str | None:
        """The study a header line opens with ("EXAM: US RIGHT HIP", "Examination: CT of the
        pelvis"): that header titles the study's report, whatever its own category."""
        end = self.header_ends.get(header)
        if end is None:
            return None
        gap = _TITLE_GAP.match(self.text, end)
        at = gap.end() if gap is not None else end
        k = bisect.bisect_left(self.study_positions, at)
        if k == len(self.study_mentions) or self.study_mentions[k][0] != at:
            return None
        return self.study_mentions[k][2]

    def study_after(self, end: int, place: _Place) -> str | None:
        """The study named right after a finding in its clause ("no abnormal uptake on the bone
        scan", "effusion seen on US"): the finding's own study, whatever was named before."""
        k = bisect.bisect_left(self.study_positions, end)
        if k == len(self.study_mentions):
            return None
        start, m_end, modality = self.study_mentions[k]
        if (
            modality is None
            or start - end > POSTPOSED_REACH
            or studies.guided(self.text, start, m_end)
        ):
            return None  # "pus obtained at ultrasound-guided aspiration": a procedure
        return modality if _POSTPOSED.fullmatch(self.text, end, start) else None

    def study_within(self, start: int, end: int) -> str | None:
        """The one study named inside a mention after its first word ("normal films",
        "unremarkable pelvic radiographs"), or None."""
        k = bisect.bisect_right(self.study_positions, start)
        inside = set()
        while k < len(self.study_mentions) and self.study_mentions[k][0] < end:
            inside.add(self.study_mentions[k][2])
            k += 1
        return inside.pop() if len(inside) == 1 else None

    def joined_before(self, start: int, place: _Place) -> list[str]:
        """The studies named together with the mention's study as one subject in its sentence
        ("the MRI and the bone scan show ..."), nearest first."""
        k = bisect.bisect_right(self.study_positions, start) - 1
        if k < 0:
            return []
        j = studies.first_joined(self.text, self.study_mentions, k)
        return [
            m for s, _e, m in reversed(self.study_mentions[j:k])
            if m is not None and s >= place.sentence_start
        ]  # fmt: skip

    def _resets_study(self, category: str) -> bool:
        """Sections that are not about imaging end the study named before them."""
        spec = self.sections[category]
        return spec.modality is None and category not in ("findings", "impression")


def _context(text: str, s_start: int, s_end: int, start: int, end: int) -> tuple[int, str]:
    """The sentence around a mention, cut to at most ``CONTEXT_CHARACTERS`` around it, and its
    offset: evidence output grows with the findings, not with the length of their sentences."""
    if s_end - s_start > CONTEXT_CHARACTERS:
        room = max(0, CONTEXT_CHARACTERS - (end - start)) // 2
        s_start = max(s_start, min(start - room, s_end - CONTEXT_CHARACTERS))
        s_end = min(s_end, max(s_start + CONTEXT_CHARACTERS, end))
    window = text[s_start:s_end]
    stripped = window.lstrip()
    return s_start + len(window) - len(stripped), stripped.rstrip()


def _allowed(concept: Concept, modality: str | None) -> bool:
    where = modality or "none"
    if concept.modalities is not None:
        allowed = set(concept.modalities) | (
            {"none"} if concept.default_modality is not None else set()
        )
        return where in allowed
    if concept.by_modality:
        return where in concept.by_modality or (
            where == "none" and concept.default_modality is not None
        )
    return True


def _written_parts(concept: Concept) -> set[str]:
    """The case parts ("history", "imaging" ...) a concept can write."""
    paths = [*concept.sets, *concept.resolve, *concept.sites, *(concept.negated or {})]
    paths += [p for case in concept.cases for p in case.sets]
    paths += [p for values in concept.by_modality.values() for p in values]
    return {p.split(".", 1)[0] for p in paths}


def _modifiers(ent: Span, place: _Place, text: str, section_applies: bool = True) -> dict[str, str]:
    found: dict[str, str] = {}
    for modifier in ent._.modifiers:
        name = MODIFIER_NAMES.get(modifier.category)
        if name and name not in found:
            start, end = modifier.modifier_span
            found[name] = f"{name} by '{ent.doc[start:end].text}'"
    s = place.sentence_start
    if (
        "uncertain" not in found
        and s > 0
        and text[s - 1] == "?"
        and ent.start_char - s <= QUERY_REACH
    ):
        # "?stress fracture": the sentence splitter ends a sentence at the "?" glued to the
        # word it questions; the question still holds for the words it is glued to
        found["uncertain"] = "uncertain by '?'"
    if section_applies and place.section_context and place.section_context not in found:
        found[place.section_context] = f"{place.section_context} (section '{place.section}')"
    return found


def _resolve(
    rules: TextRules,
    name: str,
    sentence: str,
    involved: list[str],
    around: Callable[[int], str] | None = None,
) -> tuple[str | None, str | None]:
    lowered = sentence.lower()
    sites = set(involved)
    for rule in rules.targets.resolvers[name]:
        words = around(rule.near).lower() if rule.near and around is not None else lowered
        if rule.words and not any(w in words for w in rule.words):
            continue
        if rule.sites_include and not set(rule.sites_include) <= sites:
            continue
        if rule.sites_within and not (sites and sites <= set(rule.sites_within)):
            continue
        return rule.value, rule.note
    raise AssertionError("resolver without a default rule")  # checked when rules load


_CLAUSE_MARKS = ",;:"  # what ends a clause for ``_around``
_TITLE_GAP = re.compile(r"[ \t]*:?[ \t]*")  # between a header and the study it names
# a study's name as the label of its result: "CT pelvis (outside, 03/07): sacral fracture"
_STUDY_LABEL = re.compile(r"[^:.;?\n]{0,40}:[ \t]*(?=[^\s?])")
# a few words of the finding's clause, then the study it was seen on: "uptake on the bone scan",
# "effusion is seen on US" (not a comparison: "matching the lucency on the prior radiograph")
POSTPOSED_REACH = 60
_POSTPOSED = re.compile(
    r"(?:\s*,|\s+(?!(?:corresponds?|corresponding|match|matches|matching|similar|compared|than"
    r"|unlike|as|like|which|that|prior|previous|previously|earlier|initial|but|while|whereas)\b)"
    r"[\w'-]+){0,8}?\s+(?:on|at|by)\s+(?:(?:the|a|an|her|his|their|this|today's|current)\s+)?",
    re.I,
)


def _case(
    concept: Concept, place: _Place, modality: str | None, around: str, involved: list[str]
) -> ConceptCase | None:
    """The first case of the concept whose study, words and sites the mention has."""
    lowered = place.sentence.lower()
    sites = set(involved)
    for case in concept.cases:
        if case.modalities is not None and modality not in case.modalities:
            continue
        words = around.lower() if case.near is not None else lowered
        if case.words and not any(w in words for w in case.words):
            continue
        if case.sites_within and not (sites and sites <= set(case.sites_within)):
            continue
        return None if case.keep else case
    return None


@functools.cache
def _rule_regex(source: str) -> re.Pattern[str]:
    """A regular expression from the text rules, compiled once per process (not once per note:
    ``re``'s own cache may drop it, and the prefilter would then analyse a new object)."""
    return re.compile(source)


def _opens_with(sentence: str, words: list[str]) -> bool:
    """Whether the sentence's first words are one of ``words`` ("It is low on T1")."""
    return (
        bool(words)
        and values.word_pattern(tuple(words)).match(sentence.lstrip("-*\u2022 ")) is not None
    )


_SENTENCE_END = re.compile(r"[.!?;\n]\s*$")
SENTENCE_BEFORE_REACH = 300  # the most characters of the sentence before that are looked at


def _sentence_before(text: str, start: int) -> str:
    """The sentence that ends where the one at ``start`` begins (at most a reach of it)."""
    before = text[max(0, start - SENTENCE_BEFORE_REACH) : start].rstrip()
    before = _SENTENCE_END.sub("", before)
    cut = max(before.rfind(c) for c in ".!?;\n")
    return before[cut + 1 :].strip()


def _around(text: str, place: _Place, start: int, end: int, near: int) -> str:
    """The mention and ``near`` characters either side of it, within its clause (a list item
    "no subchondral crescent, no fracture line" does not name the broken bone)."""
    s_start = text.find(place.sentence, place.sentence_start)
    s_start = place.sentence_start if s_start < 0 else s_start
    s_end = s_start + len(place.sentence)
    before = text[max(s_start, start - near) : start]
    after = text[end : min(s_end, end + near)]
    before = before[max(before.rfind(c) for c in _CLAUSE_MARKS) + 1 :]  # after the last mark
    ends = [i for i in (after.find(c) for c in _CLAUSE_MARKS) if i != -1]
    after = after[: min(ends)] if ends else after  # up to the first
    return before + text[start:end] + after


def _affirmed_values(
    rules: TextRules,
    concept: Concept,
    place: _Place,
    case: ConceptCase | None,
    involved: list[str],
    around: Callable[[int], str] | None = None,
) -> tuple[dict[str, Any], str | None]:
    modality = place.modality or concept.default_modality
    out: dict[str, Any] = dict(concept.sets)
    if concept.by_modality and modality in concept.by_modality:
        out.update(concept.by_modality[modality])  # type: ignore[index,unused-ignore]
    if case is not None:
        # a case is what the mention means here: a fracture of the sacrum is no neck fracture
        out = dict(case.sets)
        if not out:  # nothing here: nor its resolved values or sites ("geographic low T1")
            return {}, None
    note = None
    for path, resolver in concept.resolve.items():
        value, why = _resolve(rules, resolver, place.sentence, involved, around)
        if value is not None:
            out[path], note = value, why
    for path in concept.sites:
        if involved:
            out[path] = list(involved)
    return {p.replace("STUDY", modality or "xray"): v for p, v in out.items()}, note


def _concept_evidence(reader: _Reader, ent: Span) -> Iterable[Evidence]:
    rules = reader.rules
    place = reader.place(ent.start_char, ent.end_char)
    candidates = [rules.concept(c) for c in ent.label_.split(CONCEPT_SEPARATOR)]
    after = reader.study_after(ent.end_char, place)
    if after not in (None, place.modality) and any(_allowed(c, after) for c in candidates):
        place = dataclasses.replace(place, modality=after, modality_in_sentence=True)
    named = reader.study_within(ent.start_char, ent.end_char)
    if named not in (None, place.modality) and any(_allowed(c, named) for c in candidates):
        # "oedema on MRI and normal films": a mention that names its study is that study's
        place = dataclasses.replace(place, modality=named, modality_in_sentence=True)
    chosen = next((c for c in candidates if _allowed(c, place.modality)), None)
    if chosen is None and place.modality is not None:
        # "the MRI and the bone scan show no avascular necrosis": a finding the last study
        # named cannot show is that of a study named together with it
        for other in reader.joined_before(ent.start_char, place):
            chosen = next((c for c in candidates if _allowed(c, other)), None)
            if chosen is not None:
                place = dataclasses.replace(place, modality=other)
                break
    if chosen is None and place.modality is not None and place.report_modality is not None:
        # an effusion after "... on the radiograph" in an MRI report: the report's finding
        chosen = next((c for c in candidates if _allowed(c, place.report_modality)), None)
        if chosen is not None:
            place = dataclasses.replace(place, modality=place.report_modality)
    base = {
        "text": ent.text,
        "start": ent.start_char,
        "end": ent.end_char,
        "sentence": place.context,
        "sentence_start": place.context_start,
        "section": place.section,
    }
    if chosen is None:
        where = place.modality or "the clinical history"
        yield Evidence(
            path="", value=None, source=ent.label_, used=False,
            reason=f"not a finding of {where}", **base,
        )  # fmt: skip
        return
    spec = reader.sections.get(place.section or "")
    applies = (
        spec is None
        or spec.context_for is None
        or bool(_written_parts(chosen) & set(spec.context_for))
    )
    modifiers = _modifiers(ent, place, reader.text, applies)
    if _dated_onset(rules.context, chosen, modifiers.get("historical", ""), place.sentence):
        del modifiers["historical"]
    if chosen.own_polarity:
        modifiers.pop("negated", None)
    reason = _reason_unused(chosen, modifiers, place, spec is None or spec.study_findings)
    modality = place.modality or chosen.default_modality
    near = max((c.near or 0 for c in chosen.cases), default=0)
    involved = reader.sites(place.sentence)
    around = _around(reader.text, place, ent.start_char, ent.end_char, near)
    if chosen.refers_back and _opens_with(place.sentence, rules.targets.pronouns):
        around = _sentence_before(reader.text, place.sentence_start) + " " + place.sentence
    case = _case(chosen, place, modality, around, involved)
    if "negated" in modifiers:
        if case is not None and case.negated is not None:
            assigned = dict(case.negated)  # "no ankle swelling" says nothing of the hip
        elif case is not None and chosen.negated is None:
            assigned = flipped(case.sets)  # "no sacral fracture" says nothing of the neck
        else:
            assigned = chosen.negated_for(modality)
        note = None
        assigned = {p.replace("STUDY", place.modality or "xray"): v for p, v in assigned.items()}
        if not assigned and reason is None:
            reason = "negated, and the negation states nothing the case records"
    else:
        assigned, note = _affirmed_values(
            rules, chosen, place, case, involved,
            lambda near: _around(reader.text, place, ent.start_char, ent.end_char, near),
        )  # fmt: skip
    if not assigned:
        assigned = {"": ""}
        reason = reason or "states nothing the case records"
    for path, value in assigned.items():
        yield Evidence(
            path=path, value=value, source=chosen.id, modifiers=list(modifiers.values()),
            used=reason is None, reason=reason, note=note, **base,
        )  # fmt: skip


def _dated_onset(context: ContextRules, concept: Concept, historical: str, sentence: str) -> bool:
    """'Groin pain began about 2 months ago': a time ago that dates the present complaint (its
    onset, or the event it followed) leaves a symptom current, unless the sentence says that
    course is over ("a similar pain 3 years ago settled")."""
    if not historical or not context.dated_cues:
        return False
    cue = historical.lower()
    if not any(f"'{c}'" in cue for c in context.dated_cues):
        return False
    paths = [*concept.sets, *concept.resolve, *concept.by_modality]
    if not paths or not all(p.startswith("symptoms.") for p in paths):
        return False
    return not values.word_pattern(tuple(context.course_over)).search(sentence)


def _reason_unused(
    concept: Concept, modifiers: dict[str, str], place: _Place, study_findings: bool = True
) -> str | None:
    if concept.only_when == "modality_in_sentence" and not place.modality_in_sentence:
        return "no imaging study named in this sentence"
    if (
        concept.only_when == "study_named_if_affirmed"
        and "negated" not in modifiers
        and not (place.modality_in_sentence or place.study_section)
    ):
        return "named outside a study's report or sentence: a diagnosis, not a finding"
    if not study_findings and place.modality is None and concept.default_modality is not None:
        return f"a diagnosis (section '{place.section}'), not a study's finding"
    for name in ("family", "hypothetical", "uncertain"):
        if name in modifiers:
            return {
                "family": "about a relative, not the patient",
                "hypothetical": "a question or plan, not a finding",
                "uncertain": "uncertain: recorded as unknown",
            }[name]
    paths = [*concept.sets, *concept.resolve, *concept.by_modality]
    about_history = all(p.startswith(("history.", "patient.")) for p in paths)
    if "historical" in modifiers and not about_history:
        return "historical: not a finding now"
    if "other side" in modifiers and not about_history:
        return "about the other hip: not a finding of this hip"
    return None


def _value_evidence(reader: _Reader, found: values.Found, modifiers: list[str]) -> Evidence:
    place = reader.place(found.start, found.end)
    return Evidence(
        path=found.path, value=found.value, text=reader.text[found.start : found.end],
        start=found.start, end=found.end, sentence=place.context,
        sentence_start=place.context_start, section=place.section, source=found.source,
        modifiers=modifiers, note=found.note,
    )  # fmt: skip


def _side_evidence(reader: _Reader) -> list[Evidence]:
    """Laterality: of the complaint, and of each study (``tohip.text.laterality``)."""
    rules = reader.rules
    modality_words = tuple(w for words in rules.targets.modalities.values() for w in words)
    found = sorted(
        [*values.sides(reader.text), *laterality.extra_sides(reader.text)], key=lambda f: f[1]
    )
    mentions = []
    for side, start, end, about_pain in found:
        place = reader.place(start, end)
        if place.section_context == "family":
            continue
        named = _study_named_after(reader, end)  # "R hip MRI:", "left hip radiograph showed"
        if named is not None and not about_pain:
            place = dataclasses.replace(place, modality=named)
        elif _carried_study(place) and (
            about_pain or laterality.complaint_mention(place.sentence, place.section, rules.sides)
        ):
            # "MRI showed oedema in 2019. Now left hip pain.": the complaint's side, not the
            # side of a study named in an earlier sentence
            place = dataclasses.replace(place, modality=None)
        path = f"imaging.{place.modality}.side" if place.modality else "symptoms.side"
        note = "about pain" if about_pain else None
        e = _value_evidence(reader, values.Found(path, side, start, end, "side", note), [])
        mentions.append(laterality.classify(
            reader.text, e, place.sentence, place.section, place.section_context,
            place.modality, about_pain, rules.sides, modality_words, names_study=named is not None,
        ))  # fmt: skip
    return laterality.choose(mentions)


def _carried_study(place: _Place) -> bool:
    """The mention's study is only the last one named in an earlier sentence: not in its own
    sentence, not the section's or the report's."""
    return (
        place.modality is not None
        and not place.modality_in_sentence
        and place.report_modality is None
        and not place.study_section
    )


def _study_named_after(reader: _Reader, end: int) -> str | None:
    """The study named right after a side mention, on its line ("R hip MRI: ...")."""
    k = bisect.bisect_left(reader.study_positions, end)
    if k == len(reader.study_mentions):
        return None
    start, _end, modality = reader.study_mentions[k]
    between = reader.text[end:start]
    return modality if len(between) <= 2 and not between.strip(" -") else None


def _lab_word_values(rules: TextRules, evidence: list[Evidence]) -> list[Evidence]:
    """A number beats words for its lab (labs.yaml ``in_words``): words whose labs (those they
    name, else all the field speaks for) were all measured in the note ("CRP 4, normal"), or
    that name none in a sentence giving one ("raised inflammatory markers (CRP 45)"), describe
    the measurement and are not used; nor is "raised" about labs that rise in a healthy
    pregnancy, in a pregnant or postpartum patient ("ESR elevated" at 30 weeks)."""
    measured = {
        e.path.removeprefix("labs."): e for e in evidence
        if e.used and e.path.startswith("labs.") and isinstance(e.value, float | int)
    }  # fmt: skip
    pregnant = any(
        e.used and e.path == "patient.pregnancy.status" and e.value in ("pregnant", "postpartum")
        for e in evidence
    )
    out = []
    for e in evidence:
        labs = rules.labs.in_words.get(e.path.removeprefix("labs.")) if e.used else None
        if labs is not None:
            named = [lab for lab in labs if _names_lab(e.text, rules.labs.labs[lab].names)]
            sentence_end = e.sentence_start + len(e.sentence)
            beaten = all(lab in measured for lab in named or labs) or (
                not named
                and any(
                    e.sentence_start <= m.start < sentence_end
                    for lab, m in measured.items()
                    if lab in labs
                )
            )
            if beaten:
                e = e.model_copy(update={"used": False, "reason": "the measured value is given"})
            elif (
                pregnant
                and e.value == "raised"
                and named
                and not any(rules.labs.labs[lab].raised_words_in_pregnancy for lab in named)
            ):
                e = e.model_copy(
                    update={
                        "used": False,
                        "reason": f"{'/'.join(named).upper()} rises in pregnancy",
                    }
                )
        out.append(e)
    return out


def _names_lab(text: str, names: list[str]) -> bool:
    return values.word_pattern(tuple(names)).search(text) is not None


def _polarity(e: Evidence) -> int:
    return (
        1 if e.value in NEGATIVE_VALUES or any(m.startswith("negated") for m in e.modifiers) else 0
    )


def _settle(evidence: list[Evidence]) -> tuple[dict[str, Any], list[Evidence], list[str]]:
    """One value per case path. Lists are merged; for pregnancy postpartum beats pregnant beats
    not pregnant; otherwise a positive finding beats a negative one (the safer reading) and then
    the first mention wins. Losers stay in the evidence."""
    by_path: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(evidence):
        if e.used and e.path:
            by_path[e.path].append(i)
    chosen: dict[str, Any] = {}
    warnings = []
    out = list(evidence)
    for path, idx in by_path.items():
        items = [evidence[i] for i in idx]
        if isinstance(items[0].value, list):
            merged: list[Any] = []
            for e in items:
                merged += [v for v in e.value if v not in merged]
            chosen[path] = merged
            continue
        ranked = sorted(range(len(items)), key=lambda k: _rank(path, items[k], k))
        winner = items[ranked[0]]
        chosen[path] = winner.value
        for k in ranked[1:]:
            loser = items[k]
            if loser.value != winner.value:
                out[idx[k]] = loser.model_copy(
                    update={
                        "used": False,
                        "reason": f"conflicts with '{winner.text}' ({winner.value})",
                    }
                )
                warnings.append(
                    f"{path}: '{loser.text}' ({loser.value}) conflicts with '{winner.text}' "
                    f"({winner.value}); used {winner.value}"
                )
    return chosen, out, warnings


def _rank(path: str, e: Evidence, order: int) -> tuple[int, int, int]:
    if path == "patient.pregnancy.status":
        return (PREGNANCY_ORDER.index(str(e.value)), 0, order)
    if path == "symptoms.side":
        return (0 if e.value == "bilateral" else 1, 0 if e.note == "about pain" else 1, order)
    if path == "exam.range_of_motion":  # a stated degree beats "limited" (degree not given)
        return (_polarity(e), 1 if e.value == "limited" else 0, order)
    if path.startswith("imaging.") and path.endswith(".normal"):
        # a study reported with changes is not normal, whatever else calls it so (as a finding
        # wins over a normal study in ``_normal_with_findings``)
        return (0 if e.value is False else 1, 0, order)
    if path == "imaging.mri.edema_pattern" and e.value in EDEMA_EXTENT:
        return (_polarity(e), EDEMA_EXTENT.index(e.value), order)
    return (_polarity(e), 0, order)


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        node = out
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _coherent(flat: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """Drop values the rest of the note makes impossible, saying so."""
    status = flat.get("patient.pregnancy.status")
    pregnancy_detail = [
        p for p in flat if p.startswith("patient.pregnancy.") and p != "patient.pregnancy.status"
    ]
    if "patient.pregnancy.postpartum_weeks" in flat and status in (None, "pregnant"):
        # a stated time since delivery ("2 wks s/p C-section") outweighs a word about the
        # pregnancy itself ("pain began in pregnancy")
        status = flat["patient.pregnancy.status"] = "postpartum"
    if status is None and pregnancy_detail:
        status = flat["patient.pregnancy.status"] = "pregnant"
    if status is None and flat.get("patient.lactating") is True:
        status = flat["patient.pregnancy.status"] = "postpartum"  # breastfeeding: delivered
    if status is not None or flat.get("patient.lactating"):
        if flat.get("patient.sex") == "male":
            warnings.append("pregnancy or lactation mentioned for a male patient: both ignored")
            for p in [*pregnancy_detail, "patient.pregnancy.status", "patient.lactating"]:
                flat.pop(p, None)
            return flat
        if status in ("pregnant", "postpartum") or flat.get("patient.lactating"):
            flat.setdefault("patient.sex", "female")
    keep = {
        "pregnant": {"patient.pregnancy.gestational_weeks", "patient.pregnancy.trimester"},
        "postpartum": {"patient.pregnancy.postpartum_weeks"},
    }.get(str(status), set())
    for p in pregnancy_detail:
        if p not in keep:
            flat.pop(p)
    weeks = flat.get("patient.pregnancy.gestational_weeks")
    if weeks is not None and "patient.pregnancy.trimester" in flat:
        implied = 1 if weeks < 14 else 2 if weeks < 28 else 3
        if implied != flat["patient.pregnancy.trimester"]:
            warnings.append(f"gestation {weeks:g} weeks and trimester disagree: weeks kept")
        flat.pop("patient.pregnancy.trimester")
    return flat


STUDY_DETAILS = ("side", "date", "weeks_after_onset", "normal")


def _normal_with_findings(
    flat: dict[str, Any], evidence: list[Evidence], warnings: list[str]
) -> list[Evidence]:
    """A study called normal while the note reads a finding in it ("X-ray reported as normal,
    but on review there is regional osteopenia") is not normal: the finding wins, as a positive
    finding wins over a negative one."""
    out = evidence
    for modality in MODALITIES:
        key = f"imaging.{modality}.normal"
        if flat.get(key) is not True:
            continue
        found = [
            p for p, v in flat.items()
            if p.startswith(f"imaging.{modality}.") and p.rsplit(".", 1)[1] not in STUDY_DETAILS
            and not isinstance(v, list) and v not in NEGATIVE_VALUES
        ]  # fmt: skip
        if not found:
            continue
        flat.pop(key)
        warnings.append(f"{key}: dropped, the note reads {found[0]} in the same study")
        why = f"the study has a finding ({found[0]}): not a normal study"
        out = [
            e.model_copy(update={"used": False, "reason": why}) if e.used and e.path == key else e
            for e in out
        ]
    return out


def _build_case(
    flat: dict[str, Any], case_id: str | None, note_date: dt.date | None, warnings: list[str]
) -> Any:
    data = _nest(flat)
    if case_id:
        data["id"] = case_id
    if note_date:
        data["assessment_date"] = note_date.isoformat()
    for _ in range(len(flat) + 1):
        try:
            return case_from_data(data)
        except CaseValidationError as exc:
            bad = _first_bad_path(str(exc), flat)
            if bad is None:
                raise
            warnings.append(f"{bad}: dropped, the case rejected it ({exc})")
            flat.pop(bad)
            data = _nest(flat)
    raise AssertionError("unreachable")


def _first_bad_path(message: str, flat: dict[str, Any]) -> str | None:
    for path in sorted(flat, key=len, reverse=True):
        if path in message:
            return path
    return None


_MEDICINE_WORDS: dict[int, tuple[TextRules, medicines.MedicineWords]] = {}


def _medicine_words(rules: TextRules) -> medicines.MedicineWords:
    """``medicines.medicine_words(rules)``, built once for each (frozen) rules object rather than
    for every note."""
    cached = _MEDICINE_WORDS.get(id(rules))
    if cached is None or cached[0] is not rules:
        if len(_MEDICINE_WORDS) > 8:
            _MEDICINE_WORDS.clear()
        cached = _MEDICINE_WORDS[id(rules)] = (rules, medicines.medicine_words(rules))
    return cached[1]


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise InputError("the note must be text")
    if len(text) > MAX_CHARACTERS:
        raise InputError(
            f"the note is {len(text):,} characters; tohip reads notes of up to "
            f"{MAX_CHARACTERS:,} characters (split longer records into notes)"
        )
    if "\x00" in text:
        raise InputError("the note contains NUL bytes: it looks like a binary file, not text")
    return text


# A single line break inside a sentence: not after sentence-ending punctuation, and followed
# (after spaces) by a word in lower case. Linear: each break looks only at its own run of spaces.
_WRAPPED_BREAK = re.compile(r"(?<![.!?;:\n])\r?\n(?=[ \t]*[a-z])")


def unwrap_lines(text: str) -> str:
    """Hard-wrapped letters break phrases across lines ("no double\\nline sign"); the matcher
    sees the line break as a token and misses the phrase. Replace each wrapped break by spaces
    of the same length, so every character offset stays that of the note."""
    if text.count("\n") > len(text) // prefilter.TEXT_PER_TRY:  # mostly line breaks
        return _WRAPPED_BREAK.sub(lambda m: " " * len(m.group()), text)
    pieces: list[str] = []
    last = 0
    for m in prefilter.finditer(_WRAPPED_BREAK, text):  # tried only at line breaks
        pieces += (text[last : m.start()], " " * (m.end() - m.start()))
        last = m.end()
    return "".join((*pieces, text[last:])) if pieces else text


def extract_text(
    text: str,
    *,
    note_date: dt.date | None = None,
    case_id: str | None = None,
    nlp: Language | None = None,
    rules: TextRules | None = None,
) -> Extraction:
    """Read a clinical note into a structured case with evidence for every value."""
    text = _check_text(text)
    rules = rules or load_text_rules()
    with warnings.catch_warnings():
        # medspaCy's matchers hold empty spaCy Matchers when a rule set has no token patterns
        warnings.filterwarnings("ignore", message=r".*\[W036\]")
        unwrapped = unwrap_lines(text)
        doc = (nlp or default_pipeline())(unwrapped)
    reader = _Reader(text, doc, rules)
    evidence: list[Evidence] = []
    for ent in doc.ents:
        evidence += _concept_evidence(reader, ent)
    other = rules.targets.other_bones
    evidence = bones.drop_other_bones(
        text, evidence, set(other.paths), other.words, other.hip_words + _site_words(rules),
        lambda start, end: reader.place(start, end).sentence,
    )  # fmt: skip
    evidence = studies.shared_findings(
        text, evidence, reader.study_mentions, STUDY_FIELDS, rules.targets.joined_studies_not_after,
        lambda start, end: reader.place(start, end).sentence_start,
    )  # fmt: skip
    words = _medicine_words(rules)
    found = [
        *values.age_and_sex(text),
        *values.pregnancy(text),
        *values.durations(text, note_date, rules.durations),
        *values.labs(text, rules.labs.labs),
        *medicines.medicines(words, text),
        *medicines.allergies(words, text),
    ]
    evidence += [_value_evidence(reader, f, []) for f in found]
    evidence += _side_evidence(reader)
    evidence = laterality.other_hip_exam(text, evidence)
    evidence = _timed_studies(reader, evidence)
    evidence += _band_measures(reader, evidence)
    evidence, later_studies, later_evidence = followup.split(text, rules, evidence, unwrapped)
    evidence = _lab_word_values(rules, evidence)
    evidence.sort(key=lambda e: (e.start, e.end))
    flat, evidence, problems = _settle(evidence)
    evidence += _complaint_side_studies(flat, evidence)
    if later_studies:
        later_studies, timing = followup.timed(
            later_studies, flat.get("symptoms.duration_weeks"), text
        )
        flat["imaging.followup"] = later_studies
        evidence = sorted(evidence + later_evidence + timing, key=lambda e: (e.start, e.end))
    flat = _coherent(flat, problems)
    evidence = _normal_with_findings(flat, evidence, problems)
    case = _build_case(flat, case_id, note_date, problems)
    return Extraction(case=case, evidence=evidence, warnings=problems)


def _site_words(rules: TextRules) -> list[str]:
    return [w for words in rules.targets.sites.values() for w in words]


def _timed_studies(reader: _Reader, evidence: list[Evidence]) -> list[Evidence]:
    """'Radiograph (5 weeks after onset)': the study's own timing, from its sentence."""
    seen = set()
    out = list(evidence)
    for e in evidence:
        modality = e.path.split(".")[1] if e.path.startswith("imaging.") else None
        if modality not in MODALITIES or (modality, e.sentence_start) in seen or not e.used:
            continue
        seen.add((modality, e.sentence_start))
        start = e.sentence_start
        weeks = values.study_timing(reader.text, start, start + len(e.sentence) + 1)
        if weeks is not None:
            out.append(
                e.model_copy(
                    update={"path": f"imaging.{modality}.weeks_after_onset", "value": weeks,
                            "source": "study_timing", "modifiers": [], "note": None}
                )
            )  # fmt: skip
    return out


def _band_measures(reader: _Reader, evidence: list[Evidence]) -> list[Evidence]:
    """'A T1 low-signal band 2-3 mm thick': the band's size, from the sentence of a band
    mention (signal.yaml ``measured_concepts``)."""
    concepts = set(reader.rules.signal.measured_concepts)
    out: list[Evidence] = []
    seen = set()
    for e in evidence:
        if e.source not in concepts or not e.used or e.sentence_start in seen:
            continue
        if not e.path.startswith("imaging.mri."):
            continue
        seen.add(e.sentence_start)
        for what, mm, start, end in signal.band_measures(e.sentence):
            offset = reader.text.find(e.sentence, e.sentence_start)
            begin = (offset if offset >= 0 else e.sentence_start) + start
            out.append(
                e.model_copy(
                    update={"path": f"imaging.mri.subchondral_band_{what}_mm", "value": mm,
                            "text": e.sentence[start:end], "start": begin,
                            "end": begin + end - start, "source": "band_size", "modifiers": [],
                            "note": None}
                )
            )  # fmt: skip
    return out


# what places a study's findings in the femoral head or neck, or the hip joint: such a study
# shows one hip (a film or CT is often of the whole pelvis, but an abnormal hip on it is the
# painful one when only one hurts; normal findings there place nothing)
FEMORAL_FINDINGS = {
    "mri": ("necrotic_segment", "subchondral_fracture_line", "neck_fracture_line", "collapse",
            "medial_head_spared"),
    "xray": ("crescent_or_collapse", "osteopenia", "subchondral_cortical_loss", "erosions",
             "cortical_destruction", "fracture_line", "sclerosis"),
    "ct": ("collapse", "erosions", "cortical_destruction", "fracture_line", "sclerosis"),
}  # fmt: skip
# values of a field that place it (joint space narrowed is the joint's; preserved is nothing)
FEMORAL_VALUES = {"xray": {"joint_space": "narrowed"}}
FEMORAL_SITES = {"femoral_head", "femoral_neck"}


def _complaint_side_studies(flat: dict[str, Any], evidence: list[Evidence]) -> list[Evidence]:
    """An MRI whose report names no side, with findings in the femur, shows the hip of a
    one-sided complaint (a plain film is often of the whole pelvis: it keeps no side)."""
    side = flat.get("symptoms.side")
    if side not in ("left", "right"):
        return []
    source = next(e for e in evidence if e.used and e.path == "symptoms.side" and e.value == side)
    out = []
    for modality, fields in FEMORAL_FINDINGS.items():
        if f"imaging.{modality}.side" in flat:
            continue
        sites = set(flat.get(f"imaging.{modality}.sites") or ())
        valued = FEMORAL_VALUES.get(modality, {}).items()
        if not (
            sites & FEMORAL_SITES
            or any(flat.get(f"imaging.{modality}.{f}") is True for f in fields)
            or any(flat.get(f"imaging.{modality}.{f}") == v for f, v in valued)
        ):
            continue
        flat[f"imaging.{modality}.side"] = side
        note = "the complaint's side: the report names none"
        out.append(source.model_copy(update={"path": f"imaging.{modality}.side", "note": note}))
    return out
