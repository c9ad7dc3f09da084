"""The REST API through HTTP (TestClient): every endpoint answers what the matching CLI command
prints, byte for byte where the contract fixes it, and every bad input is a problem+json 4xx."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO
from tests.web.conftest import NOTE
from tohip.conditions import CONDITION_IDS
from tohip.web import ServeSettings, create_app, service

EXAMPLE = REPO / "examples" / "toh_middle_aged_man.json"
VISITS = REPO / "examples" / "visits" / "toh_man_week16_worse.json"
PROBLEM = "application/problem+json"


def cli(*args: str, stdin: str | None = None) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "tohip", *args],
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def example_case() -> dict[str, object]:
    data: dict[str, object] = json.loads(EXAMPLE.read_text())
    return data


@pytest.mark.slow
def test_assess_a_note_is_byte_for_byte_the_cli(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json={"note": NOTE})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == cli("assess", "-", "--format", "json", stdin=NOTE)
    data = response.json()
    assert sorted(r["condition"] for r in data["differential"]) == sorted(CONDITION_IDS)
    assert data["extraction"]["evidence"], "a note's assessment carries what was read"


@pytest.mark.slow
def test_assess_a_case_is_byte_for_byte_the_cli(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json={"case": example_case()})
    assert response.status_code == 200
    assert response.content == cli("assess", str(EXAMPLE), "--format", "json")
    assert response.json()["differential"][0]["condition"] == "transient_osteoporosis"


@pytest.mark.slow
def test_extract_plan_and_followup_match_the_cli(client: TestClient) -> None:
    extract = client.post("/api/v1/extract", json={"note": NOTE})
    assert extract.content == cli("extract", "-", "--format", "json", stdin=NOTE)
    plan = client.post("/api/v1/plan", json={"case": example_case()})
    assert plan.content == cli("plan", str(EXAMPLE), "--format", "json")
    visits = json.loads(VISITS.read_text())
    followup = client.post("/api/v1/followup", json={"case": example_case(), "visits": visits})
    assert followup.content == cli("followup", str(EXAMPLE), str(VISITS), "--format", "json")
    assert followup.json()["status"] != "on_track"  # pain worse at week 16


def test_plan_from_a_note(client: TestClient) -> None:
    response = client.post("/api/v1/plan", json={"note": NOTE})
    assert response.status_code == 200
    assert response.json()["leading_condition"] == "transient_osteoporosis"


def test_handout_as_json_html_and_pdf(client: TestClient) -> None:
    body = {"case": example_case()}
    as_json = client.post("/api/v1/handout", json=body)
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.json()["reading"]["grade"] > 0
    as_html = client.post("/api/v1/handout", json=body, headers={"accept": "text/html"})
    assert as_html.headers["content-type"].startswith("text/html")
    assert "<html" in as_html.text
    policy = as_html.headers["content-security-policy"]  # its own stylesheet, still no script
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy
    as_pdf = client.post("/api/v1/handout", json={**body, "format": "pdf"})
    assert as_pdf.headers["content-type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF")
    by_accept = client.post("/api/v1/handout", json=body, headers={"accept": "application/pdf"})
    assert by_accept.content.startswith(b"%PDF")


def test_kb_schemas_and_health(client: TestClient) -> None:
    kb = client.get("/api/v1/kb").json()
    assert {c["id"] for c in kb["conditions"]} >= set(CONDITION_IDS) - {"other"}
    assert len(kb["findings"]) > 20 and kb["version"]
    schema = client.get("/api/v1/schemas/case")
    assert schema.headers["content-type"] == "application/schema+json"
    assert schema.json() == json.loads(cli("schema", "case"))
    assert client.get("/api/v1/schemas/plan").json()["title"] == "CarePlan"
    health = client.get("/api/v1/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_health_is_503_until_the_reader_is_loaded() -> None:
    app = create_app(ServeSettings(warm_up=False))
    unstarted = TestClient(app)  # no lifespan: start-up has not run
    response = unstarted.get("/api/v1/health")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("content", "content_type", "status", "detail"),
    [
        (b"{not json", "application/json", 400, "not valid JSON"),
        (b"{}", "application/json", 422, 'exactly one of "note" and "case"'),
        (b'{"note": "hip pain", "case": {}}', "application/json", 422, "exactly one"),
        (b'{"case": {"patient": {"age": -3}}}', "application/json", 422, "case.patient.age"),
        (b'{"case": {"labs": {"crp": {"value": 3, "unit": "furlongs"}}}}', "application/json",
         422, "case.labs.crp"),
        (b'{"note": 42}', "application/json", 422, "note"),
        (b'{"note": ""}', "application/json", 422, '"note" is empty'),
        (b'{"note": " \\n\\t "}', "application/json", 422, '"note" is empty'),
        (b'{"note": "pain", "colour": "red"}', "application/json", 422, "colour"),
        (b"[1, 2]", "application/json", 422, "body"),
        (b"[" * 200_000, "application/json", 400, "parsing the body"),  # nested too deep
        (b'{"note": "\xff\xfe"}', "application/json", 400, "parsing the body"),  # not UTF-8
        (b'{"note": "a\\u0000b"}', "application/json", 422, "NUL"),
        (b"note=hip", "application/x-www-form-urlencoded", 415, "application/json"),
        (b'{"note": "x"}', "text/plain", 415, "application/json"),
    ],
)  # fmt: skip
def test_bad_input_is_a_problem_never_a_500(
    client: TestClient, content: bytes, content_type: str, status: int, detail: str
) -> None:
    response = client.post(
        "/api/v1/assess", content=content, headers={"content-type": content_type}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status and detail in problem["detail"]
    assert problem["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text


def test_a_blank_note_to_extract_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/extract", json={"note": "   "})
    assert response.status_code == 422 and '"note" is empty' in response.json()["detail"]


def test_a_note_too_long_for_the_reader_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json={"note": "hip pain. " * 6000})
    assert response.status_code == 422
    assert "50,000 characters" in response.json()["detail"]


def test_a_body_over_one_megabyte_is_413(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json={"note": "x" * 1_100_000})
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_unknown_route_and_wrong_method_are_problems(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    wrong = client.get("/api/v1/assess")
    assert wrong.status_code == 405 and wrong.headers["content-type"] == PROBLEM
    schema = client.get("/api/v1/schemas/nonsense")
    assert schema.status_code == 422 and schema.headers["content-type"] == PROBLEM


def test_an_unexpected_error_is_a_500_problem_without_trace_or_input(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("Zanzibarquux was in the note")

    monkeypatch.setattr(service, "work", broken)
    caplog.set_level(logging.INFO, logger="tohip")
    with TestClient(create_app(ServeSettings(warm_up=False))) as local:
        response = local.post("/api/v1/assess", json={"note": "Zanzibarquux hip pain"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert "Zanzibarquux" not in response.text and "Traceback" not in response.text
    assert response.json()["request_id"] in caplog.text
    assert "Zanzibarquux" not in caplog.text


def test_openapi_documents_every_error_status(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    for path in ("/api/v1/assess", "/api/v1/extract", "/api/v1/plan", "/api/v1/handout",
                 "/api/v1/followup"):  # fmt: skip
        responses = document["paths"][path]["post"]["responses"]
        assert {"200", "400", "413", "415", "422"} <= set(responses), path
        assert PROBLEM in responses["422"]["content"]
    assert client.get("/docs").status_code == 404  # no Swagger UI: it loads from a CDN


def test_the_optional_cache_answers_identical_requests_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real_work = service.work

    def counted(*args: object, **kwargs: object) -> service.Worked:
        calls.append(1)
        return real_work(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "work", counted)
    settings = ServeSettings(cache_size=1, rate_per_minute=0, warm_up=False)
    with TestClient(create_app(settings)) as cached:
        first = cached.post("/api/v1/assess", json={"note": NOTE})
        second = cached.post("/api/v1/assess", json={"note": NOTE})
        assert first.content == second.content and len(calls) == 1
        cached.post("/api/v1/assess", json={"note": NOTE + " Limping."})
        cached.post("/api/v1/assess", json={"note": NOTE})  # evicted (size 1): worked again
        assert len(calls) == 3
