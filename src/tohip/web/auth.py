"""Who may use an exposed server: users (argon2id password hashes) for the workbench, API
tokens (stored as SHA-256 digests) for programs, login sessions and CSRF tokens.

Bound to loopback, tohip needs no login: only the person at the machine can reach it. Bound to
any other address, ``tohip serve`` refuses to start unless an auth file names at least one user
or token. The file is JSON::

    {"users": {"alice": "$argon2id$v=19$..."}, "tokens": {"ehr-bridge": "sha256:9f86..."}}

and is written by ``tohip serve --auth-file F --add-user NAME`` (asks for the password) and
``--add-token NAME`` (prints a new token once). Passwords are hashed with argon2id, a slow
memory-hard hash, because people choose guessable passwords. Tokens are 256 random bits, which
cannot be guessed, so a fast SHA-256 digest protects them as well as argon2 would, without
costing tens of milliseconds on every API call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tohip.errors import InputError

_hasher = PasswordHasher()
# verified against when the user name is unknown, so timing does not reveal which names exist
_DUMMY_HASH = _hasher.hash("not a password of anyone")
SESSION_IDLE_SECONDS = 30 * 60
SESSION_MAX_SECONDS = 10 * 60 * 60
MAX_SESSIONS = 10_000


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class AuthConfig:
    users: dict[str, str] = field(default_factory=dict)  # name -> argon2 hash
    tokens: dict[str, str] = field(default_factory=dict)  # name -> sha256 digest

    @property
    def configured(self) -> bool:
        return bool(self.users or self.tokens)

    def check_password(self, user: str, password: str) -> bool:
        stored = self.users.get(user)
        try:
            return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def token_owner(self, token: str) -> str | None:
        digest = token_digest(token)
        owner = None
        for name, stored in self.tokens.items():  # compare with all, in constant time each
            if hmac.compare_digest(stored, digest):
                owner = name
        return owner


def read_auth_file(path: Path) -> AuthConfig:
    """The users and tokens in ``path``; ``InputError`` naming the problem when unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such auth file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON auth file ({exc})") from None
    if not isinstance(data, dict) or set(data) - {"users", "tokens"}:
        raise InputError(f'{path}: an auth file is {{"users": {{...}}, "tokens": {{...}}}}')
    users = data.get("users", {})
    tokens = data.get("tokens", {})
    for kind, entries, prefix in (("users", users, "$argon2"), ("tokens", tokens, "sha256:")):
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.startswith(prefix)
            for k, v in entries.items()
        ):
            raise InputError(f"{path}: {kind} must map names to {prefix}... hashes")
    return AuthConfig(users=dict(users), tokens=dict(tokens))


def _write_auth_file(path: Path, config: AuthConfig) -> None:
    text = json.dumps({"users": config.users, "tokens": config.tokens}, indent=2) + "\n"
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.chmod(0o600)
    temp.replace(path)


def _existing(path: Path) -> AuthConfig:
    return read_auth_file(path) if path.exists() else AuthConfig()


def add_user(path: Path, name: str, password: str) -> None:
    if not name.strip() or len(password) < 12:
        raise InputError("a user needs a name and a password of at least 12 characters")
    config = _existing(path)
    _write_auth_file(
        path, AuthConfig({**config.users, name: hash_password(password)}, config.tokens)
    )


def add_token(path: Path, name: str) -> str:
    """A new API token for ``name``; only its digest is stored, so show it to the user now."""
    if not name.strip():
        raise InputError("a token needs a name (who or what uses it)")
    token = secrets.token_urlsafe(32)
    config = _existing(path)
    _write_auth_file(path, AuthConfig(config.users, {**config.tokens, name: token_digest(token)}))
    return token


@dataclass
class _Session:
    user: str
    created: float
    seen: float


class SessionStore:
    """Login sessions held in memory (a restart logs everyone out, which is the safe failure)."""

    def __init__(self) -> None:
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def create(self, user: str) -> str:
        session_id = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions, key=lambda k: self._sessions[k].seen)
                del self._sessions[oldest]
            self._sessions[session_id] = _Session(user, now, now)
        return session_id

    def user(self, session_id: str | None) -> str | None:
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if (
                now - session.seen > SESSION_IDLE_SECONDS
                or now - session.created > SESSION_MAX_SECONDS
            ):
                del self._sessions[session_id]
                return None
            session.seen = now
            return session.user

    def end(self, session_id: str | None) -> None:
        with self._lock:
            self._sessions.pop(session_id or "", None)


class CsrfSigner:
    """CSRF tokens bound to the browser: an HMAC of its session id (or, before login, of a
    random per-browser cookie) under a key made fresh at each start."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def token(self, binding: str) -> str:
        return hmac.new(self._key, b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()

    def valid(self, binding: str | None, token: str | None) -> bool:
        if not binding or not token:
            return False
        return hmac.compare_digest(self.token(binding), token)


class LoginThrottle:
    """Slows password guessing per user name: after ``attempts`` failures within ``window``
    seconds, that name is refused (even with the right password) until the window has passed.
    The per-client rate limit covers guessing across many names."""

    def __init__(self, attempts: int = 5, window: float = 15 * 60, max_names: int = 10_000):
        self.attempts = attempts
        self.window = window
        self.max_names = max_names
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, user: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(user, []) if now - t < self.window]
        if kept:
            self._failures[user] = kept
        else:
            self._failures.pop(user, None)
        return kept

    def wait(self, user: str, now: float | None = None) -> float:
        """Seconds until ``user`` may try again; 0 when allowed now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(user, now)
            if len(recent) < self.attempts:
                return 0.0
            return self.window - (now - recent[-self.attempts])

    def failed(self, user: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if user not in self._failures and len(self._failures) >= self.max_names:
                self._failures.pop(next(iter(self._failures)))
            self._failures.setdefault(user, []).append(now)

    def succeeded(self, user: str) -> None:
        with self._lock:
            self._failures.pop(user, None)
