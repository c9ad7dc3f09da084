"""A disk cache of the validated knowledge base and free-text rules, so that a command need not
parse and validate YAML at every start (about 50 ms for the knowledge base and 30 ms for the text
rules here, against 2-3 ms to load the cached objects).

An entry is not reused once what it was built from changes: its name is a SHA-256 over every
``*.yaml`` file of the knowledge-base folder (its top level, ``text/`` and ``plan/``, names and
bytes), the name, size and modification time of every Python source file of the installed tohip
package (the models and the loaders that built the objects), tohip's, Python's and pydantic's
versions, and the kind of object. Change
any of them and the name changes, so the old entry is simply never read again (the eight newest
entries of each kind are kept, older ones removed). Source files are keyed on size and mtime, not
bytes, to keep hashing off the start-up path: an edit that keeps both would reuse an old entry.

Only objects that loaded without error are cached; a knowledge base with errors is read afresh
every time, so its errors are always reported. Nothing here ever fails a command: a folder that
cannot be read or written, a damaged or foreign entry, or a pickle that does not load all fall
back silently to building the objects from the YAML.

Where: ``$TOHIP_CACHE_DIR`` if set (``off`` turns the cache off), else the user cache folder
(``platformdirs.user_cache_dir("tohip")``, e.g. ``~/.cache/tohip`` on Linux, which honours
``$XDG_CACHE_HOME``). An entry is read only if it is a regular file owned by the user and not
writable by others, since unpickling runs code.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

CACHE_ENV = "TOHIP_CACHE_DIR"
OFF = frozenset({"", "0", "off", "none"})
KB_FOLDERS = ("", "text", "plan")
MAX_DATA_BYTES = 5_000_000
KEEP = 8  # entries of each kind
T = TypeVar("T")

_code_digest: str | None = None


def cache_directory() -> Path | None:
    """Where entries live, or None when the cache is off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in OFF else Path(value)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tohip", appauthor=False))


def _code() -> str:
    """Digest of tohip's own source files and the versions the pickles depend on."""
    global _code_digest
    if _code_digest is None:
        import pydantic

        from tohip._version import __version__

        h = hashlib.sha256(f"{__version__}\0{sys.version}\0{pydantic.VERSION}\0".encode())
        package = Path(__file__).resolve().parents[1]
        for path in sorted(package.rglob("*.py")):
            info = path.stat()  # an edited source file changes its size or modification time
            name = path.relative_to(package).as_posix()
            h.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        _code_digest = h.hexdigest()
    return _code_digest


def content_key(kind: str, directory: Path) -> str | None:
    """The entry name for ``kind`` built from ``directory``; None if a file cannot be read (the
    loader then reports it)."""
    from tohip.io import read_file_bytes

    try:
        h = hashlib.sha256(f"{kind}\0{_code()}\0".encode())
        for folder in KB_FOLDERS:
            for path in sorted((directory / folder).glob("*.yaml")):
                data = read_file_bytes(path, limit=MAX_DATA_BYTES, kind="knowledge-base")
                h.update(f"{folder}/{path.name}\0{len(data)}\0".encode())
                h.update(data)
    except Exception:  # any problem: no cache; the loader reads and reports the files itself
        return None
    return f"{kind}-{h.hexdigest()}.pickle"


def _trusted(fd: int) -> bool:
    info = os.fstat(fd)
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, expected: type) -> object | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            if not _trusted(f.fileno()):
                return None
            value = pickle.load(f)
    except Exception:  # damaged, truncated or from an incompatible build: rebuild
        return None
    return value if type(value) is expected else None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers see the old entry or the whole new one
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(path)
    except Exception:  # read-only home, full disk, unpicklable object: just don't cache
        return


def _prune(written: Path) -> None:
    """Keep the ``KEEP`` newest entries of one kind (an edited checkout or another Python makes
    new ones; old ones would otherwise pile up)."""
    kind = written.name.rsplit("-", 1)[0]
    entries = sorted(written.parent.glob(f"{kind}-*.pickle"), key=lambda e: e.stat().st_mtime_ns)
    for old in entries[:-KEEP]:
        if old != written:
            old.unlink(missing_ok=True)


def code_key(kind: str) -> str:
    """The entry name for ``kind`` built from tohip's code alone (no knowledge-base files)."""
    digest = hashlib.sha256(f"{kind}\0{_code()}\0".encode()).hexdigest()
    return f"{kind}-{digest}.pickle"


def read_code_entry(kind: str, expected: type[T]) -> T | None:
    """The value last stored for ``kind`` by this exact code (``store_code_entry``), or None."""
    folder = cache_directory()
    return None if folder is None else _read(folder / code_key(kind), expected)  # type: ignore[return-value]


def store_code_entry(kind: str, value: object) -> None:
    """Keep ``value`` for ``kind`` and this exact code; never fails (see the module docstring)."""
    folder = cache_directory()
    if folder is not None:
        _write(folder / code_key(kind), value)


def cached(kind: str, directory: Path, expected: type[T], build: Callable[[], T]) -> T:
    """``build()``'s result, from disk when these exact files were built before.

    ``build`` must raise rather than return something wrong: only returned values are cached.
    Within a process the callers (``load_knowledge_base``, ``load_text_rules``) memoise already.
    """
    key = content_key(kind, directory)
    if key is None:
        return build()
    folder = cache_directory()
    value = _read(folder / key, expected) if folder is not None else None
    if value is None:
        value = build()
        if folder is not None:
            _write(folder / key, value)
    return value  # type: ignore[return-value]
