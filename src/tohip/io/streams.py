"""Standard output that can fail: a full device, a closed pipe, a closed descriptor.

Python reports a failed write to standard output late (often only when the interpreter flushes
at exit, as "Exception ignored ..." with a traceback). These helpers flush at a moment tohip
chooses, so the failure becomes one line and an exit status, and then point the descriptor at
``/dev/null`` so that nothing more is attempted at exit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys

# errno values that mean "the output went nowhere", not a bug in tohip
OUTPUT_ERRNOS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF, errno.EINVAL}
)


def stdout_is_open() -> bool:
    if sys.stdout is None:
        return False
    try:
        os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return False
    return True


def flush_stdout() -> OSError | None:
    """Flush standard output; the error if it failed (the output is then silenced)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        silence_stdout()
        return exc
    except ValueError:  # flushed after being closed
        silence_stdout()
        return OSError(errno.EBADF, "standard output is closed")
    return None


def silence_stdout() -> None:
    """Send whatever is still buffered, now and at exit, to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        if sys.stdout is not None:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (lives until exit, like the real stdout)


def is_output_failure(exc: OSError) -> bool:
    return exc.errno in OUTPUT_ERRNOS
