"""A fracture belongs to the study that shows it (issue 9, session 6).

The earlier reader gave every fracture with no study named to the X-ray ("Imaging showed a
femoral neck fracture", "investigations did not show a fracture", a biopsy's "no fracture"), so a
plain film that was never described gained a fracture line. Sentences written for these tests;
each asserts what the earlier reader got wrong, and the last ones what it must keep."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Presented after a fall. Imaging showed a displaced fracture through a lytic area.",
        "Earlier this year investigations did not show infection or a fracture.",
        "Working dx: L femoral neck stress fracture, compression side.",
        "Seen two years after fixation of her left femoral neck stress fracture.",
    ],
)
def test_a_fracture_with_no_study_named_is_no_plain_film_finding(read, text: str) -> None:
    found = read(text)
    assert "imaging.xray.fracture_line" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        "XR R hip: osteopenia of the femoral head. Bone biopsy: normal marrow, no fracture, no "
        "osteonecrosis.",
        "Radiographs showed demineralisation. Histology of the core: no fracture seen.",
        "X-ray pelvis unremarkable apart from osteopenia; core needle biopsy showed no fracture "
        "and no tumour.",
    ],
)
def test_a_biopsy_after_a_film_is_not_the_film(read, text: str) -> None:
    found = read(text)
    assert "imaging.xray.fracture_line" not in found, found
    assert found.get("imaging.xray.osteopenia") is True, found


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("AP pelvis and lateral R hip: no fracture.", "imaging.xray.fracture_line", False),
        ("Plain films today - subcapital fracture L NOF, undisplaced.",
         "imaging.xray.fracture_line", True),
        ("CT pelvis: no fracture of the femoral neck.", "imaging.ct.fracture_line", False),
        ("MRI: stress fracture of the femoral neck.", "imaging.mri.neck_fracture_line", True),
    ],
)  # fmt: skip
def test_a_fracture_in_a_named_study_is_still_read(read, text: str, path: str, value) -> None:
    assert read(text).get(path) is value
