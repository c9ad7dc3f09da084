"""Three readings corrected when the session 9 reader branches were merged (tohip editors' wording).

- An isotope's mass number is not an age: "Tc-99M MDP bone scan" made a man of 52 a man of 99.
- A bursa's own thickened lining is the bursitis, not the joint's disease: "iliopsoas bursitis
  with synovial thickening" is still another cause of the pain.
- A lesion named as the marrow's stays a marrow lesion when a soft-tissue mass comes with it.
"""

from __future__ import annotations

import pytest

from tohip.text.extract import extract_text


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("TC-99M MDP BONE SCAN, PELVIS\nHistory: 47 M, left groin pain for 5 weeks.", 47, "male"),
        ("Tc-99M bone scintigraphy requested. 66F, hip pain after a fall.", 66, "female"),
        ("Pt 58M with right hip pain.", 58, "male"),
    ],
)
def test_an_isotope_mass_number_is_not_an_age(text: str, age: int, sex: str) -> None:
    patient = extract_text(text).case.patient
    assert (patient.age, patient.sex) == (age, sex)


@pytest.mark.parametrize(
    "text",
    [
        "US groin: distended iliopsoas bursitis with synovial thickening, the cause of the lump.",
        "MRI: trochanteric bursitis with a thickened synovial lining and surrounding fluid.",
    ],
)
def test_a_bursitis_with_its_own_thick_lining_is_another_cause(text: str) -> None:
    imaging = extract_text(text).case.imaging
    study = imaging.ultrasound or imaging.mri
    assert study is not None and study.other_cause is True


@pytest.mark.parametrize(
    "text",
    [
        "MRI pelvis: a T1-dark marrow-replacing lesion with soft tissue mass in the trochanter.",
        "MRI: marrow replacement in the femoral neck with an adjacent soft-tissue mass.",
    ],
)
def test_a_named_marrow_lesion_with_a_soft_tissue_mass_is_a_marrow_lesion(text: str) -> None:
    mri = extract_text(text).case.imaging.mri
    assert mri is not None and mri.marrow_replacing_lesion is True


def test_a_soft_tissue_mass_alone_is_not_a_marrow_lesion() -> None:
    mri = extract_text("MRI hip: a soft tissue mass in the adductor muscles.").case.imaging.mri
    assert mri is None or mri.marrow_replacing_lesion is not True
