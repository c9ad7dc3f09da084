"""`tohip plan`, `tohip handout`, `tohip followup` and `tohip schema` through the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.cli.test_assess_contract import EXAMPLE, run
from tests.conftest import REPO

VISITS = REPO / "examples" / "visits"


def test_plan_json() -> None:
    result = run("plan", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["leading_condition"] == "transient_osteoporosis" and plan["mode"] == "confident"
    assert "toh_core_decompression" in [o["id"] for o in plan["left_out"]]
    assert plan["course"]["schedule"] and plan["disclaimer"]


def test_plan_text_and_free_text_note(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(
        "44 year old man. Sudden left groin pain for 6 weeks, worse on weight bearing. No "
        "trauma. Afebrile. CRP 4. MRI: diffuse bone marrow edema of the femoral head and neck, "
        "no subchondral fracture line, no double-line sign. Allergic to nothing known."
    )
    result = run("plan", str(note))
    assert result.returncode == 0, result.stderr
    assert "Left out, and why" in result.stdout and "decision support" in result.stdout


def test_handout_writes_pdf_and_html(tmp_path: Path) -> None:
    pdf, html = tmp_path / "out.pdf", tmp_path / "out.html"
    result = run("handout", str(EXAMPLE), "--pdf", str(pdf), "--html", str(html))
    assert result.returncode == 0, result.stderr
    assert "reading grade" in result.stdout
    assert len(pdfium.PdfDocument(pdf)) >= 1
    assert "About your left hip" in html.read_text()


def test_handout_json_has_reading_scores() -> None:
    result = run("handout", str(EXAMPLE), "--format", "json")
    data = json.loads(result.stdout)
    assert data["reading"]["grade"] <= 8 and data["sections"]


def test_handout_to_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "out.pdf"
    result = run("handout", str(EXAMPLE), "--pdf", str(target))
    assert result.returncode == 2 and result.stdout == ""
    assert "does not exist" in result.stderr and not target.exists()


@pytest.mark.parametrize(
    ("visit", "status"),
    [("toh_man_week16_worse.json", "act_soon"), ("toh_man_week20_better.json", "on_track")],
)
def test_followup(visit: str, status: str) -> None:
    result = run("followup", str(EXAMPLE), str(VISITS / visit), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == status


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"pain": 14}', "pain: Input should be less than or equal to 10"),
        ('{"pain_trend": "sideways"}', "pain_trend"),
        ("[]", "the list of visits is empty"),
        ("[1]", "visit 1 must be a JSON object"),
        ('{"smell": true}', "smell: Extra inputs are not permitted"),
        ("{oops", "not valid JSON"),
    ],
)
def test_bad_visit_files_exit_2(tmp_path: Path, content: str, message: str) -> None:
    visit = tmp_path / "visit.json"
    visit.write_text(content)
    result = run("followup", str(EXAMPLE), str(visit))
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["case", "visit", "plan", "followup", "handout"])
def test_published_schemas_are_current(kind: str) -> None:
    result = run("schema", kind)
    published = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())
    assert json.loads(result.stdout) == published, (
        f"run: tohip schema {kind} > schemas/{kind}.schema.json"
    )
