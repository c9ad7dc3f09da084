"""One ASGI middleware that every request passes first: request id, rate limit, body limit,
content type of API calls, secure headers, a log line, and a problem+json 500 for anything
unexpected.

It is pure ASGI (not Starlette's ``BaseHTTPMiddleware``) so that the body limit applies while
the body streams in: reading stops at the first byte over the limit, and the 413 goes out
without the rest being read. The log line holds the request id, method, route, status and
time only; never a body, a query string or a header value, which could carry patient data.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from tohip.web.problems import PROBLEM_MEDIA_TYPE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("tohip.web.access")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
UNLIMITED_PATHS = ("/static/", "/api/v1/health")  # not counted by the rate limit


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per client: ``per_minute`` sustained, ``burst`` at once. Bounded memory:
    the least recently seen clients are forgotten beyond ``max_clients``."""

    def __init__(self, per_minute: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, client: str, now: float | None = None) -> float:
        """0 when allowed, else the seconds to wait before the next request."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(client, None) or _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[client] = bucket
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate


_SECURE_RAW = tuple((k.encode(), v.encode()) for k, v in SECURE_HEADERS.items())
_REPLACED = frozenset({b"server", b"cache-control"})  # dropped from the app's answer, always
_NO_STORE = (b"cache-control", b"no-store")  # patient data is never cached
_STATIC_CACHE = (b"cache-control", b"public, max-age=3600")  # the stylesheet and script may be
_HSTS = (b"strict-transport-security", b"max-age=31536000")


def _with_secure_headers(
    headers: list[tuple[bytes, bytes]], request_id: str, path: str, https: bool
) -> list[tuple[bytes, bytes]]:
    """The answer's headers with the secure ones added where the app set none of its own (the
    handout's HTML sets its own policy), a request id, and Cache-Control set here always."""
    kept = [(k, v) for k, v in headers if k.lower() not in _REPLACED]
    present = {k.lower() for k, _ in kept}
    kept.extend(h for h in _SECURE_RAW if h[0] not in present)
    if b"x-request-id" not in present:
        kept.append((b"x-request-id", request_id.encode()))
    kept.append(_STATIC_CACHE if path.startswith("/static/") else _NO_STORE)
    if https and b"strict-transport-security" not in present:
        kept.append(_HSTS)
    return kept


class _TooLarge(Exception):
    pass


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class GuardMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        limiter: RateLimiter,
        client_key: Callable[[Scope], str] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.limiter = limiter
        self.client_key = client_key or _client_address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_seen = 0
        path: str = scope["path"]
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
                message["headers"] = _with_secure_headers(
                    message.get("headers", []), request_id, path, https
                )
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                await self._problem(send_with_headers, *refusal, path=path, request_id=request_id)
            else:
                try:
                    body_receive = await self._buffered(scope, receive)
                except _TooLarge:
                    await self._problem(
                        send_with_headers,
                        413,
                        f"the request body is over the limit of {self.max_body_bytes:,} bytes",
                        path=path,
                        request_id=request_id,
                    )
                else:
                    await self.app(scope, body_receive, send_with_headers)
        except Exception as exc:  # anything unexpected: a 500 problem, no trace, no input
            access_log.error(
                "unhandled %s request_id=%s route=%s", type(exc).__name__, request_id, path
            )
            if status_seen == 0:
                await self._problem(
                    send_with_headers,
                    500,
                    "an unexpected error; the administrator can look it up by the request id",
                    path=path,
                    request_id=request_id,
                )
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            route = scope.get("route")
            cached = scope.get("tohip.cache") == "hit"  # answered by the cache: a fixed path
            template = getattr(route, "path", None) or (
                path if cached else "/static/*" if path.startswith("/static/") else "(unrouted)"
            )
            access_log.info(
                "request_id=%s method=%s route=%s status=%d ms=%.1f%s",
                request_id,
                scope.get("method", "-"),
                template,
                status_seen,
                elapsed,
                " cache=hit" if cached else "",
            )

    def _refusal(self, scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        path: str = scope["path"]
        if not path.startswith(UNLIMITED_PATHS):
            wait = self.limiter.allow(self.client_key(scope))
            if wait > 0:
                return (
                    429,
                    "too many requests from this client; slow down",
                    {"retry-after": str(max(1, round(wait)))},
                )
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit():
                return 400, "the Content-Length header is not a number", {}
            if int(length) > self.max_body_bytes:
                return (
                    413,
                    f"the request body is over the limit of {self.max_body_bytes:,} bytes",
                    {},
                )
        if (
            scope.get("method") == "POST"
            and path.startswith("/api/")
            and not _is_json(_header(scope, b"content-type"))
        ):
            return 415, "send the body as application/json", {}
        return None

    async def _buffered(self, scope: Scope, receive: Receive) -> Receive:
        """Read the body up to the limit (stopping at the first byte over), then replay it."""
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return receive
        _, replay = await read_body(receive, self.max_body_bytes)
        return replay

    @staticmethod
    async def _problem(
        send: Send,
        status: int,
        detail: str,
        headers: dict[str, str] | None = None,
        *,
        path: str,
        request_id: str,
    ) -> None:
        body = json.dumps(
            {
                "type": "about:blank",
                "title": HTTPStatus(status).phrase,
                "status": status,
                "detail": detail,
                "instance": path,
                "request_id": request_id,
            }
        ).encode()
        raw = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            *((k.encode(), v.encode()) for k, v in (headers or {}).items()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


def _client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def read_body(receive: Receive, limit: int | None = None) -> tuple[bytes | None, Receive]:
    """The whole request body (``None`` on disconnect) and a ``receive`` that replays it;
    ``_TooLarge`` at the first byte over ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, receive
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
