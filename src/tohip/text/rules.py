"""The free-text reader's rules: data files next to the knowledge base, validated here.

``kb/data/text/`` holds: ``targets.yaml`` (what to look for and what it means for the case),
``context.yaml`` (ConText modifiers added to or removed from medspaCy's defaults),
``sections.yaml`` (note and report headers), ``labs.yaml`` (lab names, reference intervals and
the fields for results given in words), ``medicines.yaml`` (medicine lexicon and cues),
``reliability.yaml`` (measured precision per reader), ``signal.yaml`` (the MR signal grammar,
whose expressions are added to the concepts it names), ``followup.yaml`` (later studies),
``sides.yaml`` (which hip the complaint and each study are about) and ``durations.yaml``
(whether a duration is the complaint's).
Nothing clinical about reading text lives in code.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tohip.case.units import LABS
from tohip.errors import KnowledgeBaseError, ReadError
from tohip.kb.loader import read_kb_file
from tohip.text.followup import FollowUpRules
from tohip.text.signal import SignalGrammar

Modality = Literal["xray", "mri", "bone_scan", "ct", "ultrasound"]
MODALITIES: tuple[Modality, ...] = ("xray", "mri", "bone_scan", "ct", "ultrasound")
Value = bool | int | float | str
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ResolverRule(_Rule):
    """One line of a resolver: the value when the sentence has these words / sites."""

    value: str | None  # None: this rule states nothing (e.g. a band whose shape is not given)
    words: list[str] = []
    sites_include: list[str] = []
    sites_within: list[str] = []
    # look for the words only this many characters either side of the mention, within its
    # clause ("severe pain; hip ROM limited" does not make the range severely limited)
    near: int | None = None
    note: str | None = None


class ConceptCase(_Rule):
    """One meaning of a concept, chosen by the words or sites of its sentence (first match)."""

    words: list[str] = []
    sites_within: list[str] = []
    # look for the words only this many characters either side of the mention (within its
    # sentence), so that "sacral fracture; femoral neck normal" names the fractured bone
    near: int | None = None
    # the studies whose mentions the case applies to (all when not given)
    modalities: list[Modality] | None = None
    sets: dict[str, Value] = {}
    # what a negated mention here states (default: the concept's rule)
    negated: dict[str, Value] | None = None
    keep: bool = False  # the mention means what the concept sets: stop looking at cases


class Concept(_Rule):
    id: str
    phrases: list[str] = []
    regex: list[str] = []
    sets: dict[str, Value] = {}
    by_modality: dict[Modality, dict[str, Value]] = {}
    negated: dict[str, Value] | None = None
    # what a negated mention states in a given study's report, where it differs by study
    negated_by_modality: dict[Modality, dict[str, Value]] = {}
    resolve: dict[str, str] = {}
    sites: dict[str, str] = {}
    cases: list[ConceptCase] = []
    modalities: list[Modality | Literal["none"]] | None = None
    default_modality: Modality | None = None
    # modality_in_sentence: used only where its sentence names a study; study_named_if_affirmed:
    # an affirmed mention only there or in a study's section (its findings or impression), while
    # a negated one counts wherever a study is read
    only_when: Literal["modality_in_sentence", "study_named_if_affirmed"] | None = None
    # a mention in a sentence that opens with a pronoun ("It is hypointense on T1") describes
    # what the sentence before names: the cases' words are looked for there and in the whole
    # sentence (Targets.pronouns)
    refers_back: bool = False
    # the phrase states its own polarity ("joint space preserved", "head contour intact"): a
    # negation before it is a list's carried over ("no fracture, joint space normal"), not its
    own_polarity: bool = False

    @model_validator(mode="after")
    def _something_to_match(self) -> Concept:
        if not self.phrases and not self.regex:
            raise ValueError(f"concept {self.id!r} has no phrases or regex")
        return self

    def negated_values(self) -> dict[str, Value]:
        """What a negated mention states; a lone ``true`` turns ``false`` by default."""
        if self.negated is not None:
            return self.negated
        return flipped(self.sets)

    def negated_for(self, modality: str | None) -> dict[str, Value]:
        """Negated values for a mention in ``modality``'s report."""
        if modality in self.negated_by_modality:
            return self.negated_by_modality[modality]  # type: ignore[index,unused-ignore]
        if self.negated is None and self.by_modality and modality in self.by_modality:
            return flipped(self.by_modality[modality])  # type: ignore[index,unused-ignore]
        return self.negated_values()


def flipped(sets: dict[str, Value]) -> dict[str, Value]:
    if len(sets) == 1 and next(iter(sets.values())) is True:
        return {next(iter(sets)): False}
    return {}


class OtherBones(_Rule):
    """Bones and joints beside the hip that a pelvic, sacral or spinal study reports
    (text/bones.py): a finding about one of them fills none of ``paths``."""

    words: list[str] = []  # the other bones and joints ("sacrum", "pubic rami", "SI joint")
    hip_words: list[str] = []  # a sentence naming one of these is about the hip too
    paths: list[str] = []  # case fields only the femur or acetabulum fills


class Targets(_Rule):
    modalities: dict[Modality, list[str]]
    # investigations that are not imaging ("biopsy", "histology"): what follows them is not the
    # finding of a study named before
    not_imaging: list[str] = []
    # regular expressions for words that look like a study's name and are not ("Mr Jones"):
    # a study word inside one of these names no study
    not_study_names: list[str] = []
    # regular expressions for a study's names that a word list cannot hold safely: "US" is an
    # ultrasound only in capitals and beside a colon or a verb ("US hip: effusion"), never the
    # pronoun "us"
    study_patterns: dict[Modality, list[str]] = {}
    sites: dict[str, list[str]]
    sparing: list[str] = []  # cues that exclude the sites after them ("sparing the acetabulum")
    other_bones: OtherBones = OtherBones()
    # words after which studies named together are compared, not reported (text/studies.py)
    joined_studies_not_after: list[str] = []
    # words that open a sentence about what the sentence before names (Concept.refers_back)
    pronouns: list[str] = []
    resolvers: dict[str, list[ResolverRule]]
    concepts: list[Concept]

    @model_validator(mode="after")
    def _consistent(self) -> Targets:
        ids = [c.id for c in self.concepts]
        if len(ids) != len(set(ids)):
            raise ValueError("concept ids must be unique")
        for c in self.concepts:
            for path, name in c.resolve.items():
                if name not in self.resolvers:
                    raise ValueError(f"concept {c.id!r}: resolver {name!r} for {path} is unknown")
        for name, rules in self.resolvers.items():
            if not rules or rules[-1].words or rules[-1].sites_include or rules[-1].sites_within:
                raise ValueError(f"resolver {name!r} must end with a rule that always applies")
            for rule in rules:
                unknown = set(rule.sites_include + rule.sites_within) - set(self.sites)
                if unknown:
                    raise ValueError(f"resolver {name!r} names unknown sites {sorted(unknown)}")
        for c in self.concepts:
            for case in c.cases:
                unknown = set(case.sites_within) - set(self.sites)
                if unknown:
                    raise ValueError(f"concept {c.id!r}: a case names unknown sites {unknown}")
        patterns = [("study_patterns", r) for v in self.study_patterns.values() for r in v]
        for name, source in [*(("not_study_names", r) for r in self.not_study_names), *patterns]:
            try:
                re.compile(source)
            except re.error as exc:
                message = f"{name}: {source!r} is no regular expression ({exc})"
                raise ValueError(message) from None
        return self


class ContextRule(_Rule):
    literal: str
    category: Literal[
        "NEGATED_EXISTENCE",
        "POSSIBLE_EXISTENCE",
        "HISTORICAL",
        "HYPOTHETICAL",
        "FAMILY",
        "OTHER_SIDE",
        "TERMINATE",
    ]
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    max_scope: int | None = Field(default=None, ge=1)


class StudyClauses(_Rule):
    """A comma or a joining word then a study's name opens a new clause: each opener followed
    by each study word ends a modifier's scope (a TERMINATE rule)."""

    openers: list[str] = []
    studies: list[str] = []


class ContextRules(_Rule):
    remove_default: list[str] = []
    rules: list[ContextRule]
    # historical cues that date a time ago ("2 months ago"): a symptom they modify is the
    # present complaint's onset unless its sentence has one of `course_over`
    dated_cues: list[str] = []
    course_over: list[str] = []
    study_clauses: StudyClauses = StudyClauses()


class Section(_Rule):
    """A header is matched followed by a colon; imaging titles ("MRI RIGHT HIP") also without."""

    category: str
    headers: list[str]
    context: Literal["historical", "family", "hypothetical"] | None = None
    modality: Modality | None = None
    # false: a finding here with no study named is a conclusion, not read as a study's finding
    study_findings: bool = True
    # words that make a sentence naming a study a result reported, not the section's context
    # (a request's indication that quotes an earlier study's result)
    reported_results: list[str] = []
    # the case parts the section's context applies to (all when not given): a request's
    # indication questions the imaging, while its history ("no trauma") is the referrer's fact
    context_for: list[str] | None = None
    # the context ends with a line that closes a sentence before a line that opens one ("PMH:
    # nil. Meds: none." then "On exam ..."), not only with a blank line
    ends_with_line: bool = False


class Sections(_Rule):
    sections: list[Section]


class Interval(_Rule):
    low: float | None = None
    high: float | None = None
    high_by_age: bool = False


class UnitGuess(_Rule):
    """The unit a bare number above ``above`` must be in (a phosphate of 3.4 is mg/dL: no
    patient has 3.4 mmol/L)."""

    above: float
    unit: str


class LabText(_Rule):
    names: list[str]
    interval: Interval
    sources: list[dict[str, str]]
    # "raised" in words says nothing about this lab in pregnancy or after delivery, when it is
    # raised in health and read against another limit (the ESR)
    raised_words_in_pregnancy: bool = True
    signed: bool = False  # the value may be negative ("T-score -2.8")
    value_first: bool = False  # also read "92% neutrophils"
    unit_required: bool = False  # a number without its unit is not this lab
    clause_words: list[str] = []  # read only in a clause naming one of these (joint fluid)
    unstated_unit: UnitGuess | None = None
    # a result reported below a limit ("CRP <5"): "half" the limit, the usual stand-in for a
    # quantity measured up from zero (the limit itself sits on a band's boundary: CRP "below
    # 10" is normal); "limit" keeps the number ("T-score < -2.5"); "none" records nothing
    below_limit: Literal["half", "limit", "none"] = "half"


class Labs(_Rule):
    labs: dict[str, LabText]
    # case fields for results reported in words without a number, and the labs each speaks for
    # ("inflammatory markers normal": CRP and ESR)
    in_words: dict[str, list[str]] = {}

    @model_validator(mode="after")
    def _known(self) -> Labs:
        unknown = set(self.labs) - set(LABS)
        if unknown:
            raise ValueError(f"labs not in the case model: {sorted(unknown)}")
        for name, labs in self.in_words.items():
            if name in self.labs or set(labs) - set(self.labs):
                raise ValueError(f"in_words: {name}: not a field for words about {labs}")
        return self


class Measured(_Rule):
    """How often one reader's values matched the gold annotation on the development split."""

    correct: int = Field(ge=0)
    read: int = Field(ge=1)

    @model_validator(mode="after")
    def _at_most_read(self) -> Measured:
        if self.correct > self.read:
            raise ValueError("correct exceeds read")
        return self


class Reliability(_Rule):
    """The reader's measured precision per concept or value reader, used as the trust of what it
    reads (soft evidence in the engine). ``default`` is the trust of a reader never measured and
    the centre of the smoothing prior; ``prior_strength`` is that prior's weight in readings."""

    measured_on: str
    default: float = Field(gt=0.5, le=1.0)
    prior_strength: float = Field(gt=0)
    floor: float = Field(ge=0.5, le=1.0)
    ceiling: float = Field(gt=0.5, le=1.0)
    readers: dict[str, Measured] = {}

    def trust(self, reader: str) -> float:
        """Smoothed precision: (correct + k * default) / (read + k), kept in [floor, ceiling]."""
        m = self.readers.get(reader)
        if m is None:
            return self.default
        k = self.prior_strength
        value = (m.correct + k * self.default) / (m.read + k)
        return min(self.ceiling, max(self.floor, value))


class Medicines(_Rule):
    """Words for reading medicines and allergies (see ``tohip.text.medicines``)."""

    names: list[str]
    no_medicines: list[str]
    no_allergies: list[str]
    allergy_cues: list[str]
    # words right after a medicine that make it an allergy ("penicillin allergy", "NSAID
    # intolerance")
    allergy_after: list[str] = []
    current_cues: list[str]
    not_current_cues: list[str]
    # words after a medicine (its dose and the names listed with it aside) that say it is not
    # being taken: tried without effect, or given once ("paracetamol + ibuprofen not helping")
    not_current_after: list[str] = []
    # words that make an exception to a "none" or a "not on" before them ("no meds except
    # naproxen"): what follows them is taken
    exception_cues: list[str] = []
    generic: dict[str, str] = {}  # brand or short name -> the name recorded


class SideRules(_Rule):
    """Words that say what a side mention is about (see ``tohip.text.laterality``)."""

    schema_version: Literal[1]
    complaint_sections: list[str]
    complaint_words: list[str]
    historical_cues: list[str]
    normal_cues: list[str]
    plan_cues: list[str]
    # words that make a sentence with a plan cue a study done ("X-ray ordered by us reported as
    # normal") and phrases that name an earlier study only to compare ("since the prior study")
    done_cues: list[str] = []
    comparison_phrases: list[str] = []


class DurationRules(_Rule):
    """Words that say whether a duration is the complaint's (see ``values.durations``)."""

    schema_version: Literal[1]
    complaint_words: list[str]
    treatment_cues: list[str]
    event_words: list[str]
    onset_words: list[str]
    # a change in a complaint that was already there ("over the last 2 months the pain has
    # become much worse"): the time of the change, not how long the complaint has lasted
    change_words: list[str] = []


class TextRules(BaseModel):
    """All the files, loaded and validated together, and the plan's drug names."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)
    targets: Targets
    context: ContextRules
    sections: Sections
    labs: Labs
    reliability: Reliability
    medicines: Medicines
    signal: SignalGrammar
    followup: FollowUpRules
    sides: SideRules
    durations: DurationRules
    plan_drug_names: tuple[str, ...] = ()

    def headers(self, category: str) -> tuple[str, ...]:
        """Every header of one section category."""
        return tuple(h for s in self.sections.sections if s.category == category
                     for h in s.headers)  # fmt: skip

    def concept(self, concept_id: str) -> Concept:
        return self._by_id[concept_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.targets.concepts}


FILES: dict[str, type[BaseModel]] = {
    "targets": Targets,
    "context": ContextRules,
    "sections": Sections,
    "labs": Labs,
    "reliability": Reliability,
    "medicines": Medicines,
    "signal": SignalGrammar,
    "followup": FollowUpRules,
    "sides": SideRules,
    "durations": DurationRules,
}


def _load_one(path: Path, model: type[BaseModel]) -> Any:
    try:
        raw = yaml.load(read_kb_file(path), Loader=_Loader)
    except (ReadError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError([f"{path}: cannot read: {exc}"]) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeBaseError([f"text/{path.name}: {where}: {first['msg']}"]) from exc


def read_text_rules(directory: Path) -> TextRules:
    """Read and validate ``directory/text/*.yaml``; raise ``KnowledgeBaseError`` naming the
    file and place of the first problem."""
    parts = {name: _load_one(directory / "text" / f"{name}.yaml", m) for name, m in FILES.items()}
    parts["targets"] = _with_grammar(parts["targets"], parts["signal"])
    return TextRules(**parts, plan_drug_names=_plan_drug_names(directory))


def _with_grammar(targets: Targets, grammar: SignalGrammar) -> Targets:
    """Add the signal grammar's expressions (signal.yaml) to the concepts its readings name."""
    patterns = grammar.patterns()
    unknown = set(patterns) - {c.id for c in targets.concepts}
    if unknown:
        raise KnowledgeBaseError([f"text/signal.yaml: unknown concepts {sorted(unknown)}"])
    concepts = [
        c.model_copy(update={"regex": [*c.regex, patterns[c.id]]}) if c.id in patterns else c
        for c in targets.concepts
    ]
    return targets.model_copy(update={"concepts": concepts})


def _plan_drug_names(directory: Path) -> tuple[str, ...]:
    """The care plan's drug class ids and names (plan/drugs.yaml), so that every medicine the
    safety rules know is also read from notes."""
    path = directory / "plan" / "drugs.yaml"
    try:
        raw = yaml.load(read_kb_file(path), Loader=_Loader)
        drugs = raw["drugs"]
        names = [d["id"].replace("_", " ") for d in drugs]
        names += [n for d in drugs for n in d.get("names", [])]
    except (ReadError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise KnowledgeBaseError([f"{path}: cannot read drug names: {exc}"]) from exc
    return tuple(str(n) for n in names)


@functools.cache
def load_text_rules(directory: Path | None = None) -> TextRules:
    """The validated rules of ``directory`` (default: the shipped knowledge base), from the
    content-keyed cache (``tohip.kb.cache``) when these exact files were read before."""
    from tohip.kb.cache import cached
    from tohip.kb.loader import default_directory

    where = directory or default_directory()
    return cached("text-rules", where, TextRules, lambda: read_text_rules(where))


def check_text_rules(rules: TextRules, references: set[str] | None = None) -> list[str]:
    """Cross-checks a schema cannot make: every case path a concept writes exists, no concept
    writes words into a measured lab, and every lab source is a knowledge-base reference."""
    from tohip.case.derive import is_valid_path

    problems = []
    for name in rules.labs.in_words:
        if not is_valid_path(f"labs.{name}"):
            problems.append(f"text/labs.yaml: in_words: labs.{name} is not a case field")
    for lab, spec in rules.labs.labs.items():
        for source in spec.sources:
            if references is not None and source.get("ref") not in references:
                problems.append(f"text/labs.yaml: {lab}: unknown reference {source.get('ref')!r}")
    for c in rules.targets.concepts:
        studies = [m for m in (c.modalities or MODALITIES) if m != "none"]
        written = [(p, studies) for p in [*c.sets, *c.resolve, *c.sites, *(c.negated or {})]]
        written += [(p, case.modalities or studies)  # a case names the studies it applies to
                    for case in c.cases for p in [*case.sets, *(case.negated or {})]]  # fmt: skip
        written += [(p, studies) for values in c.by_modality.values() for p in values]
        for path, where in written:
            paths = [path.replace("STUDY", m) for m in where] if "STUDY" in path else [path]
            for p in paths:
                if not is_valid_path(p):
                    problems.append(f"text/targets.yaml: concept {c.id!r}: {p} is not a case field")
        for path, value in {**c.sets, **(c.negated or {})}.items():
            lab = path.removeprefix("labs.")
            if path.startswith("labs.") and lab in rules.labs.labs and isinstance(value, str):
                problems.append(
                    f"text/targets.yaml: concept {c.id!r}: {path}={value!r}: a measured lab "
                    "takes a number; a result in words has its own field (labs.yaml in_words)"
                )
    return problems
