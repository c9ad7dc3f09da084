"""What `tohip assess` imports to answer (start-up, issue 9): a structured case needs neither
the free-text reader nor spaCy, and JSON output needs no Rich."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = ("spacy", "medspacy", "thinc", "tohip.text", "tohip.api", "rich")


@pytest.mark.slow
def test_a_structured_case_is_assessed_without_the_reader_or_rich() -> None:
    code = (
        "import json, sys\n"
        f"sys.argv = ['tohip', 'assess', {str(REPO / 'examples' / 'febrile_hip.json')!r},"
        " '--format', 'json']\n"
        "from tohip.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "sys.stderr.write(json.dumps({'code': code, 'heavy': heavy}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert json.loads(done.stdout)["differential"]
    assert json.loads(done.stderr) == {"code": 0, "heavy": []}
