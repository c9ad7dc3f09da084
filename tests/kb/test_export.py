from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tohip.kb.export import export_markdown
from tohip.kb.loader import KnowledgeBase


def test_export_covers_every_item(kb: KnowledgeBase) -> None:
    text = export_markdown(kb)
    for finding_id in kb.findings:
        assert f"(`{finding_id}`)" in text
    for ref_id in kb.references:
        assert f"[{ref_id}]" in text
    for cond in kb.conditions:
        assert cond.label in text
    assert "SNOMED CT not yet mapped" in text  # unmapped codes are shown, not hidden


def test_export_command_writes_file(tmp_path: Path) -> None:
    out = tmp_path / "kb.md"
    result = subprocess.run(
        [sys.executable, "-m", "tohip", "kb", "export", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("# tohip knowledge base")
