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

import base64
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


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose (sessions, CSRF) from the server's one secret, so that every
    worker process started with the same secret signs and checks alike."""
    return hmac.new(secret, b"tohip key: " + purpose.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Session:
    user: str
    nonce: str  # random per login: what CSRF tokens are bound to
    created: float
    seen: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionCookies:
    """Login sessions carried in the browser's cookie, signed (HMAC-SHA256) with a key derived
    from the server's secret, so any worker process can check them and none keeps them.

    The cookie holds the user name, a random nonce, when the session began and when it was
    last seen (renewed at most once a minute), and a tag of the user's password hash: changing
    a password or removing the user ends that user's sessions. A session ends after
    ``SESSION_IDLE_SECONDS`` unseen or ``SESSION_MAX_SECONDS`` in all. Logging out deletes the
    cookie; a copy of it taken before stays valid until the idle limit (no server-side store),
    so the cookie is HttpOnly and SameSite=Strict, and Secure behind TLS.
    """

    RENEW_AFTER = 60.0

    def __init__(self, key: bytes, auth: AuthConfig) -> None:
        self._key = key
        self._auth = auth

    def _tag(self, user: str) -> str:
        stored = self._auth.users.get(user, "")
        return hashlib.sha256(stored.encode()).hexdigest()[:16]

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, b"session:" + payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, user: str, *, nonce: str | None = None, created: float | None = None) -> str:
        now = time.time()
        fields = {
            "u": user,
            "n": nonce or secrets.token_urlsafe(16),
            "c": round(created if created is not None else now, 3),
            "s": round(now, 3),
            "p": self._tag(user),
        }
        payload = _b64(json.dumps(fields, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def read(self, cookie: str | None, now: float | None = None) -> Session | None:
        """The session in ``cookie``; ``None`` when absent, forged, expired or revoked."""
        if not cookie or len(cookie) > 4096:
            return None
        payload, _, signature = cookie.rpartition(".")
        if not hmac.compare_digest(self._sign(payload), signature):
            return None
        try:
            fields = json.loads(_unb64(payload))
            session = Session(str(fields["u"]), str(fields["n"]), float(fields["c"]),
                              float(fields["s"]))  # fmt: skip
            tag = str(fields["p"])
        except (ValueError, KeyError, TypeError):
            return None
        now = time.time() if now is None else now
        if (
            session.user not in self._auth.users
            or not hmac.compare_digest(tag, self._tag(session.user))
            or now - session.seen > SESSION_IDLE_SECONDS
            or now - session.created > SESSION_MAX_SECONDS
            or session.seen > now + 60  # from the future: a clock gone wrong, refuse
        ):
            return None
        return session

    def renewed(self, session: Session, now: float | None = None) -> str | None:
        """A fresh cookie for a session last renewed over a minute ago, else ``None``."""
        now = time.time() if now is None else now
        if now - session.seen < self.RENEW_AFTER:
            return None
        return self.issue(session.user, nonce=session.nonce, created=session.created)


class CsrfSigner:
    """CSRF tokens bound to the browser: an HMAC of its session's nonce (or, before login, of a
    random per-browser cookie) under a key derived from the server's secret."""

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
