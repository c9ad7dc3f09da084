"""The console entry point. It asks a warm reader (``tohip warm``) first, importing nothing but
the standard library to do so, and loads the Typer application only when it has to.

``app`` is still importable from here (``from tohip.cli.main import app``)."""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    from tohip.cli.warm.client import answer_or_read

    supplied = answer_or_read(sys.argv[1:])  # exits when a warm reader answered
    from tohip.cli.app import app
    from tohip.cli.run import run_cli

    if supplied is None:
        run_cli(app)
    from tohip.io.reading import supplied_input

    with supplied_input(supplied):  # the note the client read already: read once, never twice
        run_cli(app)


def __getattr__(name: str) -> Any:
    if name == "app":
        from tohip.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
