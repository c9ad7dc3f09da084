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


def test_free_text_is_a_clear_exit_2_until_the_nlp_lands(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("44M left hip pain 6 weeks, no trauma.")
    for args, stdin in (((str(note),), None), (("-",), "44M hip pain")):
        result = run("assess", *args, "--format", "json", stdin=stdin)
        assert result.returncode == 2 and result.stdout == ""
        assert "free-text" in result.stderr


def test_schema_command_prints_the_case_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert "pregnancy" in json.loads(result.stdout)["$defs"]["Patient"]["properties"]
