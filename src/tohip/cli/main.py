"""The ``tohip`` command. ``assess`` follows shared/contract.md exactly: on bad input one line on
standard error, exit status 2 and nothing on standard output."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tohip.errors import InputError, KnowledgeBaseError, TohipError

if TYPE_CHECKING:
    from tohip.case.schema import Case

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Decision support for transient osteoporosis of the hip and its mimics.",
)
kb_app = typer.Typer(no_args_is_help=True, help="Check or export the knowledge base.")
app.add_typer(kb_app, name="kb")


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


def _fail(message: str, code: int) -> None:
    typer.echo(f"tohip: error: {message}", err=True)
    raise typer.Exit(code)


def _read_input(path: str) -> Case:
    """A structured case from a ``.json`` path; free text is not read yet (exit 2)."""
    from tohip.case.io import read_case_file

    if path != "-" and path.lower().endswith(".json"):
        return read_case_file(Path(path))
    if path != "-" and not Path(path).exists():
        raise InputError(f"{path}: no such file")
    raise InputError(
        f"{path}: free-text notes are not supported yet; give a structured case (.json)"
    )


@app.command()
def assess(
    path: Annotated[
        str, typer.Argument(help="Structured case (.json); '-' reads free text from stdin")
    ],
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.TEXT,
) -> None:
    """Rank the eight conditions for a case, explain why, flag dangers and suggest next tests."""
    from tohip.engine.assess import assess_case

    try:
        case = _read_input(path)
        assessment = assess_case(case)
    except TohipError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if format is Format.JSON:
        sys.stdout.write(assessment.model_dump_json(indent=2) + "\n")
        return
    from rich.console import Console

    from tohip.cli.render import render

    render(assessment, Console())


@kb_app.command("check")
def kb_check(
    directory: Annotated[
        Path | None, typer.Argument(help="Knowledge-base directory (default: shipped)")
    ] = None,
) -> None:
    """Validate the knowledge base; print every error and warning with its file and path."""
    from tohip.kb.loader import default_directory, read_knowledge_base

    kb, problems = read_knowledge_base(directory or default_directory())
    for problem in problems:
        typer.echo(str(problem), err=problem.severity == "error")
    errors = sum(1 for p in problems if p.severity == "error")
    if kb is None or errors:
        _fail(f"{errors} error(s) in the knowledge base", 1)
        return
    typer.echo(
        f"knowledge base {kb.version}: {len(kb.findings)} findings, "
        f"{len(kb.references)} references, {len(kb.statements)} statements; "
        f"0 errors, {len(problems)} warning(s)"
    )


@kb_app.command("export")
def kb_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
) -> None:
    """Render the whole knowledge base as Markdown for clinical review."""
    from tohip.kb.export import export_markdown
    from tohip.kb.loader import load_knowledge_base

    try:
        text = export_markdown(load_knowledge_base())
    except KnowledgeBaseError as exc:
        _fail(str(exc), 1)
        return
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of the structured case."""
    from tohip.case.schema import Case

    sys.stdout.write(json.dumps(Case.model_json_schema(by_alias=True), indent=2) + "\n")


def main() -> None:
    app()
