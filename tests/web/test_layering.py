"""The web layer sits on top: it composes tohip.api, plan and handout, and nothing below it
imports it (the engine knows no screen)."""

from __future__ import annotations

import re

from tests.conftest import REPO

SRC = REPO / "src" / "tohip"


def test_nothing_below_the_web_layer_imports_it() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.parts[len(SRC.parts)] not in ("web", "cli")
        and re.search(r"^\s*(from|import) tohip\.web", path.read_text(), re.M)
    ]
    assert offenders == []


def test_the_web_layer_uses_no_private_module_of_the_cli() -> None:
    for path in (SRC / "web").rglob("*.py"):
        assert "tohip.cli" not in path.read_text(), path
