"""Templated notes answer a checklist item after it ("Night pain: no.", "Trauma - nil,"). Read
as affirmed, "Night pain - no" was night pain, a red-flag feature. A "no" that opens a finding
("XR: no fracture") is not such an answer. The editors' wording, two styles each."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ("Red flag screen - night pain: no. Weight loss: no.", "symptoms.night_pain", False),
        ("Night pain - no, limp - yes.", "symptoms.night_pain", False),
        ("Night pain - no, limp - yes.", "symptoms.limp", True),
        ("History of trauma: nil. Steroid use: none.", "history.trauma", False),
        ("History of trauma: nil. Steroid use: none.", "history.corticosteroids", False),
        ("Recent trauma: denies.", "history.trauma", False),
        # a "no" that opens the finding after a label is the finding's own negation
        ("XR pelvis: no fracture.", "imaging.xray.fracture_line", False),
        ("MRI: marrow oedema of the femoral head - no fracture line.", "imaging.mri.edema_pattern", "diffuse_head_neck"),
        ("Night pain: yes.", "symptoms.night_pain", True),
    ],
)  # fmt: skip
def test_checklist_answer(read, text: str, path: str, expected: object) -> None:
    assert read(text).get(path) == expected
