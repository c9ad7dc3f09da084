"""The HTTP parser's bound on the request head (tohip.web.protocol), on a real server."""

from __future__ import annotations

import contextlib
import socket
from urllib.parse import urlsplit

import httpx

from tohip.web.protocol import MAX_HEAD_BYTES


def _raw_get(base: str, header_bytes: int) -> bytes:
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=30) as s:
        head = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * header_bytes
        # refused before all of it was sent: the answer is still there to read
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            s.sendall(head + b"\r\n\r\n")
        return s.recv(200)


def test_an_endless_request_head_is_refused(live_server: str) -> None:
    assert _raw_get(live_server, 8_000).startswith(b"HTTP/1.1 200")
    refused = _raw_get(live_server, 8 * MAX_HEAD_BYTES)
    assert refused.startswith(b"HTTP/1.1 431")


def test_a_large_body_is_not_taken_for_a_large_head(live_server: str) -> None:
    note = "Right hip pain for five weeks. " * 30_000  # ~900 KB, under the 1 MB body limit
    with httpx.Client(timeout=300) as client:
        answer = client.post(f"{live_server}/api/v1/extract", json={"note": note})
        after = client.get(f"{live_server}/api/v1/health")  # the same connection goes on
    assert answer.status_code != 431 and answer.status_code < 500
    assert after.status_code == 200
