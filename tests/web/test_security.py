"""What a hospital's IT security team checks: headers, login, CSRF, tokens, rate limit, the
body limit, logs without patient data, and the refusal to serve exposed without auth."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import NOTE, csrf_of, free_port, hidden_fields
from tohip.web import ServeSettings, create_app
from tohip.web.auth import AuthConfig, add_token, add_user, read_auth_file
from tohip.web.middleware import GuardMiddleware, RateLimiter

PASSWORD = "correct horse battery staple"


def test_secure_headers_on_pages_and_api(client: TestClient) -> None:
    for response in (client.get("/"), client.post("/api/v1/assess", json={"note": NOTE})):
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert "camera=()" in headers["permissions-policy"]
        assert headers["cache-control"] == "no-store"  # patient data is never cached
        assert "server" not in headers
    static = client.get("/static/workbench.css")
    assert static.status_code == 200
    assert static.headers["cache-control"] == "public, max-age=3600"


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    page = client.get("/")
    result = client.post(
        "/workbench", data={"csrf_token": csrf_of(page.text), "action": "start", "note_text": NOTE}
    )
    for html in (page.text, result.text):
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_a_note_is_escaped_in_the_page(client: TestClient) -> None:
    page = client.get("/")
    note = 'Hip pain. <script>alert("x")</script> <img src=x onerror=alert(1)>'
    result = client.post(
        "/workbench", data={"csrf_token": csrf_of(page.text), "action": "start", "note_text": note}
    )
    assert result.status_code == 200
    assert "<script>alert" not in result.text and "<img src=x" not in result.text
    assert "&lt;script&gt;" in result.text


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    client.get("/")
    missing = client.post("/workbench", data={"action": "start", "note_text": NOTE})
    assert missing.status_code == 403
    assert missing.headers["content-type"] == "application/problem+json"
    forged = client.post(
        "/workbench", data={"csrf_token": "0" * 64, "action": "start", "note_text": NOTE}
    )
    assert forged.status_code == 403
    # a token from another browser is not accepted either
    with TestClient(create_app(ServeSettings(rate_per_minute=0, warm_up=False))) as other:
        theirs = csrf_of(other.get("/").text)
    assert client.post("/workbench", data={"csrf_token": theirs, "action": "start",
                                           "note_text": NOTE}).status_code == 403  # fmt: skip


@pytest.fixture()
def auth_file(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "auth.json"
    add_user(path, "alice", PASSWORD)
    token = add_token(path, "ehr-bridge")
    return path, token


def test_auth_file_holds_hashes_only(auth_file: tuple[Path, str]) -> None:
    path, token = auth_file
    text = path.read_text()
    assert PASSWORD not in text and token not in text
    config = read_auth_file(path)
    assert config.users["alice"].startswith("$argon2id$")
    assert config.check_password("alice", PASSWORD)
    assert not config.check_password("alice", PASSWORD + "!")
    assert not config.check_password("mallory", PASSWORD)
    assert config.token_owner(token) == "ehr-bridge" and config.token_owner("guess") is None
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def _secured(path: Path, **kwargs: object) -> TestClient:
    settings = ServeSettings(auth=read_auth_file(path), rate_per_minute=0, **kwargs)  # type: ignore[arg-type]
    return TestClient(create_app(settings), follow_redirects=False)


def test_login_session_and_logout(auth_file: tuple[Path, str]) -> None:
    path, _ = auth_file
    with _secured(path) as browser:
        assert browser.get("/").headers["location"] == "/login"
        form = browser.get("/login")
        token = csrf_of(form.text)
        wrong = browser.post("/login", data={"csrf_token": token, "username": "alice",
                                             "password": "nope"})  # fmt: skip
        assert wrong.status_code == 401 and "tohip_session" not in wrong.cookies
        right = browser.post("/login", data={"csrf_token": token, "username": "alice",
                                             "password": PASSWORD})  # fmt: skip
        assert right.status_code == 303
        cookie = right.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        home = browser.get("/")
        assert home.status_code == 200 and "alice" in home.text
        logout = browser.post("/logout", data={"csrf_token": csrf_of(home.text)})
        assert logout.status_code == 303
        assert browser.get("/").headers["location"] == "/login"


def test_session_cookie_is_secure_behind_tls(auth_file: tuple[Path, str]) -> None:
    path, _ = auth_file
    settings = ServeSettings(auth=read_auth_file(path), rate_per_minute=0, secure_cookies=True)
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as browser:
        token = csrf_of(browser.get("/login").text)
        right = browser.post("/login", data={"csrf_token": token, "username": "alice",
                                             "password": PASSWORD})  # fmt: skip
        assert right.status_code == 303
        assert "secure" in right.headers["set-cookie"].lower()
        assert "strict-transport-security" in right.headers


def test_api_needs_a_bearer_token_when_auth_is_on(auth_file: tuple[Path, str]) -> None:
    path, token = auth_file
    with _secured(path) as api:
        anonymous = api.post("/api/v1/assess", json={"note": NOTE})
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == "Bearer"
        assert anonymous.headers["content-type"] == "application/problem+json"
        wrong = api.post("/api/v1/assess", json={"note": NOTE},
                         headers={"authorization": "Bearer not-a-token"})  # fmt: skip
        assert wrong.status_code == 401
        right = api.post("/api/v1/assess", json={"note": NOTE},
                         headers={"authorization": f"Bearer {token}"})  # fmt: skip
        assert right.status_code == 200
        assert api.get("/api/v1/health").status_code == 200  # for load balancers


def test_rate_limit_per_client() -> None:
    settings = ServeSettings(rate_per_minute=60, rate_burst=3, warm_up=False)
    with TestClient(create_app(settings)) as limited:
        statuses = [limited.get("/api/v1/kb").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = limited.get("/api/v1/kb")
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) >= 1
        assert limited.get("/api/v1/health").status_code == 200  # not counted


def test_rate_limiter_refills_and_forgets() -> None:
    limiter = RateLimiter(per_minute=60, burst=2, max_clients=2)
    assert [limiter.allow("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 1.0]
    assert limiter.allow("a", now=1.0) == 0.0  # a token a second
    limiter.allow("b", now=1.0)
    limiter.allow("c", now=1.0)
    assert len(limiter._buckets) == 2  # bounded memory


def test_body_limit_is_enforced_while_streaming(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b"x" * 100_000  # 3 MB, chunked, no Content-Length

    response = client.post(
        "/api/v1/assess", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_body_reading_stops_at_the_limit() -> None:
    """The guard stops pulling chunks at the first byte over the limit."""
    pulled = 0

    async def receive() -> dict[str, object]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 100_000, "more_body": True}

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def app(scope: object, receive: object, send: object) -> None:
        raise AssertionError("the app must not see an oversized body")

    guard = GuardMiddleware(app, max_body_bytes=1_000_000, limiter=RateLimiter(0, 0))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/assess",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
    }
    asyncio.run(guard(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 413
    assert pulled == 11  # 1,100,000 bytes read, not the endless rest


def test_logs_never_hold_note_text(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Quetzalcoatlus"
    note = f"{secret} Smith, 52yo F, left hip pain for 4 weeks. MRI: diffuse marrow oedema."
    ok = client.post("/api/v1/assess", json={"note": note})
    bad = client.post("/api/v1/assess", json={"note": note, "case": {"id": secret}})
    page = client.get("/")
    client.post("/workbench", data={"csrf_token": csrf_of(page.text), "action": "start",
                                    "note_text": note})  # fmt: skip
    assert ok.status_code == 200 and bad.status_code == 422
    assert secret not in caplog.text
    assert f"request_id={ok.headers['x-request-id']}" in caplog.text
    line = next(
        r.getMessage() for r in caplog.records if ok.headers["x-request-id"] in r.getMessage()
    )
    assert "route=/api/v1/assess" in line and "status=200" in line and "ms=" in line


def test_workbench_state_stays_in_the_page(client: TestClient) -> None:
    """Nothing about the patient is kept on the server: the state travels in the form."""
    page = client.get("/")
    result = client.post("/workbench", data={"csrf_token": csrf_of(page.text),
                                             "action": "start", "note_text": NOTE})  # fmt: skip
    state = hidden_fields(result.text)
    assert state["note"] == NOTE.replace("\r", "")
    assert json.loads(state["case_data"])["patient"]["age"] == 46


def _serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tohip", "serve", *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})},
    )  # fmt: skip


@pytest.mark.slow
def test_refuses_to_serve_exposed_without_auth() -> None:
    result = _serve("--host", "0.0.0.0", "--port", str(free_port()))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "without authentication" in lines[0]


@pytest.mark.slow
def test_add_user_and_token_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "auth.json"
    added = _serve("--auth-file", str(path), "--add-user", "bob",
                   env={"TOHIP_PASSWORD": PASSWORD})  # fmt: skip
    assert added.returncode == 0, added.stderr
    token_line = _serve("--auth-file", str(path), "--add-token", "lab-system")
    token = token_line.stdout.strip().rsplit(" ", 1)[-1]
    config = read_auth_file(path)
    assert config.check_password("bob", PASSWORD) and config.token_owner(token) == "lab-system"
    short = _serve("--auth-file", str(path), "--add-user", "eve", env={"TOHIP_PASSWORD": "short"})
    assert short.returncode == 2 and "12 characters" in short.stderr


def test_exposed_settings_with_auth_are_accepted(auth_file: tuple[Path, str]) -> None:
    from tohip.web.settings import ExposedWithoutAuth, check_exposure

    path, _ = auth_file
    check_exposure(ServeSettings(host="0.0.0.0", auth=read_auth_file(path)))
    with pytest.raises(ExposedWithoutAuth):
        check_exposure(ServeSettings(host="10.1.2.3", auth=AuthConfig()))
    check_exposure(ServeSettings(host="::1"))


def test_password_guessing_is_throttled_per_user(auth_file: tuple[Path, str]) -> None:
    path, _ = auth_file
    with _secured(path) as browser:
        token = csrf_of(browser.get("/login").text)

        def attempt(password: str) -> int:
            form = {"csrf_token": token, "username": "alice", "password": password}
            return browser.post("/login", data=form).status_code

        assert [attempt(f"guess {k}") for k in range(5)] == [401] * 5
        assert attempt(PASSWORD) == 429  # locked, even with the right password


def test_login_throttle_window() -> None:
    from tohip.web.auth import LoginThrottle

    throttle = LoginThrottle(attempts=2, window=60)
    throttle.failed("a", now=0)
    assert throttle.wait("a", now=1) == 0
    throttle.failed("a", now=1)
    assert throttle.wait("a", now=2) == 58
    assert throttle.wait("a", now=61.5) == 0
    throttle.failed("b", now=0)
    throttle.succeeded("b")
    assert throttle.wait("b", now=0) == 0


@pytest.mark.slow
def test_the_real_server_log_holds_no_note_text() -> None:
    """``tohip serve`` as started by a user: its whole log (uvicorn's included) after a note,
    a bad request and a workbench page names routes and statuses, never the note's words."""
    import httpx

    from tests.web.conftest import start_server, stop_server

    port = free_port()
    server = start_server(port=port)
    secret = "Xylophonist"
    base = f"http://127.0.0.1:{port}"
    try:
        good = httpx.post(f"{base}/api/v1/assess", json={"note": f"{secret} hip pain 3 weeks"})
        bad = httpx.post(f"{base}/api/v1/assess", json={"note": secret, "case": {"id": secret}})
        with httpx.Client(base_url=base) as browser:
            token = csrf_of(browser.get("/").text)
            browser.post("/workbench", data={"csrf_token": token, "action": "start",
                                             "note_text": f"{secret} left hip pain"})  # fmt: skip
    finally:
        log = stop_server(server)
    assert good.status_code == 200 and bad.status_code == 422
    assert secret not in log
    assert f"request_id={good.headers['x-request-id']}" in log
    assert "route=/api/v1/assess status=200" in log and "route=/workbench status=200" in log
