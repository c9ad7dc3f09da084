"""An earlier commit's ``src`` as a baseline, run in the same benchmark as this checkout.

``git archive`` writes that commit's ``src`` into a temporary folder; a child Python with
``PYTHONPATH`` pointing at it (and at this repository, for ``benchmarks``) then imports that
tohip instead of this one, so both are measured on the same machine in the same run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).parent.parent


@contextmanager
def source_tree(rev: str | None, from_checkout: str | None = None) -> Iterator[dict[str, str]]:
    """The environment that imports this checkout (``rev`` None) or ``rev``'s ``src``; with
    ``from_checkout`` (a folder such as ``src/tohip/kb/data/text``), that folder is this
    checkout's, so two revisions' code can be compared on the same data."""
    if rev is None:
        yield {**os.environ, "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}"}
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "src.tar"
        subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), rev, "src"],
                       cwd=REPO, check=True)  # fmt: skip
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        if from_checkout is not None:
            shutil.rmtree(Path(tmp) / from_checkout)
            shutil.copytree(REPO / from_checkout, Path(tmp) / from_checkout)
        yield {**os.environ, "PYTHONPATH": f"{tmp}/src{os.pathsep}{REPO}"}


def run_module_at(rev: str, module: list[str], payload: Any) -> list[Any]:
    """``python -m MODULE...`` under ``rev``'s source, given ``payload`` as JSON on standard
    input; its standard output, one JSON value per line."""
    with source_tree(rev) as env:
        done = subprocess.run(
            [sys.executable, "-m", *module], input=json.dumps(payload, default=str),
            capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), check=True,
        )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines()]
