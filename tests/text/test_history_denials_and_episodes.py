"""Past-history classes in the tohip editors' own wording: risks denied in the short forms of a
test result, risks that set two values denied one at a time, episodes counted, marrow oedema in
another joint of the leg, and cultures that are not the joint's."""

from __future__ import annotations

import pytest

from tohip.api import assess_extraction
from tohip.text.extract import extract_text


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        # a negative test result in short form is not the disease (it was read as HIV and an
        # infection risk)
        ("Screening: HIV neg, hepatitis B surface antigen negative.", "history.hiv", False),
        ("Serology - HIV ELISA -ve.", "history.hiv", False),
        ("HIV neg in pregnancy.", "history.infection_risk", None),
        ("Known HIV +ve on antiretrovirals.", "history.hiv", True),
        # denied, each risk says only itself: "no chemotherapy" leaves other infection risks open
        ("She has never had chemotherapy.", "history.chemotherapy", False),
        ("No chemotherapy or radiotherapy.", "history.infection_risk", None),
        ("He has not had any transplant.", "history.organ_transplant", False),
        ("Denies organ transplant or immunosuppressive drugs.", "history.organ_transplant", False),
        ("Kidney transplant in 2016 on tacrolimus.", "history.organ_transplant", True),
        # an episode counted had one before it; an earlier episode of something else has not
        ("This is a second episode, now on the other side.", "history.prior_episodes", True),
        ("Two earlier episodes of the same groin pain, both settled.", "history.prior_episodes", True),
        ("No prior episodes of hip pain.", "history.prior_episodes", False),
        ("Previous episodes of mechanical back pain, settled with physio.", "history.prior_episodes", None),
        ("Recurrent episodes of gout in the right first toe.", "history.prior_episodes", None),
        # marrow oedema or regional osteoporosis reaching a knee or an ankle
        ("MRI shows marrow oedema of both hips extending into the knees.", "history.other_joints_involved", True),
        ("Radiographs: regional osteopenia of the left hip and left ankle.", "history.other_joints_involved", True),
        ("Generalised osteopenia of the pelvis and both knees.", "history.other_joints_involved", None),
        ("Knee examination normal.", "history.other_joints_involved", None),
    ],
)  # fmt: skip
def test_history_value(read, text: str, path: str, expected: object) -> None:
    assert read(text).get(path) is expected


def test_the_hip_study_keeps_its_oedema_when_the_knee_is_named() -> None:
    x = extract_text("MRI: marrow oedema of both femoral heads extending to the knees.")
    assert x.case.imaging.mri is not None and x.case.imaging.mri.edema_pattern is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # blood or urine cultures are not the joint's: negative, they do not count against
        # infection of the joint
        ("Blood cultures negative x2 at 48 hours.", None),
        ("Urine and blood cultures: no growth to date.", None),
        ("Hip aspirate: turbid fluid, no growth on culture at 48 h.", "negative"),
        # grown from blood, kept as read: bacteraemia with a painful hip is treated as a septic
        # joint until excluded
        ("Blood cultures grew Staphylococcus aureus.", "positive"),
    ],
)
def test_cultures_of_other_sites(read, text: str, expected: object) -> None:
    assert read(text).get("labs.joint_fluid_culture") == expected


def test_a_negative_hiv_test_is_no_infection_risk_for_the_engine() -> None:
    note = "Right hip pain for 3 weeks. HIV neg. No fever. Bloods: CRP 4, WCC 6.2."
    x = extract_text(note)
    assert x.case.history.infection_risk is None
    assert x.case.history.hiv is False
    assert "exclude_infection" not in {f.id for f in assess_extraction(x).red_flags}
