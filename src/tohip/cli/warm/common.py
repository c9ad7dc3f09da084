"""What the warm reader's client and server share: where the socket lives, who may use it, the
build fingerprint and the message format. Standard library only: the client imports this before
anything heavy.

Modules only a warm request needs (hashlib, json, importlib) are imported when first needed,
so that a command with no warm reader to ask pays nothing for looking.

Where: ``$XDG_RUNTIME_DIR/tohip`` if that variable is set, else ``warm`` in the user cache
folder of ``tohip.kb.cache`` (``$TOHIP_CACHE_DIR``, else ``$XDG_CACHE_HOME/tohip`` or
``~/.cache/tohip``). The folder is created 0700; a folder or socket owned by another user, or
that others may write, is never used.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tohip.io.reading import MAX_NOTE_BYTES

WARM_ENV = "TOHIP_WARM"  # "off" (or 0, no, false): never use a warm reader
IDLE_ENV = "TOHIP_WARM_IDLE"  # seconds without a request before the reader exits
TIMEOUT_ENV = "TOHIP_WARM_TIMEOUT"  # seconds the client waits for an answer
OFF = frozenset({"0", "off", "no", "false", "none"})
DEFAULT_IDLE_SECONDS = 15 * 60
DEFAULT_TIMEOUT_SECONDS = 30.0
PROTOCOL = 1
SOCKET_NAME = "reader.sock"
LOCK_NAME = "reader.lock"
# a request carries at most one note (MAX_NOTE_BYTES, in base64) and a few short fields
MAX_REQUEST_BYTES = MAX_NOTE_BYTES * 4 // 3 + 64_000
MAX_RESPONSE_BYTES = 64_000_000
# environment that changes what the command prints (Rich's terminal detection, the debug switch)
OUTPUT_ENV = (
    "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
    "COLUMNS", "LINES", "JUPYTER_COLUMNS", "JUPYTER_LINES", "TOHIP_DEBUG",
)  # fmt: skip
# environment that changes what the reader reads or decides: a server started with other values
# is another build
BUILD_ENV = ("TOHIP_KB_DIR", "TZ")
# installed packages whose upgrade could change the output
DEPENDENCIES = ("pydantic", "pydantic_core", "spacy", "medspacy", "rich", "typer", "yaml")
KB_FOLDERS = ("", "text", "plan")


class Unusable(Exception):
    """The socket folder or socket may not be used (wrong owner, open to others, not there)."""


def is_off(value: str | None) -> bool:
    return value is not None and value.strip().lower() in OFF


def _cache_home() -> Path:
    override = os.environ.get("TOHIP_CACHE_DIR")
    if override and override.strip().lower() not in {"", "0", "off", "none"}:
        return Path(override)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "tohip"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "tohip"


def runtime_directory() -> Path:
    """The per-user folder of the socket (it may not exist yet)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime:
        return Path(runtime) / "tohip"
    return _cache_home() / "warm"


def socket_path() -> Path:
    return runtime_directory() / SOCKET_NAME


def _check_private(path: Path, is_kind: Callable[[int], bool], kind: str) -> None:
    """``Unusable`` unless ``path`` (not followed if a link) is a ``kind`` of this user that
    nobody else may write."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise Unusable(f"{path}: {exc.strerror or exc}") from None
    if not is_kind(info.st_mode):
        raise Unusable(f"{path}: not a {kind}")
    if info.st_uid != os.getuid():
        raise Unusable(f"{path}: owned by another user (uid {info.st_uid})")
    if info.st_mode & 0o077:
        raise Unusable(f"{path}: open to other users (mode {stat.S_IMODE(info.st_mode):o})")


def check_private_directory(path: Path) -> None:
    """``Unusable`` unless ``path`` is a real folder of this user that nobody else can write."""
    _check_private(path, stat.S_ISDIR, "folder")


def check_socket(path: Path) -> None:
    """``Unusable`` unless ``path`` is a socket of this user in a private folder."""
    check_private_directory(path.parent)
    _check_private(path, stat.S_ISSOCK, "socket")


def make_private_directory() -> Path:
    """The socket folder, created 0700 if missing, and checked."""
    folder = runtime_directory()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    check_private_directory(folder)
    return folder


def _kb_directory() -> Path:
    override = os.environ.get("TOHIP_KB_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "kb" / "data"


def fingerprint() -> str:
    """The build: tohip's version, Python, the environment in ``BUILD_ENV``, every knowledge-base
    and text-rule file (bytes), tohip's source files and the modules of ``DEPENDENCIES`` (name,
    size and modification time, as ``tohip.kb.cache`` keys them). A warm reader answers only a
    client of the same build."""
    import hashlib
    import importlib.util

    from tohip._version import __version__

    h = hashlib.sha256(f"{PROTOCOL}\0{__version__}\0{sys.version}\0{sys.prefix}\0".encode())
    for name in BUILD_ENV:
        h.update(f"{name}={os.environ.get(name)}\0".encode())
    package = Path(__file__).resolve().parents[2]
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        h.update(
            f"{path.relative_to(package).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode()
        )
    kb = _kb_directory()
    for folder in KB_FOLDERS:
        for path in sorted((kb / folder).glob("*.yaml")):
            data = path.read_bytes()
            h.update(f"{folder}/{path.name}\0{len(data)}\0".encode())
            h.update(data)
    for dependency in DEPENDENCIES:
        spec = importlib.util.find_spec(dependency)
        origin = spec.origin if spec is not None else None
        found = os.stat(origin) if origin else None
        stamp = f"{origin}\0{found.st_size}\0{found.st_mtime_ns}" if found else "missing"
        h.update(f"{dependency}\0{stamp}\0".encode())
    return h.hexdigest()


def terminal_size() -> list[int] | None:
    """The size Rich would find: that of standard input, output or error, the first that is a
    terminal."""
    for fd in (0, 1, 2):
        try:
            columns, lines = os.get_terminal_size(fd)
        except (AttributeError, ValueError, OSError):
            continue
        return [columns, lines]
    return None


def encode(message: dict[str, Any]) -> bytes:
    """One message: compact JSON on one line."""
    import json

    return json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"


def receive(sock: Any, limit: int) -> dict[str, Any] | None:
    """One message from ``sock``, or None if it is too long, cut short or not a JSON object."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = sock.recv(1 << 16)
        if not chunk:
            return None
        newline = chunk.find(b"\n")
        if newline >= 0:
            chunks.append(chunk[:newline])
            size += newline
        else:
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return None
        if newline >= 0:
            break
    import json

    try:
        message = json.loads(b"".join(chunks))
    except ValueError:
        return None
    return message if isinstance(message, dict) else None
