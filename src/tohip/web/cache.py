"""Answers to identical API requests, kept in memory and served before routing.

``POST /api/v1/assess``, ``/extract`` and ``/plan`` are pure functions of the request body, the
day (durations and the course are counted to today) and the knowledge base. When the same caller
sends the same body again, :class:`CacheMiddleware` answers from memory without FastAPI's
routing, dependencies and validation, let alone the reader. It sits *inside*
:class:`~tohip.web.middleware.GuardMiddleware`, so a cached answer still gets a fresh request
id, the secure headers, the body limit and the rate limit, and a log line.

What it keeps, and what it never does:

- The key is a SHA-256 digest of the method, path, query, the authenticated principal (the API
  token's owner; ``-`` on a server without login), the content type, the body, the day and the
  knowledge-base version. One caller's answer is never served to another: the principal is in
  the key, and a request whose token is missing or wrong is never looked up (the app answers
  it with 401).
- Only 200 answers without cookies are kept; errors are always worked out again.
- Bounded by entries and by bytes, least recently used out first; in this process's memory
  only, never on disk. The inputs are not kept: only the digest and the answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from tohip.web.auth import AuthConfig
from tohip.web.middleware import ASGIApp, Message, Receive, Scope, Send, read_body

CACHED_PATHS = frozenset({"/api/v1/assess", "/api/v1/extract", "/api/v1/plan"})
ANONYMOUS = "-"  # the principal on a server without login (loopback)


@dataclass(frozen=True)
class CachedAnswer:
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


class AnswerStore:
    """At most ``max_entries`` answers and ``max_bytes`` bytes of them, least recently used
    out first. An answer over an eighth of ``max_bytes`` is not kept (it would push out many)."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, answer: CachedAnswer) -> None:
        if answer.size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self._entries[key] = answer
            self.bytes += answer.size
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.bytes -= evicted.size


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return b""


def principal_of(scope: Scope, auth: AuthConfig) -> str | None:
    """Who is calling, as the API authenticates it: the token's owner, ``-`` when the server
    needs no login, ``None`` when the token is missing or wrong (not cacheable)."""
    if not auth.configured:
        return ANONYMOUS
    scheme, _, token = _header(scope, b"authorization").decode("latin-1").partition(" ")
    if scheme.lower() != "bearer":
        return None
    owner = auth.token_owner(token.strip())
    return None if owner is None else "token:" + owner


def request_key(scope: Scope, principal: str, body: bytes, day: str, kb_version: str) -> str:
    digest = hashlib.sha256()
    for part in (
        scope["method"].encode(),
        scope["path"].encode(),
        bytes(scope.get("query_string", b"")),
        principal.encode(),
        _header(scope, b"content-type"),
        day.encode(),
        kb_version.encode(),
        body,
    ):  # each part prefixed by its length, so no two requests can run together alike
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class CacheMiddleware:
    """Serve repeated identical API requests from an :class:`AnswerStore` (see module doc)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: AnswerStore,
        auth: AuthConfig,
        kb_version: Callable[[], str | None],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.app = app
        self.store = store
        self.auth = auth
        self.kb_version = kb_version
        self.today = today

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            not self.store.enabled
            or scope["type"] != "http"
            or scope.get("method") != "POST"
            or scope["path"] not in CACHED_PATHS
        ):
            await self.app(scope, receive, send)
            return
        principal = principal_of(scope, self.auth)
        version = self.kb_version()
        if principal is None or version is None:
            await self.app(scope, receive, send)
            return
        body, replay = await read_body(receive)
        if body is None:  # the client went away: nobody to answer
            return
        key = request_key(scope, principal, body, self.today().isoformat(), version)
        found = self.store.get(key)
        if found is not None:
            scope["tohip.cache"] = "hit"
            await send({"type": "http.response.start", "status": 200, "headers": found.headers})
            await send({"type": "http.response.body", "body": found.body})
            return
        await self.app(scope, replay, self._keeping(key, send))

    def _keeping(self, key: str, send: Send) -> Send:
        """``send``, also keeping a complete 200 answer without cookies under ``key``."""
        status = 0
        headers: tuple[tuple[bytes, bytes], ...] = ()
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = tuple((bytes(k), bytes(v)) for k, v in message.get("headers", []))
                if any(k.lower() == b"set-cookie" for k, _ in headers):
                    status = 0
            elif message["type"] == "http.response.body" and status == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self.store.put(key, CachedAnswer(headers, b"".join(chunks)))
            await send(message)

        return keeping
