"""Studies named together: "X-ray and CT were reported as ... erosion and sclerosis".

A finding is given to the last study named before it in its sentence. Where that study is one
of several joined as one subject ("X-ray and CT", "radiographs, CT and MRI"), the finding is the
others' too, for each that records the field (an MRI has no "sclerosis"). Not where the studies
follow a comparison ("compared with the prior X-ray and CT, new collapse": the new finding is
the current study's); the comparison words are ``joined_studies.not_after`` in targets.yaml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping

from tohip.text.prefilter import search
from tohip.text.types import Evidence
from tohip.text.values import word_pattern

# what may stand between two studies of one subject: "X-ray and CT", "X-ray, CT", "XR/CT",
# "radiographs and a bone scan", "the MRI of the hip and the bone scan"
_JOINED = re.compile(
    r"(?:\s+of\s+(?:the\s+|both\s+)?(?:(?:left|right|l|r)\s+)?(?:hips?|pelvis|femur))?"
    r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|/\s*|\+\s*)"
    r"(?:the\s+|his\s+|her\s+|their\s+|a\s+|an\s+)?",
    re.I,
)
_GUIDED = re.compile(r"\bguid", re.I)  # "CT-guided", "ultrasound guidance"
GUIDED_REACH = 8  # characters after a study's name its "-guided" may follow in
# fields that are not findings of the study's images
_NOT_FINDINGS = {"date", "weeks_after_onset", "side"}


def shared_findings(
    text: str,
    evidence: list[Evidence],
    mentions: list[tuple[int, int, str | None]],
    fields: Mapping[str, set[str]],
    not_after: list[str],
    sentence_start_of: Callable[[int, int], int],
) -> list[Evidence]:
    """The evidence, with each finding of a joined study given to the studies joined to it.

    ``mentions``: (start, end, modality) of each study named in the note, in order;
    ``fields``: the fields each study records."""
    positions = [m[0] for m in mentions]
    comparison = word_pattern(tuple(not_after)) if not_after else None
    out = list(evidence)
    for e in evidence:
        parts = e.path.split(".")
        if not e.used or len(parts) != 3 or parts[0] != "imaging" or parts[2] in _NOT_FINDINGS:
            continue
        modality, field = parts[1], parts[2]
        k = bisect.bisect_right(positions, e.start) - 1
        if k < 0 or mentions[k][2] != modality:
            continue
        j = first_joined(text, mentions, k)
        if j == k:  # most findings: their study is named alone (no sentence looked up)
            continue
        s = sentence_start_of(e.start, e.end)
        if mentions[k][0] < s:
            continue
        while j < k and mentions[j][0] < s:
            j += 1
        if j == k or (comparison is not None and search(comparison, text, s, mentions[j][0])):
            continue
        given = {modality}
        for start, _end, other in mentions[j:k]:
            if other is None or other in given or field not in fields.get(other, ()):
                continue
            given.add(other)
            note = (
                f"named with the {modality} as one subject ('{text[start : e.start].strip()[:60]}')"
            )
            out.append(e.model_copy(update={"path": f"imaging.{other}.{field}", "note": note}))
    return out


def first_joined(text: str, mentions: list[tuple[int, int, str | None]], k: int) -> int:
    """The index of the first study named together with ``mentions[k]`` as one subject
    ("X-ray and CT": the X-ray's for the CT), or ``k`` when it is named alone."""
    j = k
    while j > 0 and mentions[j - 1][2] is not None:
        if _JOINED.fullmatch(text, mentions[j - 1][1], mentions[j][0]) is None:
            break
        if any(guided(text, m[0], m[1]) for m in mentions[j - 1 : j + 1]):
            break  # "MRI and a CT-guided biopsy": a procedure, not a study that reports
        j -= 1
    return j


def guided(text: str, start: int, end: int) -> bool:
    """Whether the study named at ``start:end`` guides a procedure ("CT-guided biopsy", "US
    guidance") rather than reports images."""
    return _GUIDED.search(text, start, end + GUIDED_REACH) is not None
