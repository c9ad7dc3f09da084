"""`tohip assess` through the real command, exactly as shared/contract.md fixes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tohip.conditions import CONDITION_IDS

EXAMPLE = REPO / "examples" / "toh_middle_aged_man.json"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tohip", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def test_json_output_follows_the_contract() -> None:
    result = run("assess", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    ids = [row["condition"] for row in data["differential"]]
    assert sorted(ids) == sorted(CONDITION_IDS)
    probs = [row["probability"] for row in data["differential"]]
    assert probs == sorted(probs, reverse=True)
    assert abs(sum(probs) - 1) < 1e-6
    assert ids[0] == "transient_osteoporosis"
    assert data["disclaimer"] and data["knowledge_base_version"]


def test_text_output_for_people() -> None:
    result = run("assess", str(EXAMPLE))
    assert result.returncode == 0
    assert "Transient osteoporosis of the hip" in result.stdout
    assert "decision support" in result.stdout


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "missing.json", "no such file"),
        ("{broken", "bad.json", "not valid JSON"),
        ('{"patient": {"age": -3}}', "range.json", "patient.age"),
        ('{"labs": {"crp": {"value": 3, "unit": "furlongs"}}}', "unit.json", "labs.crp"),
        ("", "empty.json", "empty"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_stdout(
    tmp_path: Path, content: str | None, name: str, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = run("assess", str(path), "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


@pytest.mark.parametrize("content", ["", "  \n\n\t \n"])
def test_a_blank_note_exits_2_and_prints_nothing(tmp_path: Path, content: str) -> None:
    """A blank note is an input error, not a patient without findings: assessing it would print
    the population prior as the answer."""
    path = tmp_path / "letter.txt"
    path.write_text(content)
    result = run("assess", str(path), "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"tohip: error: {path}: the note is empty"


NOTE = """42yo M, sudden left hip pain for 6 weeks, no trauma, limping.
XR left hip: regional osteopenia of the femoral head and neck; joint space preserved.
MRI: diffuse bone marrow oedema of the femoral head and neck. No double line sign.
"""


def _contract_json(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    probs = [row["probability"] for row in data["differential"]]
    assert sorted(r["condition"] for r in data["differential"]) == sorted(CONDITION_IDS)
    assert probs == sorted(probs, reverse=True) and abs(sum(probs) - 1) < 1e-6
    return data


def test_the_case_read_from_a_note_is_a_case_file(tmp_path: Path) -> None:
    """The note's case in `assess` output uses the case format's own key names ("schema",
    not the Python field "schema_"), so it can be saved and assessed as a case file."""
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    data = _contract_json(run("assess", str(note), "--format", "json"))
    case = data["extraction"]["case"]
    assert case["schema"] == "tohip.case/2" and "schema_" not in case
    saved = tmp_path / "case.json"
    saved.write_text(json.dumps(case))
    again = _contract_json(run("assess", str(saved), "--format", "json"))
    assert again["differential"][0]["condition"] == data["differential"][0]["condition"]


@pytest.mark.slow
def test_free_text_note_and_stdin_follow_the_contract(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    for args, stdin in (((str(note),), None), (("-",), NOTE)):
        data = _contract_json(run("assess", *args, "--format", "json", stdin=stdin))
        assert data["differential"][0]["condition"] == "transient_osteoporosis"
        effects = {e["finding"]: e for e in data["explanation"]}
        edema = effects["mri_edema_pattern"]["evidence"][0]
        assert edema["sentence"].startswith("MRI: diffuse bone marrow oedema")
        assert NOTE[edema["start"] : edema["end"]] == edema["text"]
        assert data["extraction"]["case"]["patient"]["age"] == 42


@pytest.mark.slow
def test_a_note_with_nothing_usable_is_low_information_not_an_error(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Seen in clinic today. Letter to follow.")
    data = _contract_json(run("assess", str(note), "--format", "json"))
    assert data["low_information"] is True


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Schmerz in der H\u00fcfte".encode("latin-1"), "not UTF-8"),
        (b"x" * 2_000_001, "too large"),
    ],
    ids=["binary", "latin-1", "2MB"],
)
def test_unreadable_notes_exit_2_with_one_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes(content)
    for command in ("assess", "extract"):
        result = run(command, str(note), "--format", "json")
        assert result.returncode == 2 and result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.mark.slow
def test_extract_prints_the_case_with_its_evidence(tmp_path: Path) -> None:
    note = tmp_path / "n.txt"
    note.write_text(NOTE)
    result = run("extract", str(note), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["case"]["schema"] == "tohip.case/2"
    assert data["case"]["imaging"]["mri"]["necrotic_segment"] is False
    negated = next(e for e in data["evidence"] if e["path"] == "imaging.mri.necrotic_segment")
    assert negated["modifiers"] == ["negated by 'No'"]
    text = run("extract", str(note))
    assert text.returncode == 0 and "Read from the note" in text.stdout


def test_schema_command_prints_the_case_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert "pregnancy" in json.loads(result.stdout)["$defs"]["Patient"]["properties"]
