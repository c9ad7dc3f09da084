"""Fixtures for the web layer: an in-process app (TestClient) and a real ``tohip serve``."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape

import httpx
import pytest
from fastapi.testclient import TestClient

from tohip.web import ServeSettings, create_app

NOTE = (
    "46yo M with right hip pain for 5 weeks, sudden onset, no trauma, limping. No fever.\n"
    "XR right hip: regional osteopenia of the femoral head and neck; joint space preserved.\n"
    "MRI: diffuse bone marrow oedema of the femoral head and neck. No double line sign, no\n"
    "subchondral fracture line.\n"
)


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The app on loopback defaults (no login), started once; the rate limit is off so the
    many tests do not trip it (its own tests build their own app)."""
    with TestClient(create_app(ServeSettings(rate_per_minute=0))) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden state a workbench page carries (csrf, note, case data, entered)."""
    return {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(*args: str, port: int) -> subprocess.Popen[bytes]:
    """``tohip serve`` as a user starts it; waits until health answers 200."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tohip", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tohip serve exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("tohip serve did not become healthy in 90 s")


def stop_server(process: subprocess.Popen[bytes]) -> str:
    """Stop the server; its standard error (the log)."""
    process.terminate()
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err.decode()


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """A real ``tohip serve`` on a free loopback port, for the browser."""
    port = free_port()
    process = start_server(port=port)
    yield f"http://127.0.0.1:{port}"
    stop_server(process)
