"""The workbench carries CRP / ESR reported in words (``labs.inflammatory_markers``)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import NOTE, hidden_fields
from tests.web.test_pages import _case, _probability, _start
from tohip.web import checklist


def test_the_checklist_offers_markers_in_words_as_a_choice() -> None:
    field = checklist.BY_PATH["labs.inflammatory_markers"]
    assert field.kind == "choice" and field.choices == ("normal", "raised")


def test_markers_read_in_words_are_shown_and_can_be_corrected(client: TestClient) -> None:
    html = _start(client, note_text=NOTE + "Inflammatory markers normal.\n")
    assert _case(html)["labs"] == {"inflammatory_markers": "normal"}
    assert re.search(r'name="f\.labs\.inflammatory_markers"', html)
    before = _probability(html, "septic_arthritis")
    corrected = client.post(
        "/workbench", data={**hidden_fields(html), "f.labs.inflammatory_markers": "raised"}
    )
    assert corrected.status_code == 200
    assert _case(corrected.text)["labs"] == {"inflammatory_markers": "raised"}
    assert _probability(corrected.text, "septic_arthritis") > before
    assert 'class="flags"' in corrected.text  # the exclude-infection red flag
    # "raised" in words does not say how far: either raised state, shown as such
    assert "(markedly_raised or mildly_raised" in corrected.text


def test_markers_in_words_travel_through_the_api(client: TestClient) -> None:
    response = client.post(
        "/api/v1/assess",
        json={"case": {"labs": {"inflammatory_markers": "raised"}, "patient": {"age": 50}}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    effect = next(e for e in body["explanation"] if e["finding"] == "inflammatory_markers")
    assert effect["observed"] == ["markedly_raised", "mildly_raised"]
    assert effect["case_field"] == "labs.inflammatory_markers"
