"""The application factory: ``create_app(settings)`` wires the API, the workbench pages, the
static files, the problem+json handlers and the guard middleware."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from tohip._version import __version__
from tohip.web import api, pages
from tohip.web.auth import CsrfSigner, LoginThrottle, SessionCookies, derive_key
from tohip.web.cache import AnswerStore, CacheMiddleware
from tohip.web.middleware import GuardMiddleware, RateLimiter
from tohip.web.problems import install_problem_handlers
from tohip.web.settings import ServeSettings

_log = logging.getLogger("tohip.web")
LOGIN_ATTEMPTS = 5  # failed logins per user name in 15 minutes, across all workers


def create_app(settings: ServeSettings | None = None) -> FastAPI:
    settings = settings or ServeSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from tohip.kb.loader import load_knowledge_base
        from tohip.web.service import warm_up

        if settings.warm_up:
            await run_in_threadpool(warm_up)
        app.state.kb_version = load_knowledge_base().version
        app.state.ready = True
        _log.info("ready: knowledge base %s", app.state.kb_version)
        yield

    app = FastAPI(
        title="tohip",
        version=__version__,
        summary="Decision support for transient osteoporosis of the hip and its mimics",
        description="Every error is an RFC 9457 problem (application/problem+json). tohip is "
        "decision support for clinicians; it does not diagnose.",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; the schema is at
        redoc_url=None,  # /openapi.json
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.ready = False
    app.state.sessions = SessionCookies(derive_key(settings.secret, "sessions"), settings.auth)
    app.state.csrf = CsrfSigner(derive_key(settings.secret, "csrf"))
    # limits are kept per process: each of N workers allows 1/N, so together never more
    workers = max(1, settings.workers)
    app.state.login_throttle = LoginThrottle(attempts=max(1, LOGIN_ATTEMPTS // workers))
    app.state.cache = AnswerStore(settings.cache_size, settings.cache_bytes)
    install_problem_handlers(app)

    @app.exception_handler(pages.LoginNeeded)
    async def _login(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/login", status_code=303)

    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("tohip.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    # the cache answers inside the guard: request id, headers, limits and the log still apply
    app.add_middleware(
        CacheMiddleware,
        store=app.state.cache,
        auth=settings.auth,
        kb_version=lambda: getattr(app.state, "kb_version", None),
    )
    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        limiter=RateLimiter(
            settings.rate_per_minute / workers, max(1, settings.rate_burst // workers)
        ),
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the assess response described as the CLI writes it."""
    if app.openapi_schema:
        return app.openapi_schema
    document = FastAPI.openapi(app)
    schema, definitions = api.assess_response_schema()
    document.setdefault("components", {}).setdefault("schemas", {}).update(definitions)
    ok = document["paths"]["/api/v1/assess"]["post"]["responses"]["200"]
    ok["content"]["application/json"]["schema"] = schema
    app.openapi_schema = document
    return document
