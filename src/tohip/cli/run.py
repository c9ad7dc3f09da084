"""Running the ``tohip`` command so that every failure keeps the promise: one line on standard
error, a documented exit status, nothing more.

Typer (and the Click it vendors) prints usage errors as a multi-line box, exits 1 quietly on a
closed pipe and lets other exceptions end in a traceback. Here the command runs with
``standalone_mode=False`` and each kind of failure is mapped once: usage errors exit 2 (as
Click's own ``UsageError`` does), bad input exits 2, a standard output that cannot be written
exits 2, an interruption exits 130, and anything unexpected exits 1 with one line
(``TOHIP_DEBUG=1`` shows the traceback instead).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.utils import PacifyFlushWrapper
from typer.exceptions import Abort

from tohip.errors import TohipError
from tohip.io import one_line
from tohip.io.streams import flush_stdout, is_output_failure, stdout_is_open

USAGE_EXIT = 2
INPUT_EXIT = 2
INTERRUPTED_EXIT = 130
DEBUG_ENV = "TOHIP_DEBUG"


def _say(message: str) -> None:
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(f"tohip: error: {one_line(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to report; the exit status still tells


def _usage_message(exc: ClickException) -> str:
    message = exc.format_message().replace("Value error, ", "")
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


def _exit(code: int) -> NoReturn:
    failed = flush_stdout()
    if failed is not None and code == 0:
        _say(f"cannot write to standard output ({failed.strerror or failed})")
        code = INPUT_EXIT
    sys.exit(code)


def run_cli(
    app: typer.Typer | Callable[..., Any],
    args: list[str] | None = None,
    prog_name: str | None = None,
    *,
    check_stdout: bool = True,
) -> NoReturn:
    """Run ``app`` on ``args`` (default ``sys.argv``) and exit with its status; never a traceback
    or a box. ``app`` may be the Click command Typer builds from the app (the warm reader builds
    it once; Typer rebuilds it at every call), run on a captured standard output
    (``check_stdout=False``: the client checked its own)."""
    if check_stdout and not stdout_is_open():
        _say("standard output is closed; redirect it to a file or /dev/null")
        sys.exit(INPUT_EXIT)
    try:
        result = app(args=args, prog_name=prog_name, standalone_mode=False)
    except NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        _exit(USAGE_EXIT)
    except ClickException as exc:
        _say(_usage_message(exc))
        _exit(USAGE_EXIT)
    except (Abort, KeyboardInterrupt):
        _say("interrupted")
        _exit(INTERRUPTED_EXIT)
    except TohipError as exc:
        _say(str(exc))
        _exit(exc.exit_code)
    except OSError as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        if is_output_failure(exc):
            flush_stdout()
            _say(f"cannot write the output ({exc.strerror or exc})")
            _exit(INPUT_EXIT)
        _say(f"{exc.filename or 'input/output'}: {exc.strerror or exc}")
        _exit(1)
    except SystemExit:  # Click exits 1 itself after a broken pipe
        if isinstance(sys.stdout, PacifyFlushWrapper):
            _say("cannot write to standard output (the reader closed the pipe)")
            sys.exit(INPUT_EXIT)
        raise
    except (MemoryError, RecursionError) as exc:
        _say(f"the input needs more {'memory' if isinstance(exc, MemoryError) else 'nesting'} "
             "than tohip allows")  # fmt: skip
        _exit(INPUT_EXIT)
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        _say(f"internal error ({type(exc).__name__}: {exc}); please report it, with "
             f"{DEBUG_ENV}=1 for the traceback")  # fmt: skip
        _exit(1)
    _exit(result if isinstance(result, int) else 0)
