"""The ``tohip`` command's Typer application. ``assess`` follows shared/contract.md exactly: on
bad input one line on standard error, exit status 2 and nothing on standard output.

The console entry point is ``tohip.cli.main:main``, which tries a warm reader first
(``tohip warm``) and imports this module only when it has to."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from tohip.cli.formats import Format
from tohip.cli.registry import registry_app
from tohip.errors import InputError, KnowledgeBaseError, TohipError

if TYPE_CHECKING:
    from tohip.case.schema import Case
    from tohip.engine.types import Assessment
    from tohip.kb.loader import KnowledgeBase
    from tohip.text.types import Extraction


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Decision support for transient osteoporosis of the hip and its mimics.",
)
kb_app = typer.Typer(no_args_is_help=True, help="Check or export the knowledge base.")
app.add_typer(kb_app, name="kb")
app.add_typer(registry_app, name="registry")
warm_app = typer.Typer(
    no_args_is_help=True,
    help="A background reader that keeps the free-text pipeline loaded, so that `tohip assess "
    "note.txt` answers at once (used automatically when running; TOHIP_WARM=off: never).",
)
app.add_typer(warm_app, name="warm")


def _fail(message: str, code: int) -> None:
    from tohip.io import one_line

    typer.echo(f"tohip: error: {one_line(message)}", err=True)
    raise typer.Exit(code)


def _is_structured(path: str) -> bool:
    return path != "-" and path.lower().endswith(".json")


def _read_extraction(path: str, note_date: dt.datetime | None) -> Extraction:
    """A note (file or ``-``) read into a structured case; the file name gives the case id."""
    from tohip.case.io import case_id_from_path
    from tohip.io import read_note
    from tohip.text.extract import extract_text

    day = _note_day(note_date)
    return extract_text(read_note(path), note_date=day, case_id=case_id_from_path(path))


def _note_day(note_date: dt.datetime | None) -> dt.date | None:
    from tohip.case.dates import check_clinical_date

    if note_date is None:
        return None
    return check_clinical_date(note_date.date(), "--note-date")


def _read_input(path: str, note_date: dt.datetime | None) -> Case | Extraction:
    """A structured case from a ``.json`` path, else a note read into one."""
    from tohip.case.io import read_case_file

    if _is_structured(path):
        return read_case_file(Path(path))
    return _read_extraction(path, note_date)


def _assess_path(path: str, note_date: dt.datetime | None) -> Assessment:
    """A structured case never imports the free-text reader (start-up time, issue 9)."""
    if _is_structured(path):
        from tohip.case.io import read_case_file
        from tohip.engine.assess import assess_case

        return assess_case(read_case_file(Path(path)))
    from tohip.api import assess_extraction

    return assess_extraction(_read_extraction(path, note_date))


NoteDate = Annotated[
    dt.datetime | None,
    typer.Option("--note-date", formats=["%Y-%m-%d"], help="Date the note was written (free text)"),
]


@app.command()
def assess(
    path: Annotated[
        str,
        typer.Argument(
            help="Structured case (.json), a free-text note, or '-' for a note on stdin"
        ),
    ],
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.TEXT,
    note_date: NoteDate = None,
) -> None:
    """Rank the eight conditions for a case, explain why, flag dangers and suggest next tests."""
    try:
        assessment = _assess_path(path, note_date)
    except TohipError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if format is Format.JSON:
        sys.stdout.write(assessment.model_dump_json(indent=2, by_alias=True) + "\n")
        return
    from rich.console import Console

    from tohip.cli.render import render

    render(assessment, Console(emoji=False))


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="A free-text note, or '-' for standard input")],
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.TEXT,
    note_date: NoteDate = None,
) -> None:
    """Read a clinical note into the structured case, with the words behind every value.

    JSON output: {"case": <tohip.case/2>, "evidence": [{path, value, text, start, end, sentence,
    sentence_start, section, source, modifiers, used, reason, note}], "warnings": [...]}.
    """
    try:
        extraction = _read_extraction(path, note_date)
    except TohipError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if format is Format.JSON:
        sys.stdout.write(extraction.model_dump_json(indent=2, by_alias=True) + "\n")
        return
    from rich.console import Console

    from tohip.cli.render import render_extraction

    render_extraction(extraction, Console(emoji=False))


CasePath = Annotated[
    str,
    typer.Argument(help="Structured case (.json), a free-text note, or '-' for a note on stdin"),
]


def _case_and_assessment(path: str, note_date: dt.datetime | None) -> tuple[Case, Assessment]:
    from tohip.api import assess_extraction
    from tohip.engine.assess import assess_case
    from tohip.text.types import Extraction

    read = _read_input(path, note_date)
    if isinstance(read, Extraction):
        return read.case, assess_extraction(read)
    return read, assess_case(read)


@app.command()
def plan(
    path: CasePath,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.TEXT,
    note_date: NoteDate = None,
) -> None:
    """Care plan for the leading diagnosis: what to do now, safety-checked, with what was left
    out and why, checks still needed, the expected course and the follow-up schedule.

    JSON output: the tohip.plan format, schema in schemas/plan.schema.json.
    """
    from tohip.plan.build import make_plan

    try:
        case, assessment = _case_and_assessment(path, note_date)
        care_plan = make_plan(case, assessment)
    except TohipError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if format is Format.JSON:
        sys.stdout.write(care_plan.model_dump_json(indent=2) + "\n")
        return
    from rich.console import Console

    from tohip.cli.render_plan import render_plan

    render_plan(care_plan, Console(emoji=False))


@app.command()
def handout(
    path: CasePath,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the handout as PDF here")] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the handout as HTML here")
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.TEXT,
    note_date: NoteDate = None,
) -> None:
    """Plain-language handout for the patient (HTML and/or PDF), with its reading grade.

    With neither --pdf nor --html the HTML goes to standard output (text format). JSON output:
    the handout's sections and reading scores (schemas/handout.schema.json).
    """
    from tohip.handout.content import build_handout
    from tohip.handout.render import handout_html, handout_pdf
    from tohip.io import Output, check_targets, write_outputs
    from tohip.plan.build import make_plan

    try:
        check_targets([p for p in (html, pdf) if p is not None])  # before the work, not after
        case, assessment = _case_and_assessment(path, note_date)
        care_plan = make_plan(case, assessment)
        sheet = build_handout(case, care_plan)
        outputs = []
        if html is not None:
            outputs.append(Output(html, handout_html(sheet, care_plan.plan_date).encode("utf-8")))
        if pdf is not None:
            outputs.append(Output(pdf, handout_pdf(sheet, care_plan.plan_date)))
        write_outputs(outputs)  # both files, or neither
    except TohipError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if format is Format.JSON:
        sys.stdout.write(sheet.model_dump_json(indent=2) + "\n")
        return
    if pdf is None and html is None:
        sys.stdout.write(handout_html(sheet, care_plan.plan_date))
        return
    grade = sheet.reading
    for written in (p for p in (html, pdf) if p is not None):
        typer.echo(f"wrote {written}")
    typer.echo(f"reading grade {grade.grade:.1f} (target <= {grade.target:g}; Flesch-Kincaid "
               f"{grade.flesch_kincaid_grade:.1f}, Coleman-Liau {grade.coleman_liau_index:.1f}, "
               f"ARI {grade.automated_readability_index:.1f})")  # fmt: skip


@app.command()
def followup(
    path: CasePath,
    visit: Annotated[
        Path, typer.Argument(help="Visit (.json): one visit object, or a list in date order")
    ],
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.TEXT,
    note_date: NoteDate = None,
) -> None:
    """Check a follow-up visit against the expected course: on track, or what to do and why.

    Visit format: schemas/visit.schema.json; JSON output: schemas/followup.schema.json.
    """
    from tohip.plan.followup import evaluate_visit
    from tohip.plan.io import read_visits

    try:
        case, assessment = _case_and_assessment(path, note_date)
        result = evaluate_visit(case, read_visits(visit), assessment)
    except TohipError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if format is Format.JSON:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    from rich.console import Console

    from tohip.cli.render_plan import render_followup

    render_followup(result, Console(emoji=False))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; beyond loopback needs auth")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    auth_file: Annotated[
        Path | None, typer.Option(help="Users and API tokens (JSON); env TOHIP_AUTH_FILE")
    ] = None,
    add_user: Annotated[str | None, typer.Option(help="Add this user to --auth-file")] = None,
    add_token: Annotated[str | None, typer.Option(help="Add an API token to --auth-file")] = None,
    rate_limit: Annotated[int, typer.Option(help="Requests per minute per client; 0: off")] = 300,
    secure_cookies: Annotated[bool, typer.Option(help="Cookies only over HTTPS (TLS proxy)")] = (
        False
    ),
    ssl_certfile: Annotated[Path | None, typer.Option(help="Serve HTTPS with this cert")] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(help="...and this key")] = None,
    cache_size: Annotated[
        int, typer.Option(help="Keep N answers to identical assess/extract/plan calls; 0: off")
    ] = 256,
    cache_mb: Annotated[int, typer.Option(help="...in at most this many MiB")] = 32,
    workers: Annotated[int, typer.Option(min=1, help="Processes serving (one per core)")] = 1,
    secret_file: Annotated[
        Path | None,
        typer.Option(help="Key signing sessions, made once (0600); env TOHIP_SECRET"),
    ] = None,
) -> None:
    """Serve the clinician's workbench and the REST API (/api/v1) over HTTP."""
    from tohip.web import server
    from tohip.web.settings import ExposedWithoutAuth

    try:
        auth = server.auth_file_from(auth_file)
        if add_user is not None or add_token is not None:
            typer.echo(server.manage_auth(auth, add_user, add_token))
            return
        settings = server.settings_for(
            host, port, auth, rate_limit, secure_cookies, cache_size,
            cache_bytes=cache_mb * 1024 * 1024, workers=workers, secret_file=secret_file,
        )  # fmt: skip
    except (TohipError, ExposedWithoutAuth) as exc:
        _fail(str(exc), 2)
        return
    server.run(settings, ssl_certfile, ssl_keyfile, auth)


def _plan_problems(where: Path, kb: KnowledgeBase) -> list[str]:
    from tohip.plan.checks import check_plan_rules
    from tohip.plan.rules import read_plan_rules

    try:
        return check_plan_rules(read_plan_rules(where), kb)
    except KnowledgeBaseError as exc:
        return list(exc.problems)


@kb_app.command("check")
def kb_check(
    directory: Annotated[
        Path | None, typer.Argument(help="Knowledge-base directory (default: shipped)")
    ] = None,
) -> None:
    """Validate the knowledge base; print every error and warning with its file and path."""
    from tohip.kb.loader import check_kb_files_readable, default_directory, read_knowledge_base
    from tohip.text.rules import check_text_rules, read_text_rules

    where = directory or default_directory()
    try:
        check_kb_files_readable(where)
    except InputError as exc:
        _fail(str(exc), exc.exit_code)
        return
    kb, problems = read_knowledge_base(where)
    for problem in problems:
        typer.echo(str(problem), err=problem.severity == "error")
    errors = sum(1 for p in problems if p.severity == "error")
    try:
        known = set(kb.references) if kb is not None else None
        text_problems = check_text_rules(read_text_rules(where), known)
    except KnowledgeBaseError as exc:
        text_problems = exc.problems
    if kb is not None:
        text_problems += _plan_problems(where, kb)
    for text_problem in text_problems:
        typer.echo(f"error: {text_problem}", err=True)
    errors += len(text_problems)
    if kb is None or errors:
        _fail(f"{errors} error(s) in the knowledge base", 1)
        return
    typer.echo(
        f"knowledge base {kb.version}: {len(kb.findings)} findings, "
        f"{len(kb.references)} references, {len(kb.statements)} statements, free-text rules, "
        "care-plan rules; "
        f"0 errors, {len(problems)} warning(s)"
    )


@kb_app.command("export")
def kb_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
) -> None:
    """Render the whole knowledge base as Markdown for clinical review."""
    from tohip.io import check_targets, write_output
    from tohip.kb.export import export_markdown
    from tohip.kb.loader import load_knowledge_base

    try:
        if output is not None:
            check_targets([output])
        text = export_markdown(load_knowledge_base())
        if output is not None:
            write_output(output, text.encode("utf-8"))
    except KnowledgeBaseError as exc:
        _fail(str(exc), 1)
        return
    except InputError as exc:
        _fail(str(exc), exc.exit_code)
        return
    if output is None:
        sys.stdout.write(text)
    else:
        typer.echo(f"wrote {output}")


class SchemaKind(StrEnum):
    CASE = "case"
    VISIT = "visit"
    PLAN = "plan"
    FOLLOWUP = "followup"
    HANDOUT = "handout"


@app.command("schema")
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which format")] = SchemaKind.CASE,
) -> None:
    """Print the JSON Schema of a format: the case (default), a follow-up visit, or the JSON
    output of plan, followup or handout."""
    from pydantic import BaseModel

    from tohip.case.schema import Case
    from tohip.handout.content import Handout
    from tohip.plan.types import CarePlan, FollowUpResult, VisitRecord

    models: dict[SchemaKind, type[BaseModel]] = {
        SchemaKind.CASE: Case,
        SchemaKind.VISIT: VisitRecord,
        SchemaKind.PLAN: CarePlan,
        SchemaKind.FOLLOWUP: FollowUpResult,
        SchemaKind.HANDOUT: Handout,
    }
    inputs = (SchemaKind.CASE, SchemaKind.VISIT)
    mode: Literal["validation", "serialization"] = (
        "validation" if kind in inputs else "serialization"
    )
    document = models[kind].model_json_schema(by_alias=True, mode=mode)
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


@warm_app.command("start")
def warm_start(
    idle: Annotated[
        float, typer.Option(min=1, help="Exit after this many seconds without a request")
    ] = 900,
    time_limit: Annotated[
        float, typer.Option(min=1, help="Seconds one request may take (then read in-process)")
    ] = 20,
) -> None:
    """Start this user's warm reader; return once it is ready (exit 2 if it cannot start)."""
    from tohip.cli.warm.control import start

    typer.echo(start(idle, time_limit))


@warm_app.command("stop")
def warm_stop() -> None:
    """Stop this user's warm reader, if one runs."""
    from tohip.cli.warm.control import stop

    typer.echo(stop())


@warm_app.command("status")
def warm_status() -> None:
    """Say whether a warm reader runs and is of this build (exit 0), or not (exit 1)."""
    from tohip.cli.warm.control import describe, query

    answer = query("status")
    if answer is None:
        typer.echo("no warm reader running")
        raise typer.Exit(1)
    text, current = describe(answer)
    typer.echo(text)
    if not current:
        raise typer.Exit(1)
