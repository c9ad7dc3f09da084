"""Engine properties that must hold for any knowledge base and case."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tohip.case.io import case_from_data
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.engine.inference import log_likelihood, posterior
from tohip.engine.model import compile_model
from tohip.engine.observe import Observation
from tohip.kb.loader import KnowledgeBase, load_knowledge_base

KB = load_knowledge_base()
MODEL = compile_model(KB)


def probs(case: Case, kb: KnowledgeBase = KB) -> dict[str, float]:
    return {r.condition: r.probability for r in assess_case(case, kb).differential}


def test_empty_case_returns_the_base_prior(kb: KnowledgeBase) -> None:
    result = assess_case(Case(), kb)
    assert result.low_information
    for row in result.differential:
        assert row.probability == pytest.approx(kb.condition(row.condition).prior)


def test_demographics_only_is_low_information_patient_prior() -> None:
    result = assess_case(case_from_data({"patient": {"age": 44, "sex": "male"}}))
    assert result.low_information
    assert all(
        r.probability == pytest.approx(r.patient_prior, abs=1e-6) for r in result.differential
    )
    assert result.differential[0].probability != pytest.approx(
        KB.condition(result.differential[0].condition).prior
    )


def test_golden_posterior_by_hand() -> None:
    """Prior x P(male) x P(trauma absent), normalised, computed independently of the engine."""
    case = case_from_data({"patient": {"sex": "male"}, "history": {"trauma": False}})
    trauma = KB.findings["trauma"].likelihood
    sex = KB.findings["sex"].likelihood
    raw = {c.id: c.prior * sex[c.id]["male"] * (1 - trauma[c.id]) for c in KB.conditions}  # type: ignore[index,operator]
    total = sum(raw.values())
    got = probs(case)
    for cond, value in raw.items():
        assert got[cond] == pytest.approx(value / total, rel=1e-9)


def test_weight_tempers_a_correlated_finding() -> None:
    f = KB.findings["mri_synovitis"]
    assert f.weight < 1
    term = log_likelihood(MODEL, Observation(f.id, frozenset({"present"}), "x", None))
    full = [math.log(f.likelihood[c]) for c in MODEL.conditions]  # type: ignore[arg-type]
    assert term == pytest.approx([f.weight * v for v in full])


def test_time_window_changes_meaning_of_a_normal_xray() -> None:
    early = {
        "patient": {"age": 44, "sex": "male"},
        "imaging": {"xray": {"normal": True, "weeks_after_onset": 2}},
    }
    late = {
        "patient": {"age": 44, "sex": "male"},
        "imaging": {"xray": {"normal": True, "weeks_after_onset": 16}},
    }
    p_early = probs(case_from_data(early))["transient_osteoporosis"]
    p_late = probs(case_from_data(late))["transient_osteoporosis"]
    assert p_early > p_late  # a normal film at 2 weeks is expected in TOH; at 16 weeks it is not


CASES = st.fixed_dictionaries(
    {},
    optional={
        "patient": st.fixed_dictionaries(
            {}, optional={"age": st.integers(18, 95), "sex": st.sampled_from(["male", "female"])}
        ),
        "history": st.fixed_dictionaries(
            {},
            optional={
                k: st.booleans()
                for k in ["trauma", "corticosteroids", "malignancy", "running_or_military_training"]
            },
        ),
        "symptoms": st.fixed_dictionaries(
            {},
            optional={
                "onset": st.sampled_from(["sudden", "gradual", "insidious"]),
                "duration_weeks": st.floats(0, 200),
                "night_pain": st.booleans(),
            },
        ),
        "labs": st.fixed_dictionaries(
            {}, optional={"crp": st.floats(0, 400), "temperature": st.floats(35, 41)}
        ),
    },
)
FINDINGS = [f for f in KB.findings.values() if f.category != "demographics"]


@settings(max_examples=150, deadline=None)
@given(CASES)
def test_probabilities_cover_all_eight_and_sum_to_one(data: dict[str, object]) -> None:
    result = assess_case(case_from_data(data))
    assert sorted(r.condition for r in result.differential) == sorted(MODEL.conditions)
    assert sum(r.probability for r in result.differential) == pytest.approx(1.0, abs=1e-6)
    values = [r.probability for r in result.differential]
    assert values == sorted(values, reverse=True)


@settings(max_examples=200, deadline=None)
@given(CASES, st.sampled_from(FINDINGS), st.data())
def test_a_finding_that_favours_a_condition_never_lowers_it(
    data: dict[str, object], finding: object, draw: st.DataObject
) -> None:
    case = case_from_data(data)
    from tohip.engine.observe import observe_case

    observations = [o for o in observe_case(KB, case) if o.finding_id != finding.id]  # type: ignore[attr-defined]
    terms = [log_likelihood(MODEL, o) for o in observations]
    before = posterior(MODEL, terms)
    state = draw.draw(st.sampled_from(finding.state_names))  # type: ignore[attr-defined]
    new = Observation(finding.id, frozenset({state}), "test", None)  # type: ignore[attr-defined]
    term = log_likelihood(MODEL, new)
    after = posterior(MODEL, [*terms, term])
    favoured = max(range(len(term)), key=term.__getitem__)
    assert after[favoured] >= before[favoured] - 1e-12
