"""The registry CLI: every command once, and bad input rejected atomically (exit 2, one line
on stderr, nothing on stdout, nothing stored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.registry.helpers import counts
from tohip.cli.main import app
from tohip.registry import db

EXAMPLE = REPO / "examples" / "toh_middle_aged_man.json"


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["registry", "--db", url, "--actor", "dr-test", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def registered(url: str) -> tuple[str, str, int]:
    """An initialised registry with the example case added; (url, pseudonym, episode)."""
    assert run(url, "init")[0] == 0
    code, out, err = run(url, "add", str(EXAMPLE), "--mrn", "A-1", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    return url, data["patient"], data["episode"]


def _stored(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    try:
        with db.session_factory(engine)() as s:
            return counts(s)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["visit", "{ep}", "--date", "2026-10-01", "--pain", "11", "--weight-bearing", "full"],
            "pain_score",
        ),
        (
            ["visit", "{ep}", "--date", "2025-01-01", "--pain", "3", "--weight-bearing", "full"],
            "before the episode's onset",
        ),
        (
            [
                "visit",
                "{ep}",
                "--date",
                "2026-10-01",
                "--pain",
                "3",
                "--weight-bearing",
                "full",
                "--imaging-result",
                "fracture",
            ],
            "needs an imaging modality",
        ),
        (
            [
                "outcome",
                "{ep}",
                "--diagnosis",
                "transient_osteoporosis",
                "--confirmed-by",
                "clinical_course",
                "--resolved",
                "2025-01-01",
            ],
            "before the episode's onset",
        ),
        (
            ["outcome", "{ep}", "--diagnosis", "toh", "--confirmed-by", "imaging"],
            "unknown diagnosis id 'toh'",
        ),
        (
            ["outcome", "{ep}", "--diagnosis", "osteonecrosis", "--confirmed-by", "guess"],
            "confirmed_by",
        ),
        (["add", "{notcase}"], "invalid case"),
        (["add", "{binary}"], "binary"),
        (
            ["visit", "999", "--date", "2026-10-01", "--pain", "3", "--weight-bearing", "full"],
            "no episode 999",
        ),
    ],
)
def test_bad_input_is_rejected_whole_with_one_line(
    registered: tuple[str, str, int], tmp_path: Path, args: list[str], message: str
) -> None:
    url, _, episode = registered
    (tmp_path / "notcase.json").write_text('{"hello": "world"}')
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    filled = [
        a.format(ep=episode, notcase=tmp_path / "notcase.json", binary=tmp_path / "binary.txt")
        for a in args
    ]
    before = _stored(url)
    code, out, err = run(url, *filled)
    assert code == 2
    assert out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("tohip: error: ")
    assert _stored(url) == before


def test_a_clinic_day_through_the_cli(registered: tuple[str, str, int], tmp_path: Path) -> None:
    url, pseudonym, episode = registered
    assert (
        run(
            url,
            "visit",
            str(episode),
            "--date",
            "2026-11-10",
            "--pain",
            "5",
            "--weight-bearing",
            "partial",
            "--imaging",
            "mri",
            "--imaging-result",
            "marrow_edema",
        )[0]
        == 0
    )
    code, out, _ = run(
        url,
        "outcome",
        str(episode),
        "--diagnosis",
        "transient_osteoporosis",
        "--confirmed-by",
        "mri_resolution",
        "--resolved",
        "2026-11-15",
        "--expected-version",
        "1",
    )
    assert code == 0 and "episode version 2" in out
    code, _, err = run(
        url,
        "outcome",
        str(episode),
        "--diagnosis",
        "osteonecrosis",
        "--confirmed-by",
        "imaging",
        "--expected-version",
        "1",
    )
    assert code == 3 and "at version 2" in err
    code, out, _ = run(url, "show", pseudonym, "--format", "json")
    record = json.loads(out)
    assert "identifiers" not in record and "A-1" not in out
    ep = record["episodes"][0]
    assert ep["outcome"]["final_diagnosis"] == "transient_osteoporosis"
    assert ep["assessments"][0]["top_condition"] == "transient_osteoporosis"
    assert ep["visits"][0]["imaging_result"] == "marrow_edema"
    code, out, _ = run(url, "show", pseudonym, "--identifiers", "--format", "json")
    assert json.loads(out)["identifiers"]["mrn"] == "A-1"
    code, out, _ = run(url, "list", "--format", "json")
    assert json.loads(out)["count"] == 1
    assert run(url, "synthetic", "60", "--seed", "5")[0] == 0
    code, out, _ = run(
        url, "stats", "--plots", str(tmp_path / "plots"), "--plot-format", "svg", "--format", "json"
    )
    assert code == 0
    stats = json.loads(out)
    assert stats["calibration"]["synthetic"] and "proves nothing" in stats["calibration"]["caveat"]
    assert "SYNTHETIC" in (tmp_path / "plots" / "km.svg").read_text()
    code, _, err = run(url, "--role", "researcher", "show", pseudonym)
    assert code == 4 and "researcher" in err
    assert run(url, "--role", "researcher", "export", str(tmp_path / "out"))[0] == 0
    assert (tmp_path / "out" / "research_episodes.parquet").exists()
    engine = db.make_engine(url)
    with engine.connect() as conn:
        from sqlalchemy import text

        actions = [
            tuple(r)
            for r in conn.execute(
                text("SELECT actor, role, action, entity FROM audit_log ORDER BY id")
            )
        ]
    engine.dispose()
    assert ("dr-test", "clinician", "read_identifiers", "patient") in actions
    assert ("dr-test", "researcher", "export", "research_export") in actions


def test_commands_refuse_an_uninitialised_registry(url: str) -> None:
    code, out, err = run(url, "list")
    assert code == 1 and out == "" and "registry init" in err
