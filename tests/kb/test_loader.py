from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tohip.conditions import CONDITION_IDS
from tohip.errors import KnowledgeBaseError
from tohip.kb.loader import (
    KnowledgeBase,
    default_directory,
    load_knowledge_base,
    read_knowledge_base,
)


def errors_of(directory: Path) -> list[str]:
    _, problems = read_knowledge_base(directory)
    return [str(p) for p in problems if p.severity == "error"]


def test_shipped_knowledge_base_has_no_errors(kb: KnowledgeBase) -> None:
    assert errors_of(default_directory()) == []
    assert set(kb.condition_ids) == set(CONDITION_IDS)
    assert len(kb.findings) >= 50


def test_every_finding_cites_a_known_reference(kb: KnowledgeBase) -> None:
    for finding in kb.findings.values():
        assert finding.sources, finding.id
        assert all(s.ref in kb.references for s in finding.sources)


def test_expert_estimates_are_marked(kb: KnowledgeBase) -> None:
    bases = {f.basis for f in kb.findings.values()}
    assert bases <= {"literature", "literature_informed_estimate", "expert_estimate"}
    assert "expert_estimate" in bases
    assert kb.prior_file.prior_basis == "expert_estimate"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("conditions.yaml", "    prior: 0.08\n", "    prior: 0.18\n", "priors sum to 1.100000"),
        (
            "findings.yaml",
            "{ref: balakrishnan2003, note: TOH men mean age 41 (32-55)}",
            "{ref: nosuchpaper}",
            "unknown reference 'nosuchpaper'",
        ),
        (
            "findings.yaml",
            "transient_osteoporosis: {male: 0.65, female: 0.35}",
            "transient_osteoporosis: {male: 0.65, female: 0.45}",
            "sum to 1.100000",
        ),
        (
            "findings.yaml",
            "observe: {field: history.trauma}",
            "observe: {field: history.traumaa}",
            "'history.traumaa' is not a case field",
        ),
        ("findings.yaml", "      neoplasm: 0.55\n", "", "no row for ['neoplasm']"),
        (
            "red_flags.yaml",
            "{finding: fever, is: present}",
            "{finding: fever, is: high}",
            "fever has no state 'high'",
        ),
        (
            "investigations.yaml",
            "yields: [autoantibodies]",
            "yields: [antibodies]",
            "unknown finding 'antibodies'",
        ),
        (
            "investigations.yaml",
            "not_after: [mri_hip]",
            "not_after: [mri_knee]",
            "not_after: unknown test 'mri_knee'",
        ),
        (
            "investigations.yaml",
            "not_for_alone: [xray_osteopenia, xray_subchondral_cortical_loss]",
            "not_for_alone: [ct_osteopenia]",
            "not_for_alone 'ct_osteopenia' is not yielded",
        ),
    ],
)
def test_broken_knowledge_base_reports_file_and_path(
    kb_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _replace(kb_copy / file, old, new)
    errors = errors_of(kb_copy)
    assert any(expected in e and file in e for e in errors), errors


def test_load_raises_listing_problems(kb_copy: Path) -> None:
    _replace(kb_copy / "conditions.yaml", "    prior: 0.08\n", "    prior: 0.18\n")
    with pytest.raises(KnowledgeBaseError, match="priors sum"):
        load_knowledge_base(str(kb_copy))


def test_yaml_syntax_error_is_reported(kb_copy: Path) -> None:
    (kb_copy / "red_flags.yaml").write_text("red_flags: [unclosed\n")
    assert any("red_flags.yaml" in e and "not valid YAML" in e for e in errors_of(kb_copy))


def test_kb_check_command(kb_copy: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "tohip", "kb", "check"], capture_output=True, text=True
    )
    assert ok.returncode == 0 and "0 errors" in ok.stdout
    _replace(
        kb_copy / "findings.yaml",
        "observe: {field: history.sle}",
        "observe: {field: history.lupus}",
    )
    bad = subprocess.run(
        [sys.executable, "-m", "tohip", "kb", "check", str(kb_copy)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "findings.yaml" in bad.stderr and "'history.lupus' is not a case field" in bad.stderr


def test_a_repeated_reference_id_is_an_error(tmp_path: Path) -> None:
    """Sources are looked up by id, so a second entry with the same id would silently replace
    the first; the check names it instead."""
    kb_dir = tmp_path / "kb"
    shutil.copytree(default_directory(), kb_dir)
    refs = kb_dir / "references.yaml"
    text = refs.read_text("utf-8")
    first = "- id:" + text.split("- id:")[1]
    refs.write_text(text.rstrip("\n") + "\n" + first, "utf-8")
    assert any("duplicate reference ids" in e for e in errors_of(kb_dir))
