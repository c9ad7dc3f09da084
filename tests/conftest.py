"""Shared fixtures. Test data is deterministic: no random cases, no clock-dependent dates."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Tests (and the commands they start) keep the knowledge-base cache out of the user's cache
# folder, in one removed when the run ends.
if "TOHIP_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="tohip-test-cache-")
    os.environ["TOHIP_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# ...and never ask a warm reader the user may have running (tests/cli/test_warm.py starts its own)
os.environ["TOHIP_WARM"] = "off"

from tohip.kb.loader import KnowledgeBase, default_directory, load_knowledge_base

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped knowledge base, loaded once."""
    return load_knowledge_base()


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge-base directory, for breaking on purpose."""
    target = tmp_path / "kb"
    shutil.copytree(default_directory(), target)
    return target
