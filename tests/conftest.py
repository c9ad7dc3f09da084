"""Shared fixtures. Test data is deterministic: no random cases, no clock-dependent dates."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Tests (and the commands they start) keep the knowledge-base cache out of the user's cache folder.
os.environ.setdefault("TOHIP_CACHE_DIR", tempfile.mkdtemp(prefix="tohip-test-cache-"))

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
