"""uvicorn's httptools protocol with a bound on the request head.

httptools parses HTTP in C and answers cached requests at about 1.5 times the rate of the
pure-Python h11 (BENCHMARKS, issue 11 session 5), but unlike h11 (whose
``h11_max_incomplete_event_size`` tohip set to 64 KiB) it keeps reading a request line and
headers of any length into memory. This subclass stops a head that has not ended within
:data:`MAX_HEAD_BYTES` (give or take one read of at most 256 KiB): the client gets
``431 Request Header Fields Too Large`` and the connection is closed.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 64 * 1024
_MESSAGE = b"the request line and headers are too long\n"
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: " + str(len(_MESSAGE)).encode() + b"\r\n"
    b"connection: close\r\n\r\n" + _MESSAGE
)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """Counts the bytes of each request's head as they arrive. A chunk in which a request
    ended is not counted (the next request's head may begin in it), so the bound holds to
    within one read (asyncio reads at most 256 KiB at a time)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._ended_in_chunk = False

    def data_received(self, data: bytes) -> None:
        self._ended_in_chunk = False
        super().data_received(data)
        if self._ended_in_chunk or not self._in_head or self.transport.is_closing():
            return
        self._head_bytes += len(data)
        if self._head_bytes > MAX_HEAD_BYTES:
            self.logger.warning("request head over %d bytes: refused", MAX_HEAD_BYTES)
            self.transport.write(_TOO_LARGE)
            self.transport.close()

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True
        self._head_bytes = 0
        self._ended_in_chunk = True
