"""Request-level security: who is calling (bearer token for the API, session cookie for the
workbench) and CSRF checks on every form. Settings and stores live on ``app.state``."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Header, HTTPException, Request
from starlette.responses import Response

from tohip.web.auth import CsrfSigner, Session, SessionCookies
from tohip.web.settings import ServeSettings

SESSION_COOKIE = "tohip_session"
BROWSER_COOKIE = "tohip_browser"  # random id binding CSRF tokens before login / without login


def settings_of(request: Request) -> ServeSettings:
    settings: ServeSettings = request.app.state.settings
    return settings


def require_token(
    request: Request, authorization: Annotated[str | None, Header(include_in_schema=False)] = None
) -> str | None:
    """API callers: anyone on loopback without auth; otherwise a valid bearer token."""
    settings = settings_of(request)
    if not settings.login_required:
        return None
    scheme, _, token = (authorization or "").partition(" ")
    owner = settings.auth.token_owner(token.strip()) if scheme.lower() == "bearer" else None
    if owner is None:
        raise HTTPException(
            401, "a valid API token is required (Authorization: Bearer <token>)",
            headers={"www-authenticate": "Bearer"},
        )  # fmt: skip
    return owner


def secure_request(request: Request) -> bool:
    return settings_of(request).secure_cookies or request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name, value, httponly=True, samesite="strict", secure=secure_request(request), path="/"
    )


def current_session(request: Request) -> Session | None:
    sessions: SessionCookies = request.app.state.sessions
    return sessions.read(request.cookies.get(SESSION_COOKIE))


def current_user(request: Request) -> str | None:
    session = current_session(request)
    return session.user if session else None


def csrf_binding(request: Request) -> tuple[str, bool]:
    """What the CSRF token is bound to (the session, else the browser cookie), and whether the
    browser cookie must be set on the response because the browser has none yet."""
    session = current_session(request)
    if session is not None:
        return "session:" + session.nonce, False
    browser = request.cookies.get(BROWSER_COOKIE)
    if browser:
        return "browser:" + browser, False
    fresh = secrets.token_urlsafe(24)
    request.state.new_browser_id = fresh
    return "browser:" + fresh, True


def csrf_token(request: Request) -> str:
    signer: CsrfSigner = request.app.state.csrf
    binding, _ = csrf_binding(request)
    return signer.token(binding)


def check_csrf(request: Request, submitted: str | None) -> None:
    signer: CsrfSigner = request.app.state.csrf
    session = current_session(request)
    browser = request.cookies.get(BROWSER_COOKIE)
    bindings = [
        f"session:{session.nonce}" if session else None,
        f"browser:{browser}" if browser else None,
    ]
    if not any(signer.valid(b, submitted) for b in bindings):
        raise HTTPException(403, "the form's security token is missing or stale; reload the page")
