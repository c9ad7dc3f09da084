"""What hostile data must NOT do when it is accepted: drive Rich markup, name the case after a
220-character file, or leave output files half-written, with the wrong permissions."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hardening.conftest import Run, assert_bounded

pytestmark = pytest.mark.slow

EXAMPLE = REPO / "examples" / "toh_middle_aged_man.json"
INJECTED_ID = "[/][link=https://evil.example]click[/link][/b] :warning:"
ALLERGY = "[link=https://evil.example]penicillin[/link]"


def _injected_case(folder: Path) -> Path:
    case = json.loads(EXAMPLE.read_text())
    case["id"] = INJECTED_ID
    case["patient"]["allergies"] = ["[/]", ALLERGY, "[/b]"]
    case["patient"]["medications"] = ["[bold]zzmedicine[/bold]"]
    path = folder / "case.json"
    path.write_text(json.dumps(case))
    return path


@pytest.mark.parametrize("command", ["assess", "plan"])
def test_markup_in_case_data_is_printed_literally(
    tohip: Callable[..., Run], tmp_path: Path, command: str
) -> None:
    result = tohip(command, str(_injected_case(tmp_path)))
    assert result.code == 0, result.stderr
    assert INJECTED_ID in result.stdout  # exactly as typed: not a link, not an emoji
    assert "\x1b]8;" not in result.stdout  # no terminal hyperlink was made
    assert_bounded(result)


def test_markup_in_an_unmatched_allergy_is_printed_literally(
    tohip: Callable[..., Run], tmp_path: Path
) -> None:
    result = tohip("plan", str(_injected_case(tmp_path)))
    assert result.code == 0, result.stderr
    warning = next(line for line in result.stdout.splitlines() if "allergies not matched" in line)
    assert "[/]" in warning and "[/b]" in warning


def test_markup_in_a_note_is_printed_literally(tohip: Callable[..., Run], tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(
        "Left hip pain for 5 weeks [/b].\n"
        "MRI: diffuse marrow oedema [link=https://e.example]x[/link] of the femoral head [/].\n"
    )
    for command in ("assess", "extract"):
        result = tohip(command, str(note))
        assert result.code == 0, result.stderr  # was a MarkupError after partial output
        assert "\x1b]8;" not in result.stdout
    assert "[link=https://e.example]x[/link]" in result.stdout or "oedema" in result.stdout
    assessed = tohip("assess", str(note))
    assert "[link=https://e.example]x[/link] of the femoral head [/]" in assessed.stdout


def test_a_long_file_name_does_not_become_or_break_the_case_id(
    tohip: Callable[..., Run], tmp_path: Path
) -> None:
    note = tmp_path / ("n" * 110 + " [x]\n" + "m" * 100 + ".txt")
    note.write_text("Right hip pain for 4 weeks. MRI: diffuse marrow oedema of the head.\n")
    result = tohip("assess", str(note), "--format", "json")
    assert result.code == 0, result.stderr
    case_id = json.loads(result.stdout)["case_id"]
    assert 0 < len(case_id) <= 64 and "\n" not in case_id and "[" not in case_id


def test_handout_outputs_honour_the_umask_and_keep_existing_modes(
    tohip: Callable[..., Run], tmp_path: Path
) -> None:
    kept = tmp_path / "kept.html"
    kept.write_text("old")
    kept.chmod(0o604)
    result = tohip("handout", str(EXAMPLE), "--html", "kept.html", "--pdf", "new.pdf", umask=0o027)
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "new.pdf").st_mode) == 0o640
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o604
    assert kept.read_text().startswith("<!") and (tmp_path / "new.pdf").read_bytes()[:4] == b"%PDF"
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tohip-")]


def test_an_output_through_a_symlink_writes_the_file_and_keeps_the_link(
    tohip: Callable[..., Run], tmp_path: Path
) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    (tmp_path / "link.md").symlink_to(real)
    result = tohip("kb", "export", "-o", "link.md")
    assert result.code == 0, result.stderr
    assert (tmp_path / "link.md").is_symlink() and real.read_text().startswith("#")


def test_a_registry_backup_is_owner_only_even_over_an_open_file(
    tohip: Callable[..., Run], tmp_path: Path
) -> None:
    db = ("registry", "--db", "sqlite:///r.sqlite3")
    assert tohip(*db, "init").code == 0
    (tmp_path / "b.jsonl.gz").write_text("old")
    (tmp_path / "b.jsonl.gz").chmod(0o644)
    result = tohip(*db, "backup", "b.jsonl.gz")
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "b.jsonl.gz").st_mode) == 0o600


def test_markup_in_registry_identifiers_is_printed_literally(
    tohip: Callable[..., Run], tmp_path: Path
) -> None:
    db = ("registry", "--db", "sqlite:///r.sqlite3")
    assert tohip(*db, "init").code == 0
    added = tohip(*db, "add", str(EXAMPLE), "--name", "[/][bold]Ann[/bold]", "--format", "json")
    assert added.code == 0, added.stderr
    pseudonym = json.loads(added.stdout)["patient"]
    shown = tohip(*db, "show", pseudonym, "--identifiers")
    assert shown.code == 0, shown.stderr
    assert "[/][bold]Ann[/bold]" in shown.stdout
