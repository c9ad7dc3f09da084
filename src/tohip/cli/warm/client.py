"""The thin client: before the console entry point imports Typer, pydantic or Rich, hand an
``assess``/``extract`` of a note to this user's warm reader, if one of the same build runs.

Only request shapes parsed here exactly are forwarded: the command, one input path (a note,
``-``, or a ``.json`` case for ``assess``) and at most one each of ``--format``/``-f``
(``text`` or ``json``) and ``--note-date`` (``YYYY-MM-DD``, checked as Typer checks it).
Anything else (``--help``, ``--``, a repeated or unknown option, an invalid date) goes to the
ordinary command untouched, so argument errors stay Typer's. The client reads the input itself,
with the command's own reader and limits, and sends its bytes (or the error reading gave); the
server never opens a client's path. Standard output is written only from a complete,
well-formed answer; if there is none, the input already read is handed to the in-process
command, so nothing is read twice. Standard library only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from tohip.cli.warm.common import (
    DEFAULT_TIMEOUT_SECONDS,
    MAX_RESPONSE_BYTES,
    OUTPUT_ENV,
    PROTOCOL,
    TIMEOUT_ENV,
    WARM_ENV,
    Unusable,
    check_socket,
    encode,
    fingerprint,
    is_off,
    receive,
    socket_path,
    terminal_size,
)
from tohip.errors import ReadError
from tohip.io.reading import MAX_NOTE_BYTES

COMMANDS = ("assess", "extract")
FORMATS = ("text", "json")


def forwardable(argv: list[str]) -> str | None:
    """The input path (a note, ``-``, or for ``assess`` a ``.json`` case) of a request the warm
    reader may answer, or None."""
    if not argv or argv[0] not in COMMANDS:
        return None
    seen: dict[str, str] = {}
    paths: list[str] = []
    rest = argv[1:]
    i = 0
    while i < len(rest):
        token = rest[i]
        name, equals, value = token.partition("=")
        if token.startswith("--") and equals and name in ("--format", "--note-date"):
            pass
        elif token in ("--format", "-f", "--note-date") and i + 1 < len(rest):
            name, value = token, rest[i + 1]
            i += 1
        elif token == "-" or not token.startswith("-"):
            paths.append(token)
            i += 1
            continue
        else:
            return None
        key = "--format" if name in ("--format", "-f") else name
        if key in seen:
            return None
        seen[key] = value
        i += 1
    if len(paths) != 1:
        return None
    if seen.get("--format", "text") not in FORMATS:
        return None
    if "--note-date" in seen:
        import datetime as dt

        try:
            dt.datetime.strptime(seen["--note-date"], "%Y-%m-%d")
        except ValueError:
            return None
    return paths[0]


def input_kind(command: str, name: str) -> str:
    """What the command reads ``name`` as (its word in error messages): ``assess`` reads a
    ``.json`` path as a structured case (of at most ``MAX_NOTE_BYTES`` too), anything else as a
    note."""
    structured = command == "assess" and name != "-" and name.lower().endswith(".json")
    return "case" if structured else "note"


def supplied_names(name: str, data: bytes | ReadError) -> dict[str, bytes | ReadError]:
    """The input under each name the command may read it by (a case file as ``Path(name)``)."""
    return {name: data, str(Path(name)): data}


def _prog_name() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "tohip"
    return "python -m tohip" if name == "__main__.py" else name


def _timeout() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_TIMEOUT_SECONDS


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def request_for(argv: list[str], name: str, note: bytes | ReadError) -> dict[str, Any]:
    """The message asking the warm reader to run ``argv`` on ``note``."""
    import base64

    request: dict[str, Any] = {
        "protocol": PROTOCOL,
        "op": "run",
        "build": fingerprint(),
        "argv": argv,
        "prog": _prog_name(),
        "name": name,
        "env": {k: os.environ[k] for k in OUTPUT_ENV if k in os.environ},
        "terminal": terminal_size(),
        "stdout": {"tty": _isatty(sys.stdout), "encoding": sys.stdout.encoding,
                   "errors": sys.stdout.errors},
        "stderr": {"tty": _isatty(sys.stderr), "encoding": sys.stderr.encoding,
                   "errors": sys.stderr.errors},
    }  # fmt: skip
    if isinstance(note, ReadError):
        request["read_error"] = str(note)
    else:
        request["note"] = base64.b64encode(note).decode("ascii")
    return request


def ask(path: Path, message: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    """The warm reader's answer to ``message``, or None (no reader, timeout, garbage)."""
    import socket

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
            sock.sendall(encode(message))
            sock.shutdown(socket.SHUT_WR)
            return receive(sock, MAX_RESPONSE_BYTES)
    except OSError:
        return None


def _output(answer: dict[str, Any]) -> tuple[bytes, bytes, int] | None:
    """Standard output, standard error and exit status of a well-formed answer, else None."""
    import base64

    if answer.get("status") != "ok":
        return None
    out, err, code = answer.get("stdout"), answer.get("stderr"), answer.get("exit")
    if not (isinstance(out, str) and isinstance(err, str)):
        return None
    if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 255:
        return None
    try:
        return base64.b64decode(out, validate=True), base64.b64decode(err, validate=True), code
    except ValueError:
        return None


def _write(out: bytes, err: bytes, code: int) -> NoReturn:
    from tohip.io import one_line
    from tohip.io.streams import flush_stdout, is_output_failure, silence_stdout

    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(out)
    except OSError as exc:
        if not is_output_failure(exc):
            raise
        silence_stdout()
        message = one_line(f"cannot write the output ({exc.strerror or exc})")
        err, code = err + f"tohip: error: {message}\n".encode(), 2
    failed = flush_stdout()
    if failed is not None and code == 0:
        message = one_line(f"cannot write to standard output ({failed.strerror or failed})")
        err, code = err + f"tohip: error: {message}\n".encode(), 2
    try:
        sys.stderr.flush()
        sys.stderr.buffer.write(err)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(code)


def answer_or_read(argv: list[str]) -> dict[str, bytes | ReadError] | None:
    """Exit with the warm reader's answer if one gives it. Otherwise return the note already
    read (name -> bytes or read error) for the in-process command, or None if nothing was read.
    """
    if is_off(os.environ.get(WARM_ENV)) or not argv or argv[0] not in COMMANDS:
        return None
    if not hasattr(os, "getuid"):  # no Unix users to check the socket against (Windows)
        return None
    path = socket_path()
    try:
        check_socket(path)  # first: without a reader, nothing more is done
    except Unusable:
        return None
    name = forwardable(argv)
    if name is None:
        return None
    from tohip.io.reading import read_input_bytes
    from tohip.io.streams import stdout_is_open

    if not stdout_is_open():
        return None
    note = read_input_bytes(name, limit=MAX_NOTE_BYTES, kind=input_kind(argv[0], name))
    supplied = supplied_names(name, note)
    try:
        request = request_for(argv, name, note)
    except Exception:  # an unreadable data file, a broken install: the command itself reports it
        return supplied
    answer = ask(path, request, _timeout())
    result = _output(answer) if answer is not None else None
    if result is None:
        return supplied
    _write(*result)
