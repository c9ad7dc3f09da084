"""``tohip warm start|stop|status``: start the warm reader and wait until it is ready, stop it,
or say whether one runs and whether it is of this build."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from typing import Any

from tohip.cli.warm.client import ask
from tohip.cli.warm.common import (
    DEFAULT_TIMEOUT_SECONDS,
    PROTOCOL,
    Unusable,
    check_socket,
    fingerprint,
    make_private_directory,
    socket_path,
)
from tohip.errors import TohipError

START_TIMEOUT_SECONDS = 300.0


class WarmError(TohipError):
    """The warm reader could not be started or reached (exit status 2)."""

    exit_code = 2


def query(op: str) -> dict[str, Any] | None:
    """The running reader's answer to ``op``, or None when none answers."""
    path = socket_path()
    try:
        check_socket(path)
    except Unusable:
        return None
    answer = ask(path, {"protocol": PROTOCOL, "op": op}, DEFAULT_TIMEOUT_SECONDS)
    return answer if answer is not None and answer.get("status") in ("ok", "stopping") else None


def describe(answer: dict[str, Any]) -> tuple[str, bool]:
    current = answer.get("build") == fingerprint()
    state = "this build" if current else "another build (stale: stop it and start it again)"
    return (f"warm reader running, pid {answer.get('pid')}, {state}, {answer.get('requests')} "
            f"request(s), idle exit after {answer.get('idle_seconds'):g} s, socket "
            f"{answer.get('socket')}"), current  # fmt: skip


def start(idle: float, time_limit: float) -> str:
    """Start a reader and return once it answers; ``WarmError`` with its reason otherwise."""
    running = query("status")
    if running is not None:
        return "already running: " + describe(running)[0]
    try:
        make_private_directory()
    except (OSError, Unusable) as exc:
        raise WarmError(f"cannot use the socket folder: {exc}") from None
    command = [sys.executable, "-m", "tohip.cli.warm.server", "--idle", f"{idle:g}",
               "--time-limit", f"{time_limit:g}"]  # fmt: skip
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True,
    )  # fmt: skip
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([process.stdout], [], [], left)[0]:
            process.kill()
            raise WarmError("the warm reader did not become ready in time")
        chunk = os.read(process.stdout.fileno(), 4096)
        if not chunk:
            break
        line += chunk
    process.stdout.close()
    text = line.decode("utf-8", "replace").strip()
    if not text.startswith("ready"):
        process.wait(timeout=30)
        reason = text.removeprefix("error: ") or f"exited with status {process.returncode}"
        raise WarmError(f"the warm reader did not start: {reason}")
    return f"warm reader ready, pid {process.pid}, socket {socket_path()}"


def stop() -> str:
    answer = query("stop")
    if answer is None:
        return "no warm reader running"
    path = socket_path()
    deadline = time.monotonic() + 10
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return f"warm reader stopped (pid {answer.get('pid')})"
