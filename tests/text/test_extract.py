"""Reading whole notes: imaging study assignment, patterns, conflicts, evidence, corpus targets."""

from __future__ import annotations

import pytest
from benchmarks.run_notes import Score, flatten, load_corpus

from tohip.errors import InputError
from tohip.text.extract import MAX_CHARACTERS, extract_text
from tohip.text.rules import load_text_rules


def test_a_finding_belongs_to_the_study_named_before_it(read) -> None:
    got = read("XR: erosions. MRI: erosions and synovitis.")
    assert got["imaging.xray.erosions"] is True
    assert got["imaging.mri.erosions"] is True
    got = read("X-ray: no fracture.\nMRI: femoral neck fracture line.")
    assert got["imaging.xray.fracture_line"] is False
    assert got["imaging.mri.neck_fracture_line"] is True


def test_a_history_section_ends_the_study(read) -> None:
    got = read("MRI: marrow oedema of the femoral head and neck.\nHistory: tumour removed 2019.")
    assert got["history.malignancy"] is True
    assert "imaging.mri.marrow_replacing_lesion" not in got


@pytest.mark.parametrize(
    ("text", "pattern", "sites"),
    [
        ("MRI: marrow oedema of the femoral head and neck.", "diffuse_head_neck", ["femoral_head", "femoral_neck"]),
        ("MRI: BME confined to the femoral neck.", "femoral_neck", ["femoral_neck"]),
        ("MRI: subchondral marrow oedema of the femoral head.", "subchondral_head", ["femoral_head"]),
        ("MRI: marrow oedema of the femoral head and acetabulum.", "both_sides_of_joint", ["femoral_head", "acetabulum"]),
        ("MRI: no bone marrow oedema.", "none", None),
    ],
)  # fmt: skip
def test_edema_pattern_and_sites(read, text: str, pattern: str, sites: list[str] | None) -> None:
    got = read(text)
    assert got["imaging.mri.edema_pattern"] == pattern
    assert got.get("imaging.mri.sites") == sites


def test_a_positive_finding_wins_a_conflict_and_the_loser_is_explained() -> None:
    # (a "Repeat XR" would be a later study, read into imaging.followup, not a conflict)
    x = extract_text("XR: no joint space narrowing. Lateral view: joint space narrowing.")
    assert x.case.imaging.xray is not None and x.case.imaging.xray.joint_space == "narrowed"
    loser = next(e for e in x.evidence if e.path == "imaging.xray.joint_space" and not e.used)
    assert loser.reason and loser.reason.startswith("conflicts with")
    assert any("joint_space" in w for w in x.warnings)


def test_every_evidence_span_points_at_its_words() -> None:
    note = (
        "42yo M. Sudden L hip pain for 3 weeks.\n"
        "MRI: BME of the femoral head and neck; no effusion."
    )
    x = extract_text(note)
    assert x.evidence
    for e in x.evidence:
        assert note[e.start : e.end] == e.text
        assert (
            e.text in e.sentence
            or e.sentence in note[e.start - len(e.sentence) : e.end + len(e.sentence)]
        )
        assert note[e.sentence_start :].lstrip().startswith(e.sentence[:10])


def test_empty_note_is_an_empty_case() -> None:
    x = extract_text("")
    assert x.evidence == [] and flatten(x.case) == {}


@pytest.mark.parametrize(
    ("bad", "message"),
    [("a\x00b", "NUL"), ("x" * (MAX_CHARACTERS + 1), "characters"), (b"bytes", "text")],
)
def test_bad_input_is_a_clear_input_error(bad: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        extract_text(bad)  # type: ignore[arg-type]


@pytest.mark.slow
def test_development_corpus_meets_the_issue_targets() -> None:
    """Targets of issue 3 on the annotated corpus: F1 >= 0.95, negation precision >= 0.97."""
    rules = load_text_rules()
    score = Score()
    for note in load_corpus():
        score.add(rules, note, flatten(extract_text(note.text, note_date=note.note_date).case))
    _, _, f1 = score.prf()
    assert f1 >= 0.95, score.errors
    assert score.negation_precision() >= 0.97, score.errors
