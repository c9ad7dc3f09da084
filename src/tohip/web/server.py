"""Running the server: ``tohip serve`` checks exposure, loads the auth file and starts uvicorn,
or manages the auth file (``--add-user``, ``--add-token``)."""

from __future__ import annotations

import getpass
import logging
import os
import sys
from pathlib import Path

from tohip.errors import InputError
from tohip.web.auth import AuthConfig, add_token, add_user, read_auth_file
from tohip.web.settings import ServeSettings, check_exposure

AUTH_FILE_ENV = "TOHIP_AUTH_FILE"
PASSWORD_ENV = "TOHIP_PASSWORD"  # for scripted --add-user; otherwise the password is asked


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


def settings_for(
    host: str,
    port: int,
    auth_file: Path | None,
    rate_per_minute: int,
    secure_cookies: bool,
    cache_size: int = 0,
) -> ServeSettings:
    """Settings for a start, or ``InputError``/``ExposedWithoutAuth`` refusing it."""
    auth = read_auth_file(auth_file) if auth_file is not None else AuthConfig()
    settings = ServeSettings(
        host=host,
        port=port,
        auth=auth,
        rate_per_minute=rate_per_minute,
        secure_cookies=secure_cookies,
        cache_size=cache_size,
    )
    check_exposure(settings)
    return settings


def run(settings: ServeSettings, ssl_certfile: Path | None, ssl_keyfile: Path | None) -> None:
    import uvicorn

    from tohip.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,  # uvicorn's line has the query string; ours has route and status only
        server_header=False,
        log_config=None,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        timeout_keep_alive=5,
        limit_concurrency=512,
        h11_max_incomplete_event_size=64 * 1024,
    )
