from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tohip.case.derive import (
    is_valid_path,
    pregnancy_state,
    value_at,
    weeks_at_study,
    weeks_since_onset,
)
from tohip.case.io import case_from_data, read_case_file
from tohip.case.schema import Case
from tohip.errors import CaseValidationError, InputError


@pytest.mark.parametrize(
    ("lab", "given", "canonical"),
    [
        ("crp", {"value": 4.5, "unit": "mg/dL"}, 45.0),
        ("crp", 12, 12.0),
        ("wbc", {"value": 8600, "unit": "/uL"}, 8.6),
        ("temperature", {"value": 101.3, "unit": "F"}, 38.5),
        ("vitamin_d", {"value": 20, "unit": "ng/mL"}, 49.92),
        ("calcium", {"value": 10.0, "unit": "mg/dL"}, 2.495),
    ],
)
def test_labs_are_converted_to_canonical_units(lab: str, given: object, canonical: float) -> None:
    case = case_from_data({"labs": {lab: given}})
    assert getattr(case.labs, lab) == pytest.approx(canonical, rel=1e-3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"labs": {"crp": {"value": 5, "unit": "mg"}}}, "labs.crp: unit 'mg' is not recognised"),
        ({"labs": {"temperature": 52}}, "outside the plausible range for temperature"),
        ({"patient": {"age": 130}}, "patient.age"),
        ({"patient": {"sex": "male", "pregnancy": {"status": "pregnant"}}}, "male patient"),
        (
            {
                "patient": {
                    "pregnancy": {"status": "pregnant", "gestational_weeks": 30, "trimester": 1}
                }
            },
            "is trimester 3, not 1",
        ),
        ({"history": {"traumaa": True}}, "history.traumaa: Extra inputs are not permitted"),
        ({"symptoms": {"onset": "slow"}}, "symptoms.onset"),
        (
            {"assessment_date": "2026-01-01", "symptoms": {"onset_date": "2026-02-01"}},
            "after assessment_date",
        ),
        ({"labs": {"crp": True}}, "value must be a number"),
    ],
)
def test_invalid_cases_name_the_field(data: dict[str, object], message: str) -> None:
    with pytest.raises(CaseValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        case_from_data(data)


def test_missing_means_unknown() -> None:
    case = Case()
    assert case.history.trauma is None
    assert value_at(case, "labs.crp") is None
    assert weeks_since_onset(case) is None


def test_time_since_onset_from_dates() -> None:
    case = case_from_data(
        {
            "assessment_date": "2026-03-01",
            "symptoms": {"onset_date": "2026-01-04"},
            "imaging": {"xray": {"date": "2026-01-18"}},
        }
    )
    assert weeks_since_onset(case) == pytest.approx(8.0)
    assert weeks_at_study(case, "xray") == pytest.approx(2.0)
    assert weeks_at_study(case, "mri") == pytest.approx(8.0)


@pytest.mark.parametrize(
    ("patient", "states"),
    [
        ({"sex": "male"}, None),
        ({"sex": "female", "age": 30}, None),
        # from 55 pregnancy status adds nothing to the age band (issue 10: no double cut)
        ({"sex": "female", "age": 70}, None),
        ({"sex": "female", "age": 70, "pregnancy": {"status": "not_pregnant"}}, None),
        ({"sex": "female", "age": 40, "pregnancy": {"status": "not_pregnant"}}, {"not_pregnant"}),
        (
            {"sex": "female", "pregnancy": {"status": "pregnant", "gestational_weeks": 30}},
            {"pregnant_third_trimester"},
        ),
        (
            {"sex": "female", "pregnancy": {"status": "pregnant", "trimester": 2}},
            {"pregnant_early"},
        ),
        (
            {"sex": "female", "pregnancy": {"status": "pregnant"}},
            {"pregnant_early", "pregnant_third_trimester"},
        ),
        (
            {"sex": "female", "pregnancy": {"status": "postpartum", "postpartum_weeks": 6}},
            {"postpartum"},
        ),
        (
            {"sex": "female", "pregnancy": {"status": "postpartum", "postpartum_weeks": 40}},
            {"not_pregnant"},
        ),
    ],
)
def test_pregnancy_state(patient: dict[str, object], states: set[str] | None) -> None:
    result = pregnancy_state(case_from_data({"patient": patient}))
    assert (set(result) if result is not None else None) == states


def test_path_validation() -> None:
    assert is_valid_path("imaging.mri.edema_pattern")
    assert is_valid_path("derived.weeks_since_onset")
    assert not is_valid_path("imaging.mri.edema")
    assert not is_valid_path("labs.crp.value")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"{not json", "not valid JSON (line 1"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "must be a JSON object"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        read_case_file(path)


def test_published_json_schema_is_current() -> None:
    published = json.loads((REPO / "schemas" / "case.schema.json").read_text())
    assert published == Case.model_json_schema(by_alias=True), (
        "run: tohip schema > schemas/case.schema.json"
    )


def test_examples_are_valid_cases() -> None:
    for path in (REPO / "examples").glob("*.json"):
        assert read_case_file(path).id
