"""Reading input files and standard input with a byte limit, refusing anything that is not a
regular file.

Why this exists: a path given on the command line may name a FIFO (``open`` would wait forever
for a writer), a device such as ``/dev/zero`` or ``/dev/urandom`` (endless data), a directory, or
a symbolic link to any of these. Each is checked before opening (so that a device is never
opened) and again with ``fstat`` on the open descriptor (so that a file swapped in between is
caught too); the open is non-blocking, so a FIFO cannot hang it. Reads stop one byte past the
limit, so memory is bounded whatever the file claims to be.

``supplied_input`` lets a caller hand over input already read elsewhere (the warm reader's
client reads the note itself and sends its bytes, or the error reading them gave): within it,
``read_text`` of that name decodes those bytes, or raises that error, exactly as if it had read
them now.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from tohip.errors import ReadError

CHUNK_BYTES = 1 << 16
MAX_NOTE_BYTES = 1_000_000  # a clinical note is kilobytes; a megabyte is not a note
STDIN_NAME = "-"

# name ("-" for standard input) -> the bytes read, or the message of the ReadError reading gave
Supplied = dict[str, bytes | ReadError]
_SUPPLIED: ContextVar[Supplied | None] = ContextVar("tohip_supplied_input", default=None)

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | os.O_CLOEXEC


def _kind_of(mode: int) -> str:
    """What a non-regular file is, in words a user recognises."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_special(path: str, mode: int, kind: str) -> None:
    if not stat.S_ISREG(mode):
        raise ReadError(f"{path}: is {_kind_of(mode)}, not a {kind} file")


def _too_large(origin: str, limit: int, kind: str) -> ReadError:
    return ReadError(f"{origin}: too large for a {kind} (limit {limit:,} bytes)")


def _read_bounded(fd: int, limit: int) -> bytes:
    """At most ``limit + 1`` bytes from ``fd``: one more than allowed shows the input is too big."""
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = os.read(fd, min(CHUNK_BYTES, remaining))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_file_bytes(path: str | Path, *, limit: int, kind: str) -> bytes:
    """The bytes of a regular file, at most ``limit``; ``ReadError`` naming the file otherwise.

    ``kind`` says what the file should be ("case", "note", "visit") for the message.
    """
    name = str(path)
    try:
        _refuse_special(name, os.stat(name).st_mode, kind)
        fd = os.open(name, _OPEN_FLAGS)
    except FileNotFoundError:
        raise ReadError(f"{name}: no such file") from None
    except NotADirectoryError:
        raise ReadError(f"{name}: no such file (a part of the path is not a folder)") from None
    except OSError as exc:
        raise ReadError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        _refuse_special(name, info.st_mode, kind)
        if info.st_size > limit:
            raise _too_large(name, limit, kind)
        raw = _read_bounded(fd, limit)
    except OSError as exc:
        raise ReadError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise _too_large(name, limit, kind)
    return raw


def read_stdin_bytes(*, limit: int, kind: str) -> bytes:
    """Standard input, at most ``limit`` bytes; a closed or unreadable stdin is a ``ReadError``."""
    origin = "standard input"
    if sys.stdin is None:
        raise ReadError(f"{origin} is closed; give a file or pipe the {kind} in")
    try:
        fd = sys.stdin.fileno()
        os.fstat(fd)
        raw = _read_bounded(fd, limit)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "closed"
        raise ReadError(f"{origin} cannot be read ({reason})") from None
    if len(raw) > limit:
        raise _too_large(origin, limit, kind)
    return raw


def decode_text(raw: bytes, origin: str, kind: str) -> str:
    """UTF-8 text (a byte-order mark is allowed); binary data and NUL bytes are refused."""
    if b"\x00" in raw:
        raise ReadError(
            f"{origin}: contains NUL bytes; this looks like a binary file, not UTF-8 text"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{origin}: not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x}); save the "
            f"{kind} as UTF-8"
        ) from None
    return text


@contextlib.contextmanager
def supplied_input(supplied: Supplied) -> Iterator[None]:
    """Within the block, ``read_text`` takes the named inputs from ``supplied`` (bytes read
    with the same limit, or the ``ReadError`` reading them raised) instead of reading them."""
    token = _SUPPLIED.set(supplied)
    try:
        yield
    finally:
        _SUPPLIED.reset(token)


def read_input_bytes(name: str, *, limit: int, kind: str) -> bytes | ReadError:
    """What ``read_text`` would read for ``name`` (a path, or ``-``): its bytes, or the error."""
    try:
        if name == STDIN_NAME:
            return read_stdin_bytes(limit=limit, kind=kind)
        return read_file_bytes(name, limit=limit, kind=kind)
    except ReadError as exc:
        return exc


def _supplied(name: str) -> bytes | None:
    """The bytes supplied for ``name`` (raising the supplied error), or None if none were."""
    supplied = _SUPPLIED.get()
    if supplied is None or name not in supplied:
        return None
    raw = supplied[name]
    if isinstance(raw, ReadError):
        raise ReadError(str(raw))
    return raw


def read_file_text(path: str | Path, *, limit: int, kind: str) -> str:
    """A UTF-8 text file (never standard input), at most ``limit`` bytes."""
    name = str(path)
    raw = _supplied(name)
    return decode_text(read_file_bytes(name, limit=limit, kind=kind) if raw is None else raw,
                       name, kind)  # fmt: skip


def read_text(path: str | Path, *, limit: int, kind: str) -> str:
    """A UTF-8 text file, or standard input for ``-``, at most ``limit`` bytes."""
    name = str(path)
    if name != STDIN_NAME:
        return read_file_text(name, limit=limit, kind=kind)
    raw = _supplied(name)
    if raw is None:
        raw = read_stdin_bytes(limit=limit, kind=kind)
    return decode_text(raw, "standard input", kind)


def read_note(path: str | Path) -> str:
    """A free-text note from a file, or from standard input for ``-``.

    A note with no text is refused, as an empty case file is: assessing it would print the
    population prior as if it were an answer for a patient.
    """
    text = read_text(path, limit=MAX_NOTE_BYTES, kind="note")
    if not text.strip():
        origin = "standard input" if str(path) == STDIN_NAME else str(path)
        raise ReadError(f"{origin}: the note is empty")
    return text


def gunzip_bounded(raw: bytes, *, limit: int, origin: str) -> bytes:
    """The decompressed content of gzip data, refused once it passes ``limit`` bytes.

    A few hundred kilobytes of gzip can expand to gigabytes; decompression stops at the limit
    instead of filling memory.
    """
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    chunks: list[bytes] = []
    total = 0
    pending = raw
    try:
        while pending and not inflater.eof:
            chunk = inflater.decompress(pending, CHUNK_BYTES)
            total += len(chunk)
            if total > limit:
                raise ReadError(f"{origin}: expands to more than {limit:,} bytes")
            chunks.append(chunk)
            pending = inflater.unconsumed_tail
    except zlib.error:
        raise ReadError(f"{origin}: not gzip data, or damaged") from None
    if not inflater.eof:
        raise ReadError(f"{origin}: the gzip data is truncated")
    return b"".join(chunks)
