"""The answer cache in front of routing: what it answers again, for whom, and that the guard's
request id, headers, rate limit and log still apply to what it answers."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import NOTE
from tohip.web import ServeSettings, create_app
from tohip.web.auth import AuthConfig, add_token, add_user, read_auth_file
from tohip.web.cache import AnswerStore, CachedAnswer, CacheMiddleware
from tohip.web.middleware import Receive, Scope, Send

PASSWORD = "correct horse battery staple"


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a note was read (every assess, extract and plan of a note reads it once;
    a cache hit does not)."""
    from tohip.text import extract

    calls: list[int] = []
    real = extract.extract_text

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(extract, "extract_text", counting)
    return calls


def _app(**kwargs: Any) -> TestClient:
    settings = ServeSettings(**{"rate_per_minute": 0, "warm_up": False, **kwargs})
    return TestClient(create_app(settings))


def test_identical_requests_are_worked_once_and_answered_alike(counted: list[int]) -> None:
    with _app() as client:
        for path, body in (("/api/v1/assess", {"note": NOTE}), ("/api/v1/extract", {"note": NOTE}),
                           ("/api/v1/plan", {"note": NOTE})):  # fmt: skip
            before = len(counted)
            first = client.post(path, json=body)
            second = client.post(path, json=body)
            assert first.status_code == second.status_code == 200, path
            assert first.content == second.content, path
            assert len(counted) == before + 1, path  # the second answer came from memory
            assert second.headers["content-type"] == "application/json"
            assert second.headers["content-length"] == str(len(second.content))
        other = client.post("/api/v1/assess", json={"note": NOTE + " Limping."})
        assert other.status_code == 200 and len(counted) == 4  # a new note is worked


def test_cached_answers_get_their_own_request_id_and_the_secure_headers(
    counted: list[int],
) -> None:
    with _app() as client:
        first = client.post("/api/v1/assess", json={"note": NOTE})
        second = client.post("/api/v1/assess", json={"note": NOTE})
    assert len(counted) == 1
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    secure = ("content-security-policy", "x-content-type-options", "x-frame-options",
              "referrer-policy", "permissions-policy", "cross-origin-opener-policy")  # fmt: skip
    for name in secure:
        assert second.headers[name] == first.headers[name], name
    assert second.headers["cache-control"] == "no-store"
    assert "server" not in second.headers


def test_the_rate_limit_still_applies_to_cached_answers(counted: list[int]) -> None:
    with _app(rate_per_minute=60, rate_burst=3) as client:
        codes = [client.post("/api/v1/assess", json={"note": NOTE}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert len(counted) == 1


def test_a_cached_answer_is_logged_with_its_route(
    counted: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    with _app() as client, caplog.at_level(logging.INFO, logger="tohip.web.access"):
        client.post("/api/v1/assess", json={"note": NOTE})
        hit = client.post("/api/v1/assess", json={"note": NOTE})
    line = next(r.getMessage() for r in caplog.records if hit.headers["x-request-id"] in
                r.getMessage())  # fmt: skip
    assert "route=/api/v1/assess status=200" in line and line.endswith("cache=hit")
    assert "hip" not in line.lower()


def test_no_cache_when_turned_off(counted: list[int]) -> None:
    with _app(cache_size=0) as client:
        for _ in range(3):
            assert client.post("/api/v1/assess", json={"note": NOTE}).status_code == 200
    assert len(counted) == 3


def test_errors_and_other_routes_are_not_kept(counted: list[int]) -> None:
    with _app() as client:
        store: AnswerStore = client.app.state.cache  # type: ignore[attr-defined]
        for _ in range(2):
            bad = client.post("/api/v1/assess", json={"note": NOTE, "case": {}})
            assert bad.status_code == 422
            client.post("/api/v1/handout", json={"note": NOTE, "format": "json"})
            client.post("/api/v1/followup", json={"note": NOTE, "visits": [{}]})
        assert len(store) == 0
        assert len(counted) >= 4  # handout and followup worked each time


def test_one_callers_answer_is_never_served_to_another(tmp_path: Path, counted: list[int]) -> None:
    path = tmp_path / "auth.json"
    add_user(path, "alice", PASSWORD)
    first_token = add_token(path, "ehr-bridge")
    second_token = add_token(path, "lab-system")
    settings = ServeSettings(auth=read_auth_file(path), rate_per_minute=0, warm_up=False)
    with TestClient(create_app(settings)) as client:

        def assess(token: str | None) -> int:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            return client.post("/api/v1/assess", json={"note": NOTE}, headers=headers).status_code

        assert assess(first_token) == 200 and len(counted) == 1
        assert assess(first_token) == 200 and len(counted) == 1  # same caller: from memory
        assert assess(second_token) == 200 and len(counted) == 2  # another caller: worked anew
        assert assess(None) == 401  # no token: refused, never looked up
        assert assess("not-a-token") == 401
        assert assess(first_token + "x") == 401
        # a logged-in browser's cookie is not an API credential, cached answer or not
        client.cookies.set("tohip_session", "forged")
        assert assess(None) == 401
    assert len(counted) == 2


# --- the middleware alone, around a stand-in app ----------------------------------------------


class _Counting:
    """A stand-in app answering ``status`` with a JSON count of the calls."""

    def __init__(self, status: int = 200, cookie: bool = False) -> None:
        self.calls = 0
        self.status = status
        self.cookie = cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        message = await receive()
        body = json.dumps({"calls": self.calls, "echo": message["body"].decode()}).encode()
        headers = [(b"content-type", b"application/json")]
        if self.cookie:
            headers.append((b"set-cookie", b"x=1"))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _wrapped(inner: _Counting, **kwargs: Any) -> tuple[TestClient, dict[str, Any]]:
    state: dict[str, Any] = {"day": dt.date(2026, 11, 21), "version": "2026.11.0"}
    app = CacheMiddleware(
        inner,
        store=kwargs.pop("store", AnswerStore(100, 1_000_000)),
        auth=kwargs.pop("auth", AuthConfig()),
        kb_version=lambda: state["version"],
        today=lambda: state["day"],
    )
    return TestClient(app), state


def test_the_day_and_the_knowledge_base_version_are_in_the_key() -> None:
    inner = _Counting()
    client, state = _wrapped(inner)
    post = lambda: client.post("/api/v1/assess", json={"note": "x"}).json()["calls"]  # noqa: E731
    assert [post(), post()] == [1, 1]
    state["day"] = dt.date(2026, 11, 22)  # durations are counted to today: worked again
    assert [post(), post()] == [2, 2]
    state["version"] = "2026.12.0"  # another knowledge base: worked again
    assert [post(), post()] == [3, 3]


def test_method_path_query_content_type_and_body_are_in_the_key() -> None:
    inner = _Counting()
    client, _ = _wrapped(inner)
    body = b'{"note": "x"}'
    client.post("/api/v1/assess", content=body, headers={"content-type": "application/json"})
    client.post("/api/v1/extract", content=body, headers={"content-type": "application/json"})
    client.post("/api/v1/assess?x=1", content=body, headers={"content-type": "application/json"})
    client.post("/api/v1/assess", content=body, headers={"content-type": "application/x+json"})
    client.post("/api/v1/assess", content=body + b" ", headers={"content-type": "application/json"})
    assert inner.calls == 5
    client.post("/api/v1/assess", content=body, headers={"content-type": "application/json"})
    client.get("/api/v1/assess")
    client.get("/api/v1/assess")
    client.post("/api/v1/handout", content=body)
    client.post("/api/v1/handout", content=body)
    assert inner.calls == 9  # the repeated POST came from memory; GET and handout never do


@pytest.mark.parametrize(("status", "cookie"), [(422, False), (500, False), (200, True)])
def test_only_plain_200_answers_are_kept(status: int, cookie: bool) -> None:
    inner = _Counting(status, cookie)
    client, _ = _wrapped(inner)
    for _ in range(3):
        client.post("/api/v1/assess", json={"note": "x"})
    assert inner.calls == 3


def test_the_store_is_bounded_by_entries_and_by_bytes() -> None:
    answer = CachedAnswer(((b"content-type", b"application/json"),), b"x" * 1000)
    by_count = AnswerStore(max_entries=3, max_bytes=10**9)
    for k in range(10):
        by_count.put(str(k), answer)
    assert len(by_count) == 3 and by_count.get("9") and by_count.get("6") is None
    by_bytes = AnswerStore(max_entries=1000, max_bytes=8 * answer.size)
    for k in range(50):
        by_bytes.put(str(k), answer)
    assert by_bytes.bytes <= by_bytes.max_bytes and len(by_bytes) == 8
    by_bytes.get("42")  # used: kept ahead of older entries
    by_bytes.put("new", answer)
    assert by_bytes.get("42") is not None and by_bytes.get("43") is None
    too_big = CachedAnswer((), b"x" * (by_bytes.max_bytes // 8 + 1))
    by_bytes.put("big", too_big)
    assert by_bytes.get("big") is None
    by_bytes.put("new", answer)  # the same key again: counted once
    assert by_bytes.bytes == len(by_bytes) * answer.size
