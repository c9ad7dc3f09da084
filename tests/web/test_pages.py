"""The workbench pages without JavaScript: every form posts and the page comes back."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO
from tests.web.conftest import NOTE, csrf_of, hidden_fields
from tohip.web import checklist
from tohip.web.highlight import segments, status_of
from tohip.web.service import read_note


def _start(client: TestClient, **fields: str) -> str:
    token = csrf_of(client.get("/").text)
    response = client.post("/workbench", data={"csrf_token": token, "action": "start", **fields})
    assert response.status_code == 200, re.findall(r'role="alert">(.*?)</div>', response.text)
    return response.text


def _probability(html: str, condition: str) -> float:
    found = re.search(rf'data-condition="{condition}".*?class="pct">([\d.]+)%', html, re.S)
    assert found, condition
    return float(found.group(1))


def _case(html: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(hidden_fields(html)["case_data"])
    return data


def test_start_page_offers_note_upload_and_examples(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'name="note_text"' in page.text and 'type="file"' in page.text
    assert 'name="example" value="febrile_hip"' in page.text
    assert '<label for="note_text">' in page.text


def test_note_is_shown_with_labelled_evidence_spans(client: TestClient) -> None:
    html = _start(client, note_text=NOTE)
    marks = re.findall(
        r'<mark class="ev ev-(\w+)" tabindex="0" aria-describedby="(tip-\d+)">', html
    )
    assert len(marks) > 5
    assert {"used", "negated"} <= {kind for kind, _ in marks}
    for _, tip in marks:
        assert f'role="tooltip" id="{tip}"' in html  # focusable, with its explanation
    assert re.search(r'ev-negated"[^>]*>[^<]*<span class="ev-tag">negated</span>', html)
    assert _probability(html, "transient_osteoporosis") > 50


def test_correcting_a_finding_moves_the_differential(client: TestClient) -> None:
    html = _start(client, note_text=NOTE)
    before = _probability(html, "septic_arthritis")
    state = hidden_fields(html)
    corrected = client.post(
        "/workbench",
        data={**state, "f.exam.warmth_swelling_or_redness": "yes", "f.labs.temperature": "39.4"},
    )
    assert corrected.status_code == 200
    assert _probability(corrected.text, "septic_arthritis") > before
    entered = hidden_fields(corrected.text)["entered"].split(",")
    assert set(entered) == {"exam.warmth_swelling_or_redness", "labs.temperature"}
    assert 'class="flags"' in corrected.text  # a red flag, shown first


def test_unknown_stays_unknown_and_can_be_set_back(client: TestClient) -> None:
    html = _start(client, note_text=NOTE)
    state = hidden_fields(html)
    before = _case(html)
    untouched = client.post("/workbench", data=state)
    assert _case(untouched.text) == before  # nothing filled in for the clinician
    assert before["symptoms"]["onset"] == "sudden"  # type: ignore[index]
    cleared = client.post("/workbench", data={**state, "f.symptoms.onset": ""})
    after = _case(cleared.text)
    assert "onset" not in after["symptoms"]  # type: ignore[operator]


def test_confirming_a_read_value_makes_it_entered(client: TestClient) -> None:
    html = _start(client, note_text=NOTE)
    assert "read: " in html and 'name="confirm.symptoms.onset"' in html
    confirmed = client.post(
        "/workbench", data={**hidden_fields(html), "confirm.symptoms.onset": "1"}
    )
    assert hidden_fields(confirmed.text)["entered"] == "symptoms.onset"


def test_an_invalid_correction_is_refused_and_the_case_kept(client: TestClient) -> None:
    html = _start(client, note_text=NOTE)
    state = hidden_fields(html)
    refused = client.post("/workbench", data={**state, "f.patient.age": "300"})
    assert refused.status_code == 422
    assert "patient.age" in refused.text and 'role="alert"' in refused.text
    assert _case(refused.text) == _case(html)
    wrong_kind = client.post("/workbench", data={**state, "f.labs.crp": "lots"})
    assert wrong_kind.status_code == 422 and "not a number" in wrong_kind.text


def test_upload_a_case_file(client: TestClient) -> None:
    token = csrf_of(client.get("/").text)
    raw = (REPO / "examples" / "toh_middle_aged_man.json").read_bytes()
    response = client.post(
        "/workbench",
        data={"csrf_token": token, "action": "start"},
        files={"case_file": ("case.json", raw, "application/json")},
    )
    assert response.status_code == 200
    assert 'class="badge entered"' in response.text and "The note, as read" not in response.text
    broken = client.post(
        "/workbench",
        data={"csrf_token": token, "action": "start"},
        files={"case_file": ("case.json", b'{"patient": {"age": -1}}', "application/json")},
    )
    assert broken.status_code == 422 and "patient.age" in broken.text


@pytest.mark.parametrize("example", ["febrile_hip", "pregnant_third_trimester"])
def test_examples_open(client: TestClient, example: str) -> None:
    html = _start(client, example=example)
    assert "The note, as read" in html


def test_pregnant_example_next_tests_avoid_radiation(client: TestClient) -> None:
    html = _start(client, example="pregnant_third_trimester")
    tests = html.split("<h2>Next tests</h2>", 1)[1].split("</ol>", 1)[0]
    assert "MRI" in tests
    assert "CT" not in tests and "bone scan" not in tests.lower()


def test_plan_handout_and_followup_screens(client: TestClient) -> None:
    state = hidden_fields(_start(client, note_text=NOTE))
    plan = client.post("/workbench/plan", data=state)
    assert plan.status_code == 200
    for heading in ("Do now", "Plan", "Left out, and why", "Checks still needed"):
        assert f">{heading}</h2>" in plan.text
    assert "<svg" in plan.text  # the course timeline
    handout = client.post("/workbench/handout", data=state)
    assert handout.status_code == 200 and "Download PDF" in handout.text
    pdf = client.post("/workbench/handout.pdf", data=state)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    visit = client.post(
        "/workbench/followup",
        data={**state, "v.weeks_after_onset": "10", "v.pain_trend": "worse", "v.fever": "yes"},
    )
    assert visit.status_code == 200 and 'class="status status-' in visit.text
    assert "act now" in visit.text or "act soon" in visit.text


def test_bad_start_input_returns_the_start_page_with_the_reason(client: TestClient) -> None:
    token = csrf_of(client.get("/").text)
    empty = client.post("/workbench", data={"csrf_token": token, "action": "start"})
    assert empty.status_code == 422 and "paste a note" in empty.text
    unknown = client.post(
        "/workbench", data={"csrf_token": token, "action": "start", "example": "../etc"}
    )
    assert unknown.status_code == 422 and "no such example" in unknown.text
    damaged = client.post("/workbench", data={"csrf_token": token, "case_data": "{nope"})
    assert damaged.status_code == 422 and "damaged" in damaged.text


def test_checklist_follows_the_case_schema() -> None:
    assert checklist.BY_PATH["labs.crp"].kind == "number"
    assert checklist.BY_PATH["imaging.mri.edema_pattern"].kind == "choice"
    assert "diffuse_head_neck" in checklist.BY_PATH["imaging.mri.edema_pattern"].choices
    assert checklist.BY_PATH["patient.pregnancy.trimester"].choices == ("1", "2", "3")
    assert checklist.BY_PATH["patient.age"].maximum == 120
    data, changed = checklist.apply_edits({}, {"imaging.ct.fracture_line": ""})
    assert data == {} and changed == []  # an untouched unknown creates nothing
    data, changed = checklist.apply_edits({}, {"patient.pregnancy.trimester": "3",
                                               "patient.pregnancy.status": "pregnant"})  # fmt: skip
    assert data == {"patient": {"pregnancy": {"trimester": 3, "status": "pregnant"}}}
    with pytest.raises(ValueError, match="not a field"):
        checklist.apply_edits({}, {"patient.name": "x"})


def test_highlight_spans_use_the_evidence_offsets() -> None:
    note = "No fever. Fever on day 2 was absent. Left hip pain.\nNo fever."
    extraction = read_note(note)
    pieces = segments(note, extraction.evidence)
    assert "".join(p.text for p in pieces) == note  # nothing lost or moved
    for piece in pieces:
        if piece.status:
            assert any(note[e.start : e.end] == piece.text for e in extraction.evidence)
    assert {status_of(e) for e in extraction.evidence} <= {
        "used", "negated", "uncertain", "historical", "other_side", "unused"
    }  # fmt: skip


def test_an_empty_list_is_none_known_not_unknown() -> None:
    allergies = checklist.BY_PATH["patient.allergies"]
    assert checklist.display(allergies, []) == "none"
    assert checklist.display(allergies, None) == ""
    base = {"patient": {"allergies": [], "age": 0.1234567891}}
    shown = {"patient.allergies": "none", "patient.age": "0.1234567891"}
    data, changed = checklist.apply_edits(base, shown)
    assert data == base and changed == []  # an untouched form changes nothing
    data, changed = checklist.apply_edits(base, {"patient.allergies": "penicillin, NSAIDs"})
    assert data["patient"]["allergies"] == ["penicillin", "NSAIDs"]


class _FormReader(HTMLParser):
    """What a browser submits for the form with id "state": hidden and text inputs, checked
    radios and checkboxes, the selected option of each select."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = a.get("id") == "state"
        if not self._inside:
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first_option, self._selected = a["name"], None, False
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._selected = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._selected:
                self.fields.append((self._select, self._first_option or ""))
            self._select = None
        if tag == "form":
            self._inside = False


def test_submitting_the_page_as_shown_changes_nothing(client: TestClient) -> None:
    """Every control shows its value so that posting it back is a no-op: no rounding, no
    unknown filled in, no known value lost (a 'none known' list included)."""
    for example in ("middle_aged_man_marrow_oedema", "pregnant_third_trimester"):
        html = _start(client, example=example)
        reader = _FormReader()
        reader.feed(html)
        names = [name for name, _ in reader.fields]
        assert sum(1 for n in names if n.startswith("f.")) > 100  # the whole checklist
        submitted: dict[str, list[str]] = {}
        for name, value in reader.fields:
            submitted.setdefault(name, []).append(value)
        again = client.post("/workbench", data=submitted)
        assert again.status_code == 200
        assert _case(again.text) == _case(html), example
        assert hidden_fields(again.text)["entered"] == ""


def test_a_bad_visit_comes_back_with_the_reason_and_the_answers_kept(client: TestClient) -> None:
    state = hidden_fields(_start(client, note_text=NOTE))
    visit = client.post("/workbench/followup", data={**state, "v.pain": "11", "v.fever": "no"})
    assert visit.status_code == 422
    assert "pain" in visit.text and 'role="alert"' in visit.text
    assert 'name="v.pain" value="11"' in visit.text  # what was typed is not lost
