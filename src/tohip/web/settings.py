"""How ``tohip serve`` runs, and the refusal to serve beyond loopback without auth. Kept free
of FastAPI so that refusing a start, or adding a user, answers at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from tohip.web.auth import AuthConfig

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
DEFAULT_CACHE_SIZE = 256
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class ServeSettings:
    """How the server runs. ``rate_per_minute`` 0 turns the rate limit off (benchmarks)."""

    host: str = "127.0.0.1"
    port: int = 8000
    auth: AuthConfig = field(default_factory=AuthConfig)
    max_body_bytes: int = 1_000_000
    rate_per_minute: int = 300
    rate_burst: int = 60
    secure_cookies: bool = False  # also set automatically for requests that arrive over https
    warm_up: bool = True
    # answers to identical assess/extract/plan requests kept in memory (tohip.web.cache); 0: none
    cache_size: int = DEFAULT_CACHE_SIZE
    cache_bytes: int = DEFAULT_CACHE_BYTES
    workers: int = 1  # processes serving; each gets 1/workers of the per-client limits
    # signs sessions and CSRF tokens; every worker of one server must get the same one
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @property
    def exposed(self) -> bool:
        return self.host not in LOOPBACK_HOSTS

    @property
    def login_required(self) -> bool:
        return self.auth.configured


class ExposedWithoutAuth(Exception):
    """Refused: bound beyond loopback with no users or tokens configured."""


def check_exposure(settings: ServeSettings) -> None:
    if settings.exposed and not settings.auth.configured:
        raise ExposedWithoutAuth(
            f"refusing to serve on {settings.host} without authentication: add a user with "
            "'tohip serve --auth-file FILE --add-user NAME' and start with --auth-file FILE "
            "(or bind to 127.0.0.1)"
        )
