"""Findings of another bone: a pelvic, sacral or spinal study reports bones beside the hip.

"Sacral ala fracture with surrounding marrow oedema" on an MRI of the lumbar spine is no
oedema of the femur and no femoral neck fracture. A finding whose case field only the femur or
acetabulum fills (``other_bones.paths`` in targets.yaml) is not used where its sentence, or the
label its line starts with ("Sacrum: ...", "SI joints: ..."), names another bone or joint
(``other_bones.words``) and names nothing of the hip (``other_bones.hip_words`` or a site).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tohip.text.prefilter import finditer
from tohip.text.types import Evidence
from tohip.text.values import word_pattern

LABEL_REACH = 40  # the most characters of a line's label before its colon ("Sacrum/SIJs:")
_LABEL = re.compile(r"[ \t]*(?:[-*\u2022]\s*)?([^:\n]{1," + str(LABEL_REACH) + r"}):")


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = next(iter(finditer(pattern, text)), None)
    return m.group(0) if m is not None else None


def _other_bone(
    text: str, sentence: str, start: int, other: re.Pattern[str], hip: re.Pattern[str]
) -> str | None:
    line_start = text.rfind("\n", 0, start) + 1
    label = _LABEL.match(text, line_start)
    if label is not None and label.end() <= start:
        if _first(hip, label.group(1)):
            return None
        found = _first(other, label.group(1))
        if found:
            return found
    if _first(hip, sentence):
        return None
    return _first(other, sentence)


def drop_other_bones(
    text: str,
    evidence: list[Evidence],
    paths: set[str],
    words: list[str],
    hip_words: list[str],
    sentence_of: Callable[[int, int], str],
) -> list[Evidence]:
    """The evidence, with the hip-only values that are about another bone marked unused."""
    if not paths or not words:
        return evidence
    other, hip = word_pattern(tuple(words)), word_pattern(tuple(hip_words))
    if _first(other, text) is None:  # most notes name no other bone
        return evidence
    out = []
    for e in evidence:
        if e.used and e.path in paths:
            bone = _other_bone(text, sentence_of(e.start, e.end), e.start, other, hip)
            if bone is not None:
                reason = f"a finding of another bone ('{bone}'), not of the hip"
                e = e.model_copy(update={"used": False, "reason": reason})
        out.append(e)
    return out
