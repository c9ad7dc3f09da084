"""Property-based fuzzing of tohip's input paths (issue 13): strategies and the contract checks.

Two generators:

- **JSON cases**, drawn from the *published* schema (``schemas/case.schema.json``, by
  ``from_json_schema`` below), so they are what a conforming client may send; mixed with cases built
  from the schema's own field names (the clinical vocabulary) holding adversarial values, and with
  raw JSON text carrying structural attacks (depth, duplicate keys, non-numbers, huge numbers).
- **Notes**, from the reader's clinical vocabulary (the phrases in ``kb/data/text/targets.yaml``,
  section headers, lab lines) interleaved with adversarial strings (markup, control characters,
  digit runs, unpunctuated runs, odd Unicode).

The contract (``check_json_case``, ``check_note``): every input either is refused with an
``InputError`` whose message is one line, or is assessed (all nine ids, probabilities summing to
1), planned and turned into a handout without any other exception. Used by
``tests/hardening/test_fuzz.py`` (CI size) and ``benchmarks/run_fuzz.py`` (the large run).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
import time
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from rich.console import Console

from tohip.api import assess_extraction
from tohip.case.io import case_from_json_text
from tohip.case.schema import Case
from tohip.cli.render import render
from tohip.cli.render_plan import render_plan
from tohip.conditions import CONDITION_IDS
from tohip.engine.assess import assess_case
from tohip.errors import InputError
from tohip.handout.content import build_handout
from tohip.io.messages import one_line
from tohip.plan.build import make_plan
from tohip.text.extract import extract_text
from tohip.text.rules import load_text_rules

REPO = Path(__file__).resolve().parents[1]
CASE_SCHEMA = REPO / "schemas" / "case.schema.json"

ADVERSARIAL_STRINGS = (
    "[/]",
    "[/b]",
    "[link=https://evil.example]x[/link]",
    "[bold red]alarm[/]",
    ":warning:",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\u202eevil\u202c",
    "\u2028",
    "\ufeff",
    "\x00",
    "\r\n",
    "\t\t\t",
    "'; DROP TABLE patients; --",
    "{{ 7 * 7 }}",
    "<script>alert(1)</script>",
    "%s%s%n",
    "../../../../etc/passwd",
    "9" * 60,
    "1" * 400,
    "-0",
    "NaN",
    "1e309",
    "ﬁ" * 20,
    "é" * 30,
    "🦴" * 10,
    "a" * 300,
)

EXTRA_NOTE_LINES = (
    "HPI:",
    "PMH:",
    "Exam:",
    "MRI:",
    "X-ray:",
    "Impression:",
    "Labs:",
    "DHx:",
    "Allergies:",
    "CRP 12 mg/L",
    "ESR 40 mm/h",
    "WBC 15,800/uL",
    "T 38.9C",
    "42yo M",
    "G2P1 at 34 weeks",
    "36/40",
    "3/52",
    "since March",
    "NKDA",
    "no regular medications",
    "left",
    "right",
    "bilateral",
    "no",
    "not",
    "cannot be excluded",
    "may represent",
    "history of",
    "mother had",
    "resolved",
    "-",
    "•",
    "1.",
    ".",
    ";",
    "\n",
    "\n\n",
)


@functools.cache
def case_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(CASE_SCHEMA.read_text())
    return schema


@functools.cache
def clinical_phrases() -> tuple[str, ...]:
    """The reader's own vocabulary: every concept phrase, modality and site name."""
    targets = load_text_rules().targets
    words: list[str] = []
    for concept in targets.concepts:
        words.extend(concept.phrases)
    for names in (*targets.modalities.values(), *targets.sites.values()):
        words.extend(names)
    return tuple(sorted(set(words)))


def from_json_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values conforming to a JSON Schema, for the subset pydantic publishes ($ref, anyOf, enum,
    const, objects, arrays, numbers with bounds, strings with length, pattern or date format).

    Written here rather than taken from hypothesis-jsonschema, which needed 0.3 s per case for
    this schema (so a 10,000-case run would take an hour); this takes milliseconds.
    """
    definitions = schema.get("$defs", {})

    @functools.cache
    def for_ref(ref: str) -> st.SearchStrategy[Any]:
        return build(definitions[ref.rsplit("/", 1)[-1]])

    def build(node: dict[str, Any]) -> st.SearchStrategy[Any]:
        if "$ref" in node:
            return st.deferred(lambda: for_ref(node["$ref"]))
        if "anyOf" in node:
            return st.one_of([build(option) for option in node["anyOf"]])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        if "const" in node:
            return st.just(node["const"])
        kind = node.get("type")
        if isinstance(kind, list):
            return st.one_of([build({**node, "type": k}) for k in kind])
        return _typed(node, kind, build)

    return build(schema)


def _typed(node: dict[str, Any], kind: Any, build: Any) -> st.SearchStrategy[Any]:
    if kind == "object":
        properties = {k: build(v) for k, v in node.get("properties", {}).items()}
        required = set(node.get("required", ()))
        return st.fixed_dictionaries(
            {k: v for k, v in properties.items() if k in required},
            optional={k: v for k, v in properties.items() if k not in required},
        )
    if kind == "array":
        most = min(node.get("maxItems", 4), 4)
        return st.lists(build(node.get("items", {})), max_size=most)
    if kind in ("number", "integer"):
        low = node.get("minimum", node.get("exclusiveMinimum"))
        high = node.get("maximum", node.get("exclusiveMaximum"))
        whole = st.integers(min_value=low and math.ceil(low), max_value=high and math.floor(high))
        if kind == "integer":
            return whole
        real = st.floats(
            min_value=low,
            max_value=high,
            exclude_min="exclusiveMinimum" in node,
            exclude_max="exclusiveMaximum" in node,
            allow_nan=False,
            allow_infinity=False,
        )
        return st.one_of(whole, real)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        return _strings(node)
    return st.none()


def _strings(node: dict[str, Any]) -> st.SearchStrategy[str]:
    if node.get("format") == "date":  # the schema allows any calendar date; tohip may refuse
        return st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
    longest = min(node.get("maxLength", 60), 60)
    shortest = node.get("minLength", 0)
    if "pattern" in node:
        pattern = st.from_regex(node["pattern"], fullmatch=True)
        return pattern.filter(lambda s: shortest <= len(s) <= longest)
    return st.text(min_size=shortest, max_size=longest)


def _field_names(schema: dict[str, Any]) -> tuple[str, ...]:
    names: set[str] = set(schema.get("properties", {}))
    for definition in schema.get("$defs", {}).values():
        names.update(definition.get("properties", {}))
    return tuple(sorted(names))


ADVERSARIAL_VALUES = st.one_of(
    st.sampled_from(ADVERSARIAL_STRINGS),
    st.booleans(),
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "yes",
            "no",
            "true",
            "1",
            "0001-01-15",
            "9999-12-31",
            "2099-03-01",
            "2024-02-30",
            "2025-09-20",
            "",
        ]
    ),
    st.lists(st.sampled_from(ADVERSARIAL_STRINGS), max_size=3),
    st.fixed_dictionaries(
        {
            "value": st.floats(allow_nan=False),
            "unit": st.sampled_from(["mg/L", "mg/dL", 5, True, None, "[/]", "furlongs"]),
        }
    ),
)


@st.composite
def vocabulary_cases(draw: st.DrawFn) -> Any:
    """Cases shaped like the schema, named with its field names, holding hostile values."""
    names = _field_names(case_schema())
    sections = ("patient", "history", "symptoms", "exam", "labs", "imaging")
    case: dict[str, Any] = {}
    for section in draw(st.lists(st.sampled_from(sections), max_size=4, unique=True)):
        keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        case[section] = {key: draw(ADVERSARIAL_VALUES) for key in keys}
    if draw(st.booleans()):
        case[draw(st.sampled_from(("id", "assessment_date", "schema")))] = draw(ADVERSARIAL_VALUES)
    return case


STRUCTURAL_ATTACKS = (
    "[" * 2000 + "]" * 2000,
    '{"patient": {"age": 40, "age": 41}}',
    '{"labs": {"crp": NaN}}',
    '{"labs": {"crp": Infinity}}',
    '{"labs": {"crp": 1e999}}',
    '{"patient": {"age": 1' + "0" * 400 + "}}",
    '{"patient": {"age": 0.' + "0" * 400 + "1}}",
    '{"patient": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}",
    '"just a string"',
    "[]",
    "null",
    '{"patient": {"age": 40}',
    '{"id": "\\ud800"}',
    "\ufeff{}",
)


@st.composite
def raw_json_texts(draw: st.DrawFn) -> str:
    """JSON text with a structural attack spliced into a valid case or standing alone."""
    attack = draw(st.sampled_from(STRUCTURAL_ATTACKS))
    if draw(st.booleans()):
        return attack
    return '{"patient": {"age": 40}, "labs": {"crp": ' + attack + "}}"


def json_case_texts() -> st.SearchStrategy[str]:
    """The three generators together, as JSON text (what a file or HTTP body holds)."""
    conforming = from_json_schema(case_schema()).map(json.dumps)
    vocabulary = vocabulary_cases().map(lambda c: json.dumps(c, default=str))
    return st.one_of(conforming, conforming, vocabulary, raw_json_texts())


@st.composite
def notes(draw: st.DrawFn, max_pieces: int = 40) -> str:
    """A note from clinical vocabulary, note furniture and adversarial strings."""
    piece = st.one_of(
        st.sampled_from(clinical_phrases()),
        st.sampled_from(clinical_phrases()),
        st.sampled_from(EXTRA_NOTE_LINES),
        st.sampled_from(ADVERSARIAL_STRINGS),
        st.text(max_size=20),
    )
    pieces = draw(st.lists(piece, max_size=max_pieces))
    return draw(st.sampled_from((" ", "\n", ". ", ", "))).join(pieces)


NOTE_DATES = st.one_of(
    st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())
)


def _check_message(exc: InputError) -> None:
    """A refusal must say what is wrong; the CLI prints it through ``one_line``."""
    message = one_line(str(exc))
    if not message.strip() or "\n" in message:
        raise AssertionError(f"refused without a usable one-line message: {message[:200]!r}")


def _render_for_people(assessment: Any, plan: Any) -> None:
    """The Rich text output, into memory: data must never be taken for markup."""
    console = Console(file=io.StringIO(), emoji=False, width=120)
    render(assessment, console)
    render_plan(plan, console)


def check_assessed(case: Case, differential: list[Any]) -> None:
    ids = [row.condition for row in differential]
    if set(CONDITION_IDS) - set(ids):
        raise AssertionError(f"differential lacks {set(CONDITION_IDS) - set(ids)}")
    total = math.fsum(row.probability for row in differential)
    if abs(total - 1) > 1e-6:
        raise AssertionError(f"probabilities sum to {total}")


def check_json_case(text: str) -> str:
    """The contract for one JSON case; returns "refused" or "assessed"."""
    try:
        case = case_from_json_text(text, "fuzz.json")
    except InputError as exc:
        _check_message(exc)
        return "refused"
    assessment = assess_case(case)
    check_assessed(case, assessment.differential)
    plan = make_plan(case, assessment)
    build_handout(case, plan)
    assessment.model_dump_json()
    plan.model_dump_json()
    _render_for_people(assessment, plan)
    return "assessed"


def check_note(text: str, note_date: dt.date | None) -> tuple[str, float, int]:
    """The contract for one note; returns the outcome, seconds taken and JSON output size."""
    started = time.perf_counter()
    try:
        extraction = extract_text(text, note_date=note_date, case_id="fuzz")
    except InputError as exc:
        _check_message(exc)
        return "refused", time.perf_counter() - started, 0
    assessment = assess_extraction(extraction)
    check_assessed(extraction.case, assessment.differential)
    plan = make_plan(extraction.case, assessment)
    size = len(assessment.model_dump_json()) + len(plan.model_dump_json())
    _render_for_people(assessment, plan)
    return "assessed", time.perf_counter() - started, size
