"""The warm reader process (``tohip warm start`` runs ``python -m tohip.cli.warm.server``).

It loads the knowledge base, the text rules and the medspaCy pipeline, by answering a sample
note, then serves one request at a time on a Unix domain socket in the per-user folder:

- only a peer of the same uid (``SO_PEERCRED``) is answered; others are closed at once;
- a request is one JSON line of at most ``MAX_REQUEST_BYTES``; nothing is unpickled;
- ``run`` answers only a client of the same build (else ``{"status": "stale"}``) and only the
  request shapes a client forwards (``assess``/``extract`` of one input, never a command that
  writes files), and runs the ordinary Typer command on the client's arguments and input
  bytes, with standard output and error captured and the client's terminal (tty, size, the
  environment Rich reads) in place, within ``--time-limit`` seconds;
- after ``--idle`` seconds without a request it exits, removing its socket; ``stop`` and
  SIGTERM do the same.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import functools
import io
import itertools
import os
import signal
import socket
import struct
import sys
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tohip.cli.warm.common import (
    DEFAULT_IDLE_SECONDS,
    LOCK_NAME,
    MAX_REQUEST_BYTES,
    OUTPUT_ENV,
    PROTOCOL,
    SOCKET_NAME,
    encode,
    fingerprint,
    make_private_directory,
    receive,
)
from tohip.errors import ReadError

DEFAULT_TIME_LIMIT_SECONDS = 20.0
WARM_UP_SECONDS = 300.0
SAMPLE_NOTE = (
    "HPI: 44 year old man with 3 weeks of right hip pain on weight bearing, no trauma.\n"
    "MRI: diffuse bone marrow edema of the femoral head and neck, no subchondral fracture.\n"
)

SAMPLE_CASE = '{"patient": {"age": 44, "sex": "male"}, "symptoms": {"side": "right"}}'


class Stop(BaseException):
    """SIGTERM: leave at once, removing the socket."""


def _stop(signum: int, frame: types.FrameType | None) -> None:
    raise Stop


class TimeUp(BaseException):
    """The request ran past its time limit (a BaseException: the command's handlers let it by)."""


class _Capture(io.TextIOWrapper):
    """A text stream into bytes that says whether the client's stream is a terminal."""

    def __init__(self, tty: bool, encoding: str | None, errors: str | None) -> None:
        super().__init__(io.BytesIO(), encoding=encoding or "utf-8", errors=errors or "strict")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    def value(self) -> bytes:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue()


def _stream(spec: Any) -> _Capture:
    spec = spec if isinstance(spec, dict) else {}
    encoding, errors = spec.get("encoding"), spec.get("errors")
    return _Capture(
        spec.get("tty") is True,
        encoding if isinstance(encoding, str) else None,
        errors if isinstance(errors, str) else None,
    )


@contextlib.contextmanager
def _as_the_client(request: dict[str, Any], out: _Capture, err: _Capture) -> Iterator[None]:
    """The client's standard streams, terminal size and output environment, for one request."""
    env = request.get("env") if isinstance(request.get("env"), dict) else {}
    terminal = request.get("terminal")
    size = (
        os.terminal_size((terminal[0], terminal[1]))
        if isinstance(terminal, list) and len(terminal) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in terminal)
        else None
    )  # fmt: skip

    def get_terminal_size(fd: int = 1) -> os.terminal_size:
        if size is None:
            raise OSError("not a terminal")
        return size

    saved_env = {k: os.environ.get(k) for k in OUTPUT_ENV}
    saved = sys.stdout, sys.stderr, os.get_terminal_size
    try:
        for key in OUTPUT_ENV:
            value = env.get(key) if isinstance(env, dict) else None
            if isinstance(value, str):
                os.environ[key] = value
            else:
                os.environ.pop(key, None)
        sys.stdout, sys.stderr = out, err
        os.get_terminal_size = get_terminal_size
        yield
    finally:
        sys.stdout, sys.stderr, os.get_terminal_size = saved
        for key, old in saved_env.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _alarm(signum: int, frame: types.FrameType | None) -> None:
    raise TimeUp


def note_of(request: dict[str, Any]) -> bytes | ReadError | None:
    """The note the client read (its bytes, or the error reading gave), None if malformed."""
    from tohip.io.reading import MAX_NOTE_BYTES

    if isinstance(request.get("read_error"), str):
        return ReadError(request["read_error"])
    encoded = request.get("note")
    if not isinstance(encoded, str):
        return None
    try:
        note = base64.b64decode(encoded, validate=True)
    except ValueError:
        return None
    return note if len(note) <= MAX_NOTE_BYTES else None


@functools.cache
def _command() -> Callable[..., Any]:
    """The Click command of ``tohip``, built once (Typer builds it anew at every call, which
    costs more than reading a note)."""
    from typer.main import get_command

    from tohip.cli.app import app

    return get_command(app)


def run_request(request: dict[str, Any], time_limit: float) -> dict[str, Any]:
    """Run the ordinary command for a ``run`` request; the answer to send back."""
    from tohip.cli.run import run_cli
    from tohip.cli.warm.client import forwardable, supplied_names
    from tohip.io.reading import supplied_input

    argv, name, prog = request.get("argv"), request.get("name"), request.get("prog")
    if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv)):
        return {"status": "error", "message": "bad request"}
    if not (isinstance(name, str) and forwardable(argv) == name and isinstance(prog, str)):
        return {"status": "error", "message": "bad request"}  # only what a client forwards
    note = note_of(request)
    if note is None:
        return {"status": "error", "message": "bad request"}
    out, err = _stream(request.get("stdout")), _stream(request.get("stderr"))
    code: Any = 0
    try:  # the alarm may ring anywhere up to the inner finally, so it is caught outside
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            with _as_the_client(request, out, err), supplied_input(supplied_names(name, note)):
                run_cli(_command(), argv, prog, check_stdout=False)
        except SystemExit as exc:
            code = exc.code
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeUp:
        return {"status": "error", "message": "time limit"}
    if not isinstance(code, int):
        code = 0 if code is None else 1
    return {
        "status": "ok",
        "stdout": base64.b64encode(out.value()).decode("ascii"),
        "stderr": base64.b64encode(err.value()).decode("ascii"),
        "exit": code,
    }


def _peer_uid(conn: socket.socket) -> int | None:
    try:
        raw = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    return int(struct.unpack("3i", raw)[1])


class Server:
    """One warm reader: its socket, lock and counters."""

    def __init__(self, folder: Path, idle: float, time_limit: float) -> None:
        self.folder, self.idle, self.time_limit = folder, idle, time_limit
        self.build = fingerprint()
        self.started = time.time()
        self.requests = 0
        self.stopping = False
        self.sock: socket.socket | None = None
        self.inode: int | None = None

    def bind(self) -> None:
        path = self.folder / SOCKET_NAME
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # a dead reader's socket: the lock says no live one holds it
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(path))
        os.chmod(path, 0o600)
        sock.listen(16)
        sock.settimeout(self.idle)
        self.sock, self.inode = sock, os.lstat(path).st_ino

    def close(self) -> None:
        path = self.folder / SOCKET_NAME
        with contextlib.suppress(OSError):
            if self.inode is not None and os.lstat(path).st_ino == self.inode:
                path.unlink()
        if self.sock is not None:
            self.sock.close()

    def status(self) -> dict[str, Any]:
        return {"status": "ok", "protocol": PROTOCOL, "build": self.build, "pid": os.getpid(),
                "started": self.started, "requests": self.requests, "idle_seconds": self.idle,
                "socket": str(self.folder / SOCKET_NAME)}  # fmt: skip

    def answer(self, request: dict[str, Any] | None) -> dict[str, Any]:
        if request is None or request.get("protocol") != PROTOCOL:
            return {"status": "error", "message": "bad request"}
        op = request.get("op")
        if op == "status":
            return self.status()
        if op == "stop":
            self.stopping = True
            return {"status": "stopping", "pid": os.getpid()}
        if op != "run":
            return {"status": "error", "message": "unknown request"}
        if request.get("build") != self.build:
            return {"status": "stale"}
        self.requests += 1
        answer = run_request(request, self.time_limit)
        if answer.get("message") == "time limit":
            # The alarm may have struck inside a cache or a lazily built pipeline, leaving it
            # half made; a fresh process is cheaper than trusting it. The client reads this
            # request in-process, and so does every command until a reader is started again.
            self.stopping = True
        return answer

    def serve_one(self, conn: socket.socket) -> None:
        with conn:
            if _peer_uid(conn) != os.getuid():
                return  # another user: closed without a word
            conn.settimeout(10)
            try:
                request = receive(conn, MAX_REQUEST_BYTES)
            except OSError:
                return  # the client went away or stalled; it falls back by itself
            try:
                answer = self.answer(request)
            except Exception as exc:  # never let one request end the reader
                answer = {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
            with contextlib.suppress(OSError):
                conn.sendall(encode(answer))

    def loop(self) -> None:
        assert self.sock is not None
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                return  # idle
            self.serve_one(conn)


def _warm_up(time_limit: float) -> None:
    """Load everything a request needs by answering a sample note and case in both formats."""
    samples = {"-": SAMPLE_NOTE, "sample.json": SAMPLE_CASE}
    for (name, text), fmt in itertools.product(samples.items(), ("json", "text")):
        request = {"argv": ["assess", name, "--format", fmt], "name": name, "prog": "tohip",
                   "note": base64.b64encode(text.encode()).decode()}  # fmt: skip
        answer = run_request(request, max(time_limit, WARM_UP_SECONDS))
        if answer.get("exit") != 0:
            error = base64.b64decode(answer.get("stderr", "")).decode("utf-8", "replace")
            raise RuntimeError(error.strip() or str(answer))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tohip.cli.warm.server")
    parser.add_argument("--idle", type=float, default=DEFAULT_IDLE_SECONDS)
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_SECONDS)
    args = parser.parse_args(argv)
    os.umask(0o077)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGALRM, _alarm)
    ready = sys.stdout
    try:
        if not hasattr(socket, "SO_PEERCRED"):
            raise RuntimeError("the warm reader needs SO_PEERCRED (Linux)")
        folder = make_private_directory()
        lock = open(folder / LOCK_NAME, "a")  # noqa: SIM115 (held for the process's life)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise RuntimeError("a warm reader is already running (tohip warm status)") from None
        server = Server(folder, args.idle, args.time_limit)  # the build as the client sees it
        kb = os.environ.get("TOHIP_KB_DIR")
        if kb:
            os.environ["TOHIP_KB_DIR"] = os.path.abspath(kb)
        _warm_up(args.time_limit)
        server.bind()
        os.chdir("/")  # hold no user folder (or mount) open while waiting
    except Exception as exc:
        from tohip.io import one_line

        ready.write(f"error: {one_line(str(exc))}\n")
        ready.flush()
        sys.exit(2)
    ready.write(f"ready {os.getpid()}\n")
    ready.flush()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        server.loop()
    except Stop:
        pass
    finally:
        server.close()
        lock.close()


if __name__ == "__main__":
    main()
