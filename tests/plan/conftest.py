"""A TOH case the engine is confident about, patched per test."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.conftest import REPO
from tohip.case.io import case_from_data
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.plan.build import make_plan
from tohip.plan.rules import PlanRules, load_plan_rules
from tohip.plan.types import CarePlan

BASE: dict[str, Any] = json.loads((REPO / "examples" / "toh_middle_aged_man.json").read_text())


def patched(patch: dict[str, Any]) -> Case:
    """The base TOH case with whole sections' keys replaced by the patch's."""
    data = copy.deepcopy(BASE)
    for section, values in patch.items():
        if section == "patient":
            data["patient"] = values
        else:
            data.setdefault(section, {}).update(values)
    return case_from_data(data)


def plan_for(case: Case) -> CarePlan:
    return make_plan(case, assess_case(case))


@pytest.fixture(scope="session")
def rules() -> PlanRules:
    return load_plan_rules()
