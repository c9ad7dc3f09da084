"""``tohip serve --workers N``: sessions, CSRF tokens and limits that hold across worker
processes, because they are signed with one shared secret instead of kept in one process."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import NOTE, csrf_of, free_port, start_server, stop_server
from tohip.web.auth import (
    SESSION_IDLE_SECONDS,
    SESSION_MAX_SECONDS,
    AuthConfig,
    SessionCookies,
    add_token,
    add_user,
    derive_key,
    hash_password,
    read_auth_file,
)
from tohip.web.server import read_secret

PASSWORD = "correct horse battery staple"


def _cookies(key: bytes = b"k" * 32, users: dict[str, str] | None = None) -> SessionCookies:
    return SessionCookies(key, AuthConfig(users=users or {"alice": hash_password(PASSWORD)}))


def test_a_session_cookie_is_checked_by_any_holder_of_the_key() -> None:
    alice = {"alice": hash_password(PASSWORD)}
    cookie = _cookies(users=alice).issue("alice")
    session = _cookies(users=alice).read(cookie)  # another process, the same secret
    assert session is not None and session.user == "alice"
    assert _cookies(b"x" * 32, alice).read(cookie) is None  # another secret
    payload, _, signature = cookie.rpartition(".")
    forged = payload.replace(payload[5], "A" if payload[5] != "A" else "B") + "." + signature
    assert _cookies(users=alice).read(forged) is None
    assert _cookies(users=alice).read("garbage") is None
    assert _cookies(users=alice).read("") is None


def test_a_session_ends_when_idle_too_long_or_the_password_changes() -> None:
    alice = {"alice": hash_password(PASSWORD)}
    cookies = _cookies(users=alice)
    cookie = cookies.issue("alice")
    now = time.time()
    assert cookies.read(cookie, now=now + SESSION_IDLE_SECONDS - 5) is not None
    assert cookies.read(cookie, now=now + SESSION_IDLE_SECONDS + 5) is None
    assert _cookies(users={"alice": hash_password("another long password")}).read(cookie) is None
    assert _cookies(users={"bob": alice["alice"]}).read(cookie) is None  # user removed
    session = cookies.read(cookie)
    assert session is not None
    assert cookies.renewed(session, now=now + 10) is None  # renewed at most once a minute
    renewed = cookies.renewed(session, now=now + 120)
    assert renewed is not None
    again = cookies.read(renewed)
    assert again is not None and again.nonce == session.nonce  # CSRF tokens stay good
    assert again.created == pytest.approx(session.created, abs=0.01)
    # renewal never stretches a session past its maximum age
    late = cookies.read(renewed, now=session.created + SESSION_MAX_SECONDS + 1)
    assert late is None


def test_keys_are_derived_per_purpose() -> None:
    secret = b"s" * 32
    assert derive_key(secret, "sessions") != derive_key(secret, "csrf")
    assert derive_key(secret, "csrf") == derive_key(secret, "csrf")
    assert derive_key(b"t" * 32, "csrf") != derive_key(secret, "csrf")


def test_the_secret_file_is_made_once_and_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TOHIP_SECRET", raising=False)
    path = tmp_path / "secret"
    first = read_secret(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert read_secret(path) == first  # kept: sessions outlive a restart
    assert read_secret(None) != read_secret(None)  # none given: fresh at each start
    path.chmod(0o644)
    with pytest.raises(Exception, match="chmod 600"):
        read_secret(path)
    monkeypatch.setenv("TOHIP_SECRET", "a secret from the environment, long enough")
    assert read_secret(None) == read_secret(None)


@pytest.mark.slow
def test_login_csrf_and_limits_across_two_workers(tmp_path: Path) -> None:
    """A real ``tohip serve --workers 2``: every request on a new connection, so either worker
    process may answer; login, pages and forms work whichever does. Which worker the kernel
    hands a connection to is not under the test's control, so the session and the CSRF token
    are also carried to a second, separate server with the same secret file: that shows
    deterministically that they hold in any process with the key, not only in the one that made
    them."""
    auth = tmp_path / "auth.json"
    add_user(auth, "alice", PASSWORD)
    token = add_token(auth, "ehr-bridge")
    assert read_auth_file(auth).configured
    port = free_port()
    env_secret = os.environ.pop("TOHIP_SECRET", None)
    secret = tmp_path / "secret"
    shared = ("--auth-file", str(auth), "--secret-file", str(secret), "--rate-limit", "120")
    server = start_server("--workers", "2", *shared, port=port)
    base = f"http://127.0.0.1:{port}"
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    try:
        with httpx.Client(base_url=base, limits=no_reuse, follow_redirects=False) as browser:
            login = csrf_of(browser.get("/login").text)
            right = browser.post("/login", data={"csrf_token": login, "username": "alice",
                                                 "password": PASSWORD})  # fmt: skip
            assert right.status_code == 303, right.text
            for _ in range(6):  # pages and forms, each answered by either worker
                home = browser.get("/")
                assert home.status_code == 200 and "alice" in home.text
                form = {"csrf_token": csrf_of(home.text), "action": "start", "note_text": NOTE}
                result = browser.post("/workbench", data=form)
                assert result.status_code == 200, result.text[:300]
            other_port = free_port()
            other = start_server(*shared, port=other_port)
            try:
                elsewhere = f"http://127.0.0.1:{other_port}"
                page = browser.get(f"{elsewhere}/")  # the session cookie made by the first server
                assert page.status_code == 200 and "alice" in page.text
                form = {"csrf_token": csrf_of(home.text), "action": "start", "note_text": NOTE}
                assert browser.post(f"{elsewhere}/workbench", data=form).status_code == 200
            finally:
                stop_server(other)
            forged = browser.post("/workbench", data={"csrf_token": "0" * 64, "action": "start",
                                                      "note_text": NOTE})  # fmt: skip
            assert forged.status_code == 403
            logout = browser.post("/logout", data={"csrf_token": csrf_of(browser.get("/").text)})
            assert logout.status_code == 303
            assert browser.get("/").headers["location"] == "/login"
        api = {"authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, limits=no_reuse) as program:
            started = time.monotonic()
            codes = [program.post("/api/v1/assess", json={"note": NOTE}, headers=api).status_code
                     for _ in range(90)]  # fmt: skip
            elapsed = time.monotonic() - started
        # burst 60 and 2 a second, split over 2 workers (30 and 1 a second each): together
        # never more than one process with the whole limit would allow (each alone: 60)
        assert set(codes) == {200, 429}
        assert codes.count(200) <= 60 + 2 * elapsed + 2, (codes.count(200), elapsed)
    finally:
        log = stop_server(server)
        if env_secret is not None:
            os.environ["TOHIP_SECRET"] = env_secret
    workers = set(re.findall(r"Started server process \[(\d+)\]", log))
    assert len(workers) == 2, "--workers 2 did not start two server processes"
