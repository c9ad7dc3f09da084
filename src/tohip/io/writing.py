"""Writing output files transactionally: every output of a command appears, or none does.

Each output is first written in full to a temporary file in its own folder (so the final rename
never crosses a file system), flushed and ``fsync``-ed; only when all of them are written are they
renamed over their targets with ``os.replace``, and the folders are ``fsync``-ed. Any failure on
the way removes every temporary file, so an error never leaves a partial or orphaned output.

Targets must be regular files or not exist yet. A device (``/dev/full``, ``/dev/null``), a FIFO, a
socket or a directory is refused, never replaced; a symbolic link is followed to its target, which
must itself be a regular file (the link stays a link). A new file gets the permissions the umask
allows (``0666 & ~umask``) and an existing file keeps its own, unless the caller fixes ``mode``
(a registry backup holds identifiers, so it is always owner-only).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tohip.errors import WriteError

MAX_NAME_BYTES = 255  # NAME_MAX on Linux and macOS file systems
_TEMP_PREFIX = ".tohip-"
_TEMP_SUFFIX = ".part"


@dataclass(frozen=True)
class Output:
    """One file to write: where, what, and optionally the permissions a new file must have."""

    path: Path
    data: bytes
    mode: int | None = None


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    return exc.strerror or str(exc)


def _resolve_target(path: Path) -> tuple[Path, int | None]:
    """The real file to replace and its permissions if it exists; ``WriteError`` if unsafe."""
    name = str(path)
    if not path.name or path.name in (".", ".."):
        raise WriteError(f"{name}: not a file name")
    if len(os.fsencode(path.name)) > MAX_NAME_BYTES:
        raise WriteError(f"{name}: the file name is longer than {MAX_NAME_BYTES} bytes")
    real = Path(os.path.realpath(path))
    folder = real.parent
    try:
        folder_mode = os.stat(folder).st_mode
    except FileNotFoundError:
        raise WriteError(f"{name}: the folder {path.parent} does not exist") from None
    except OSError as exc:
        raise WriteError(f"{name}: cannot use the folder {path.parent} ({_reason(exc)})") from None
    if not stat.S_ISDIR(folder_mode):
        raise WriteError(f"{name}: {path.parent} is not a folder")
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real, None
    except OSError as exc:
        raise WriteError(f"{name}: cannot be written ({_reason(exc)})") from None
    if stat.S_ISDIR(mode):
        raise WriteError(f"{name}: is a directory; give a file name")
    if not stat.S_ISREG(mode):
        raise WriteError(f"{name}: is a device, FIFO or socket, not a regular file; not replaced")
    return real, stat.S_IMODE(mode)


def _write_temp(real: Path, data: bytes, mode: int) -> Path:
    handle, temp = tempfile.mkstemp(dir=real.parent, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX)
    try:
        os.fchmod(handle, mode)
        view = memoryview(data)
        while view:
            written = os.write(handle, view)
            view = view[written:]
        os.fsync(handle)
    except BaseException:
        os.close(handle)
        Path(temp).unlink(missing_ok=True)
        raise
    os.close(handle)
    return Path(temp)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is synced
    finally:
        os.close(fd)


def check_targets(paths: Sequence[Path]) -> None:
    """Refuse unusable output paths before any work is done (``write_outputs`` checks again)."""
    reals = [_resolve_target(path)[0] for path in paths]
    if len(set(reals)) != len(reals):
        raise WriteError("two outputs name the same file")
    for path, real in zip(paths, reals, strict=True):
        _probe_folder(path, real.parent)


def _probe_folder(path: Path, folder: Path) -> None:
    """Create and remove a temporary file: the only sure test that the folder takes new files
    (permissions, read-only or special file systems, and root, for whom access() says yes)."""
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX)
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({_reason(exc)})") from None
    os.close(handle)
    Path(temp).unlink(missing_ok=True)


def write_outputs(outputs: Sequence[Output]) -> None:
    """Write every output, all or nothing; ``WriteError`` (one line) on any failure."""
    plan = [(out, *_resolve_target(out.path)) for out in outputs]
    reals = [real for _, real, _ in plan]
    if len(set(reals)) != len(reals):
        raise WriteError("two outputs name the same file")
    umask = _current_umask()
    temps: list[tuple[Path, Path]] = []
    try:
        for out, real, existing_mode in plan:
            mode = out.mode if out.mode is not None else existing_mode
            if mode is None:
                mode = 0o666 & ~umask
            try:
                temps.append((_write_temp(real, out.data, mode), real))
            except OSError as exc:
                raise WriteError(f"{out.path}: cannot be written ({_reason(exc)})") from None
        for temp, real in temps:
            try:
                os.replace(temp, real)
            except OSError as exc:
                raise WriteError(f"{real}: cannot be written ({_reason(exc)})") from None
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
    for folder in {real.parent for real in reals}:
        _fsync_folder(folder)


def write_output(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write one output file transactionally (see ``write_outputs``)."""
    write_outputs([Output(path, data, mode)])
