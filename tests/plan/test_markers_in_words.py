"""Care plans when CRP / ESR are reported in words only (``labs.inflammatory_markers``)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import REPO
from tests.plan.conftest import BASE, plan_for
from tohip.case.io import case_from_data

FEBRILE = json.loads((REPO / "examples" / "febrile_hip.json").read_text())


def _toh(markers: str | None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(BASE))
    data["labs"] = {"temperature": 36.8} | ({"inflammatory_markers": markers} if markers else {})
    return data


def test_markers_normal_in_words_keep_the_confident_toh_plan_that_numbers_give() -> None:
    measured = plan_for(case_from_data(BASE))
    in_words = plan_for(case_from_data(_toh("normal")))
    assert in_words.mode == measured.mode == "confident"
    assert [i.id for i in in_words.items] == [i.id for i in measured.items]
    assert "blood_inflammatory_markers" not in [t.id for t in in_words.next_investigations]


def test_markers_raised_in_words_bring_the_infection_work_up_forward() -> None:
    # the exclude-infection red flag's actions, as a measured raised CRP brings them
    assert plan_for(case_from_data(_toh("normal"))).immediate == []
    raised = [i.id for i in plan_for(case_from_data(_toh("raised"))).immediate]
    assert {"sa_same_day_orthopaedics", "sa_aspirate_before_antibiotics"} <= set(raised)


def test_a_septic_hip_with_raised_markers_in_words_is_aspirated_first() -> None:
    data = json.loads(json.dumps(FEBRILE))
    data["labs"] = {"temperature": 38.9, "inflammatory_markers": "raised"}
    plan = plan_for(case_from_data(data))
    assert "sa_aspirate_before_antibiotics" in [i.id for i in plan.immediate]
