"""Running the server: ``tohip serve`` checks exposure, loads the auth file and starts uvicorn,
or manages the auth file (``--add-user``, ``--add-token``)."""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import secrets
import sys
from dataclasses import replace
from pathlib import Path

from tohip.errors import InputError
from tohip.web.auth import AuthConfig, add_token, add_user, read_auth_file
from tohip.web.settings import (
    DEFAULT_CACHE_BYTES,
    DEFAULT_CACHE_SIZE,
    ServeSettings,
    check_exposure,
)

AUTH_FILE_ENV = "TOHIP_AUTH_FILE"
PASSWORD_ENV = "TOHIP_PASSWORD"  # for scripted --add-user; otherwise the password is asked
SECRET_ENV = "TOHIP_SECRET"  # the secret signing sessions and CSRF tokens (any string)
WORKER_CONFIG_ENV = "TOHIP_SERVE_WORKER"  # how a worker process rebuilds the settings
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s pid=%(process)d %(message)s"


def auth_file_from(option: Path | None) -> Path | None:
    if option is not None:
        return option
    from_env = os.environ.get(AUTH_FILE_ENV)
    return Path(from_env) if from_env else None


def manage_auth(auth_file: Path | None, new_user: str | None, new_token: str | None) -> str:
    """Add a user or a token to the auth file; the line to show (a token is shown only now)."""
    if auth_file is None:
        raise InputError(f"--add-user and --add-token need --auth-file (or {AUTH_FILE_ENV})")
    if new_user is not None:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            if not sys.stdin.isatty():
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = getpass.getpass(f"password for {new_user}: ")
                if getpass.getpass("again: ") != password:
                    raise InputError("the two passwords differ")
        add_user(auth_file, new_user, password)
        return f"added user {new_user} to {auth_file}"
    assert new_token is not None
    token = add_token(auth_file, new_token)
    return f"API token for {new_token} (shown once; only its hash is stored): {token}"


def read_secret(secret_file: Path | None) -> bytes:
    """The server's secret: ``TOHIP_SECRET``, else the key file (created once, mode 0600), else
    a random one for this start (sessions then end when the server stops)."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return hashlib.sha256(from_env.encode()).digest()
    if secret_file is None:
        return secrets.token_bytes(32)
    try:
        descriptor = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    if secret_file.stat().st_mode & 0o077:
        raise InputError(f"{secret_file}: others can read it; chmod 600 {secret_file}")
    text = secret_file.read_text(encoding="utf-8").strip()
    if len(text) < 32:
        raise InputError(f"{secret_file}: a secret file holds at least 32 characters")
    return hashlib.sha256(text.encode()).digest()


def settings_for(
    host: str,
    port: int,
    auth_file: Path | None,
    rate_per_minute: int,
    secure_cookies: bool,
    cache_size: int = DEFAULT_CACHE_SIZE,
    *,
    cache_bytes: int = DEFAULT_CACHE_BYTES,
    workers: int = 1,
    secret_file: Path | None = None,
) -> ServeSettings:
    """Settings for a start, or ``InputError``/``ExposedWithoutAuth`` refusing it."""
    auth = read_auth_file(auth_file) if auth_file is not None else AuthConfig()
    if workers < 1:
        raise InputError("--workers must be 1 or more")
    settings = ServeSettings(
        host=host,
        port=port,
        auth=auth,
        rate_per_minute=rate_per_minute,
        secure_cookies=secure_cookies,
        cache_size=cache_size,
        cache_bytes=cache_bytes,
        workers=workers,
        secret=read_secret(secret_file),
    )
    check_exposure(settings)
    return settings


def _uvicorn_options(settings: ServeSettings, ssl_certfile: Path | None,
                     ssl_keyfile: Path | None) -> dict[str, object]:  # fmt: skip
    from tohip.web.protocol import BoundedHttpToolsProtocol

    return {
        "host": settings.host,
        "port": settings.port,
        "access_log": False,  # uvicorn's line has the query string; ours has route and status
        "server_header": False,
        "log_config": None,
        "ssl_certfile": str(ssl_certfile) if ssl_certfile else None,
        "ssl_keyfile": str(ssl_keyfile) if ssl_keyfile else None,
        # httptools parses HTTP in C; the asyncio loop (not uvloop) keeps the slowest answers
        # fair at 64 clients (BENCHMARKS, issue 11 session 5)
        "http": BoundedHttpToolsProtocol,
        "loop": "asyncio",
        "timeout_keep_alive": 5,
        "limit_concurrency": 512,
    }


def run(
    settings: ServeSettings,
    ssl_certfile: Path | None,
    ssl_keyfile: Path | None,
    auth_file: Path | None = None,
) -> None:
    import uvicorn

    from tohip.web.app import create_app

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    options = _uvicorn_options(settings, ssl_certfile, ssl_keyfile)
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    # N processes, each building its app from the environment: the same settings (the auth
    # file is read again by each) and the same secret, so a session or CSRF token signed by one
    # worker is good at every other
    os.environ[SECRET_ENV + "_BYTES"] = settings.secret.hex()
    os.environ[WORKER_CONFIG_ENV] = json.dumps({
        "host": settings.host, "port": settings.port,
        "auth_file": str(auth_file) if auth_file else None,
        "rate_per_minute": settings.rate_per_minute, "secure_cookies": settings.secure_cookies,
        "cache_size": settings.cache_size, "cache_bytes": settings.cache_bytes,
        "workers": settings.workers,
    })  # fmt: skip
    uvicorn.run(
        "tohip.web.server:worker_app",
        factory=True,
        workers=settings.workers,
        **options,  # type: ignore[arg-type]
    )


def worker_app() -> object:
    """The application of one worker process under ``tohip serve --workers N``."""
    from tohip.web.app import create_app

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    config = json.loads(os.environ[WORKER_CONFIG_ENV])
    auth_file = config.pop("auth_file")
    auth = read_auth_file(Path(auth_file)) if auth_file else AuthConfig()
    settings = ServeSettings(auth=auth, **config)
    settings = replace(settings, secret=bytes.fromhex(os.environ[SECRET_ENV + "_BYTES"]))
    check_exposure(settings)
    return create_app(settings)
