from __future__ import annotations

from typing import Any

import pytest
from benchmarks.run_notes import flatten

from tohip.text.extract import extract_text
from tohip.text.types import Extraction


def values(x: Extraction) -> dict[str, Any]:
    """The case read from a note as flat dotted paths (only what was set)."""
    return flatten(x.case)


@pytest.fixture()
def read():
    return lambda text, **kw: values(extract_text(text, **kw))
