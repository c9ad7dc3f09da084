"""Regression tests for the ConText changes in kb/data/text/context.yaml: radiology hedges,
requests that are not negations, relatives, history, pseudo-negation and scope ends. Each case
is one a wrong rule set gets wrong (several are wrong with medspaCy's defaults alone)."""

from __future__ import annotations

import pytest

from tests.text.conftest import values
from tohip.text.extract import extract_text
from tohip.text.pipeline import build_pipeline
from tohip.text.rules import load_text_rules


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        # uncertain hedges: neither present nor absent
        ("MRI: marrow oedema. Early AVN cannot be excluded.", "imaging.mri.necrotic_segment", None),
        ("MRI: cannot exclude a subchondral fracture.", "imaging.mri.subchondral_fracture_line", None),
        ("MRI: low signal line that may represent a stress fracture.", "imaging.mri.neck_fracture_line", None),
        ("XR: questionable osteopenia.", "imaging.xray.osteopenia", None),
        ("Indication: hip pain ?stress fracture.", "imaging.xray.fracture_line", None),
        ("MRI: appearances equivocal for a double line sign.", "imaging.mri.necrotic_segment", None),
        # requests ask; they do not negate (medspaCy's default reads "to exclude" as negation)
        ("MRI requested to exclude fracture.", "imaging.mri.neck_fracture_line", None),
        # "has resolved" is absence now, not history
        ("Follow-up MRI: the effusion has resolved.", "imaging.mri.joint_effusion", False),
        # "XR: no fracture" (medspaCy's default ': no' rule negates the word before the colon)
        ("XR: no fracture.", "imaging.xray.fracture_line", False),
        ("MRI: no evidence of a double line sign.", "imaging.mri.necrotic_segment", False),
        ("Denies fevers.", "symptoms.fever", False),
        ("He has never taken steroids.", "history.corticosteroids", False),
        # relatives
        ("Mother had RA.", "history.inflammatory_arthritis", None),
        ("Her sister has sickle cell disease.", "history.sickle_cell_disease", None),
        # history is still history for history fields
        ("Previous breast cancer, treated.", "history.malignancy", True),
        # pseudo-negation
        ("Postmenopausal; pregnancy test not required.", "patient.pregnancy.status", "not_pregnant"),
        # scope ends at 'but'
        ("MRI: no fracture, but marrow oedema of the femoral neck.", "imaging.mri.edema_pattern", "femoral_neck"),
        ("No longer pregnant.", "patient.pregnancy.status", "not_pregnant"),
    ],
)  # fmt: skip
def test_modifier(read, text: str, path: str, expected: object) -> None:
    assert read(text).get(path) == expected


def test_uncertain_mention_is_kept_with_its_reason() -> None:
    x = extract_text("MRI: marrow oedema of the femoral head. Cannot exclude early AVN.")
    avn = next(e for e in x.evidence if e.text == "AVN" or "AVN" in e.text)
    assert not avn.used
    assert avn.reason and avn.reason.startswith("uncertain")
    assert any("uncertain by 'Cannot exclude'" in m for m in avn.modifiers)


def test_extensions_beat_the_defaults_they_change() -> None:
    """The same note read with medspaCy's defaults only gets these wrong: the fix is ours."""
    rules = load_text_rules()
    default = build_pipeline(rules, context="medspacy_default")
    note = "XR: no fracture. MRI requested to exclude AVN. Mother had RA."
    got = values(extract_text(note, nlp=default, rules=rules))
    ours = values(extract_text(note))
    assert got.get("imaging.xray.fracture_line") is True  # ': no' negates 'XR', not the fracture
    assert ours.get("imaging.xray.fracture_line") is False
    assert "history.inflammatory_arthritis" not in ours
