from __future__ import annotations

import re

import pytest

import tohip
from tests.conftest import SHARED
from tohip.conditions import CONDITION_IDS


def test_all_is_sorted_and_complete() -> None:
    assert tohip.__all__ == sorted(tohip.__all__)
    for name in tohip.__all__:
        assert hasattr(tohip, name)


@pytest.mark.skipif(
    not (SHARED / "contract.md").is_file(), reason="shared/contract.md not beside the repo"
)
def test_condition_ids_match_the_contract() -> None:
    contract = (SHARED / "contract.md").read_text()
    table_ids = re.findall(r"^\| `([a-z_]+)` \|", contract, flags=re.MULTILINE)
    # the eight of the table, then `other`, which the contract allows beside them
    assert "`other`" in contract
    assert (*table_ids, "other") == CONDITION_IDS
