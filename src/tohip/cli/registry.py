"""``tohip registry``: follow patients from assessment to outcome, and learn from the cohort.

Errors follow the assess contract: one line on standard error, nothing on standard output, exit
2 for bad input (nothing stored), 3 for a conflicting concurrent edit, 4 for a role that may
not do this, 1 otherwise.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from tohip.cli.formats import Format
from tohip.errors import TohipError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from tohip.registry.schemas import Actor

T = TypeVar("T")
registry_app = typer.Typer(
    no_args_is_help=True,
    help="Follow-up registry: patients, episodes, assessments, visits, outcomes, analytics.",
)
ROLE_ENV = "TOHIP_REGISTRY_ROLE"
ACTOR_ENV = "TOHIP_ACTOR"


class RoleName(StrEnum):
    CLINICIAN = "clinician"
    RESEARCHER = "researcher"


@dataclass
class _Context:
    url: str | None
    actor_name: str
    role: RoleName

    def actor(self) -> Actor:
        from tohip.registry.schemas import Actor
        from tohip.registry.vocab import Role

        return Actor(name=self.actor_name, role=Role(self.role.value))


def _fail(message: str, code: int) -> None:
    from tohip.io import one_line

    typer.echo(f"tohip: error: {one_line(message)}", err=True)
    raise typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Map every failure to one line on stderr and the documented exit code."""
    from pydantic import ValidationError
    from sqlalchemy.exc import SQLAlchemyError

    from tohip.case.io import describe_validation_error

    try:
        yield
    except TohipError as exc:
        _fail(str(exc), exc.exit_code)
    except ValidationError as exc:
        _fail(f"invalid input: {describe_validation_error(exc)}", 2)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        _fail(f"registry database error: {reason}", 1)


def _state(ctx: typer.Context) -> _Context:
    state = ctx.obj
    assert isinstance(state, _Context)
    return state


def _run(
    ctx: typer.Context,
    work: Callable[[Session, Engine, Actor], T],
    *,
    researcher_ok: bool = False,
    check_schema: bool = True,
) -> T:
    """Open the registry, run ``work`` in one transaction (all or nothing), close."""
    from tohip.registry import db
    from tohip.registry.errors import PermissionDenied

    state = _state(ctx)
    if state.role is RoleName.RESEARCHER and not researcher_ok:
        raise PermissionDenied("the researcher role may only run 'tohip registry export'")
    engine = db.make_engine(state.url)
    try:
        if check_schema:
            db.require_current(engine)
        with db.session_factory(engine).begin() as session:
            return work(session, engine, state.actor())
    finally:
        engine.dispose()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@registry_app.callback()
def registry(
    ctx: typer.Context,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (default $TOHIP_DATABASE_URL, else SQLite in the user data folder)",
            show_default=False,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor", help="Name in the audit log (default: $TOHIP_ACTOR or the login name)"
        ),
    ] = None,
    role: Annotated[
        RoleName | None,
        typer.Option("--role", help=f"clinician or researcher (default ${ROLE_ENV} or clinician)"),
    ] = None,
) -> None:
    """Follow-up registry. Identifiers are kept apart; every read and change is audited."""
    try:
        chosen = role or RoleName(os.environ.get(ROLE_ENV, RoleName.CLINICIAN.value))
    except ValueError:
        _fail(f"${ROLE_ENV} must be clinician or researcher", 2)
        return
    ctx.obj = _Context(
        url=db_url, actor_name=actor or os.environ.get(ACTOR_ENV) or getpass.getuser(), role=chosen
    )


@registry_app.command()
def init(ctx: typer.Context) -> None:
    """Create the registry, or upgrade it to this tohip's schema."""
    from tohip.registry import db
    from tohip.registry.crud import audit

    with _errors():
        state = _state(ctx)
        engine = db.make_engine(state.url)
        try:
            before = db.current_revision(engine)
            db.upgrade(engine)
            after = db.current_revision(engine)
            with db.session_factory(engine).begin() as session:
                audit(
                    session,
                    actor=state.actor(),
                    action="init",
                    entity="registry",
                    detail={"from": before, "to": after},
                )
            where = db.redacted(engine.url.render_as_string(hide_password=False))
        finally:
            engine.dispose()
        typer.echo(f"registry ready at {where} (schema {after})")


DATE = ["%Y-%m-%d"]
DateOpt = Annotated[dt.datetime | None, typer.Option(formats=DATE)]


@registry_app.command()
def add(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Structured case (.json) or free-text note")],
    patient: Annotated[str | None, typer.Option(help="Existing patient's pseudonym")] = None,
    mrn: Annotated[str | None, typer.Option(help="Record number (kept apart)")] = None,
    name: Annotated[str | None, typer.Option(help="Full name (kept apart)")] = None,
    dob: Annotated[
        dt.datetime | None, typer.Option("--dob", formats=DATE, help="Date of birth (kept apart)")
    ] = None,
    side: Annotated[
        str | None, typer.Option(help="left, right or bilateral (default: case)")
    ] = None,
    joint: Annotated[str, typer.Option(help="hip, knee, ankle, foot or other")] = "hip",
    onset: Annotated[
        dt.datetime | None, typer.Option(formats=DATE, help="Onset date (default: from the case)")
    ] = None,
    treatment: Annotated[str, typer.Option(help="Main treatment")] = "conservative",
    note_date: Annotated[
        dt.datetime | None, typer.Option(formats=DATE, help="Date a free-text note was written")
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.TEXT,
) -> None:
    """Assess a case or note and register it: new patient (or --patient), episode, snapshot."""
    with _errors():
        result = _run(
            ctx,
            lambda s, _e, a: _add(
                s, a, path, patient, mrn, name, dob, side, joint, onset, treatment, note_date
            ),
        )
        if format is Format.JSON:
            _print_json(result)
        else:
            typer.echo(
                f"patient {result['patient']} episode {result['episode']} "
                f"(version {result['version']}): {result['top_condition']} "
                f"{result['top_probability']:.0%}"
            )


def _add(
    session: Session,
    actor: Actor,
    path: str,
    patient: str | None,
    mrn: str | None,
    name: str | None,
    dob: dt.datetime | None,
    side: str | None,
    joint: str,
    onset: dt.datetime | None,
    treatment: str,
    note_date: dt.datetime | None,
) -> dict[str, Any]:
    from tohip.case.dates import check_clinical_date
    from tohip.case.io import read_case_file
    from tohip.io import read_note
    from tohip.plan.course import onset_date
    from tohip.registry import crud
    from tohip.registry.assessing import assess_for_registry
    from tohip.registry.errors import RegistryInputError
    from tohip.registry.schemas import EpisodeCreate, IdentityCreate, PatientCreate

    source = read_case_file(Path(path)) if path.lower().endswith(".json") else read_note(path)
    day = check_clinical_date(note_date.date(), "--note-date") if note_date else None
    record = assess_for_registry(source, note_date=day)
    if record.input_kind == "note" and not record.output.get("observed_findings"):
        raise RegistryInputError(
            f"{path}: no clinical finding could be read; the registry stores assessments of "
            "clinical notes or cases only"
        )
    case = record.case
    start = onset.date() if onset else onset_date(case)
    chosen_side = side or case.symptoms.side
    if start is None:
        raise RegistryInputError("the case gives no onset date or duration; pass --onset")
    if chosen_side is None:
        raise RegistryInputError("the case gives no side; pass --side")
    preg = case.patient.pregnancy
    episode = EpisodeCreate.model_validate(
        {
            "joint": joint,
            "side": chosen_side,
            "onset_date": start,
            "treatment": treatment,
            "age_at_onset": None if case.patient.age is None else int(case.patient.age),
            "pregnancy_associated": preg is not None and preg.status in ("pregnant", "postpartum"),
        }
    )
    if patient is None:
        identity = IdentityCreate(
            full_name=name, mrn=mrn, date_of_birth=dob.date() if dob else None
        )
        created = crud.create_patient(
            session, actor=actor, patient=PatientCreate(sex=case.patient.sex, identity=identity)
        )
        patient = created.pseudonym
    elif mrn or name or dob:
        raise RegistryInputError("--mrn/--name/--dob are for a new patient, not with --patient")
    row = crud.add_episode(session, actor=actor, pseudonym=patient, episode=episode)
    crud.add_assessment(session, actor=actor, episode_id=row.id, record=record)
    top, top_p = record.top
    return {
        "patient": patient,
        "episode": row.id,
        "version": row.version,
        "top_condition": top,
        "top_probability": top_p,
        "kb_version": record.kb_version,
        "tool_version": record.tool_version,
    }


@registry_app.command()
def visit(
    ctx: typer.Context,
    episode: Annotated[int, typer.Argument(help="Episode id")],
    date: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="Visit date")],
    pain: Annotated[int, typer.Option(help="Pain score 0-10")],
    weight_bearing: Annotated[str, typer.Option(help="full, partial or none")],
    imaging: Annotated[str, typer.Option(help="none, xray, mri, bone_scan, ct")] = "none",
    imaging_result: Annotated[
        str,
        typer.Option(
            help="not_done, normal, marrow_edema, "
            "edema_improving, edema_resolved, osteopenia, fracture, collapse, other"
        ),
    ] = "not_done",
) -> None:
    """Record a follow-up visit (pain score, weight bearing, imaging)."""
    from tohip.registry import crud
    from tohip.registry.schemas import VisitCreate

    with _errors():
        data = VisitCreate.model_validate(
            {
                "visit_date": date.date(),
                "pain_score": pain,
                "weight_bearing": weight_bearing,
                "imaging_modality": imaging,
                "imaging_result": imaging_result,
            }
        )
        row = _run(ctx, lambda s, _e, a: crud.add_visit(s, actor=a, episode_id=episode, visit=data))
        typer.echo(f"visit {row.id} recorded for episode {episode}")


@registry_app.command()
def outcome(
    ctx: typer.Context,
    episode: Annotated[int, typer.Argument(help="Episode id")],
    diagnosis: Annotated[str, typer.Option(help="Final diagnosis id (contract ids or other)")],
    confirmed_by: Annotated[
        str,
        typer.Option(
            help="mri_resolution, clinical_course, imaging, histology, microbiology, surgery, other"
        ),
    ],
    resolved: DateOpt = None,
    recurrence: DateOpt = None,
    recurrence_site: Annotated[
        str | None, typer.Option(help="same_hip, contralateral_hip, other_joint")
    ] = None,
    expected_version: Annotated[
        int | None,
        typer.Option(help="Episode version you last saw; refuses if someone changed it since"),
    ] = None,
) -> None:
    """Record or correct how an episode ended: final diagnosis, confirmation, dates."""
    from tohip.registry import crud
    from tohip.registry.schemas import OutcomeCreate

    with _errors():
        data = OutcomeCreate.model_validate(
            {
                "final_diagnosis": diagnosis,
                "confirmed_by": confirmed_by,
                "resolution_date": resolved.date() if resolved else None,
                "recurrence_date": recurrence.date() if recurrence else None,
                "recurrence_site": recurrence_site,
            }
        )

        def work(s: Session, _e: Engine, a: Actor) -> int:
            crud.record_outcome(
                s, actor=a, episode_id=episode, outcome=data, expected_version=expected_version
            )
            return crud.get_episode(s, episode_id=episode).version

        version = _run(ctx, work)
        typer.echo(f"outcome recorded for episode {episode} (episode version {version})")


@registry_app.command()
def show(
    ctx: typer.Context,
    pseudonym: Annotated[str, typer.Argument(help="Patient pseudonym, e.g. TH-7KQ2-M9XD")],
    identifiers: Annotated[bool, typer.Option(help="Include direct identifiers (audited)")] = False,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.TEXT,
) -> None:
    """A patient's record: episodes, assessments, visits, outcome."""
    from tohip.registry import crud

    with _errors():
        record = _run(
            ctx,
            lambda s, _e, a: crud.patient_record(
                s, actor=a, pseudonym=pseudonym, identifiers=identifiers
            ),
        )
        if format is Format.JSON:
            _print_json(record.model_dump(mode="json", exclude_none=not identifiers))
            return
        from rich.console import Console

        from tohip.cli.render_registry import render_patient

        render_patient(record, Console(emoji=False))


@registry_app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.TEXT,
) -> None:
    """Patients, newest first."""
    from tohip.registry import crud

    with _errors():
        page = _run(
            ctx, lambda s, _e, a: crud.list_patients(s, actor=a, limit=limit, offset=offset)
        )
        if format is Format.JSON:
            _print_json(page.model_dump(mode="json"))
            return
        for p in page.data:
            flag = "  SYNTHETIC" if p.synthetic else ""
            typer.echo(
                f"{p.pseudonym}  {p.sex or '-':6}  episodes {p.episodes} "
                f"(open {p.open_episodes})  last onset {p.last_onset or '-'}{flag}"
            )
        typer.echo(f"{len(page.data)} of {page.count} patient(s)")


@registry_app.command()
def stats(
    ctx: typer.Context,
    plots: Annotated[
        Path | None, typer.Option(help="Write km.<fmt> and reliability.<fmt> into this folder")
    ] = None,
    plot_format: Annotated[str, typer.Option(help="png or svg")] = "png",
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.TEXT,
) -> None:
    """Kaplan-Meier time to resolution with log-rank, recurrence and migration, accuracy and
    calibration (Brier by knowledge-base version), optionally with plots."""
    from tohip.registry import analytics
    from tohip.registry.crud import audit
    from tohip.registry.errors import RegistryInputError

    with _errors():
        if plot_format not in ("png", "svg"):
            raise RegistryInputError("--plot-format must be png or svg")
        if plots is not None and plots.exists() and not plots.is_dir():
            raise RegistryInputError(f"{plots}: exists and is not a folder")

        def work(s: Session, _e: Engine, a: Actor) -> dict[str, Any]:
            audit(s, actor=a, action="stats", entity="registry")
            return {
                "kaplan_meier": analytics.kaplan_meier(s),
                "recurrence": analytics.recurrence(s),
                "calibration": analytics.calibration(s),
            }

        report = _run(ctx, work)
        files = []
        if plots is not None:
            try:
                plots.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise RegistryInputError(
                    f"{plots}: cannot create the folder ({exc.strerror})"
                ) from None
            files.append(
                analytics.plot_kaplan_meier(report["kaplan_meier"], plots / f"km.{plot_format}")
            )
            files.append(
                analytics.plot_reliability(
                    report["calibration"], plots / f"reliability.{plot_format}"
                )
            )
        report["kaplan_meier"].pop("curves")
        if format is Format.JSON:
            _print_json({**report, "plots": [str(f) for f in files]})
            return
        from rich.console import Console

        from tohip.cli.render_registry import render_stats

        render_stats(report, Console(emoji=False))
        for f in files:
            typer.echo(f"wrote {f}")


@registry_app.command()
def export(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder for the export files")],
    csv: Annotated[bool, typer.Option(help="Write CSV")] = True,
    parquet: Annotated[bool, typer.Option(help="Write Parquet")] = True,
) -> None:
    """De-identified research export (CSV and Parquet). The only command a researcher may run."""
    from tohip.registry.export import export_research

    formats = tuple(f for f, on in (("csv", csv), ("parquet", parquet)) if on)
    with _errors():
        manifest = _run(
            ctx,
            lambda s, _e, a: export_research(s, actor=a, directory=directory, formats=formats),
            researcher_ok=True,
        )
        rows = ", ".join(f"{k} {v}" for k, v in manifest["rows"].items())
        label = " (contains SYNTHETIC patients)" if manifest["contains_synthetic"] else ""
        typer.echo(f"wrote {', '.join(manifest['files'])} to {directory}: {rows}{label}")


@registry_app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Backup file to write (.jsonl.gz)")],
) -> None:
    """Full backup, identifiers included (owner-only file permissions)."""
    from tohip.registry.backup import backup as run_backup

    with _errors():
        counts = _run(ctx, lambda s, e, a: run_backup(s, actor=a, target=file, engine=e))
        typer.echo(f"wrote {file}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@registry_app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Backup file written by 'registry backup'")],
) -> None:
    """Restore a backup into a new database (no 'init' needed), all or nothing."""
    from tohip.registry.backup import restore as run_restore

    with _errors():
        counts = _run(
            ctx, lambda s, e, a: run_restore(s, actor=a, source=file, engine=e), check_schema=False
        )
        typer.echo(f"restored {file}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@registry_app.command()
def synthetic(
    ctx: typer.Context,
    patients: Annotated[int, typer.Argument(min=1, max=1_000_000, help="How many")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same cohort)")] = 12,
) -> None:
    """Load a SYNTHETIC cohort drawn from the knowledge base (demos, tests, speed)."""
    from tohip.kb.loader import load_knowledge_base
    from tohip.registry.synthetic import draw_cohort, load_cohort

    with _errors():
        kb = load_knowledge_base()
        cohort = draw_cohort(patients, seed=seed, kb=kb)
        n = _run(
            ctx, lambda s, _e, a: load_cohort(s, actor=a, cohort=cohort, kb_version=kb.version)
        )
        visits = sum(len(e.visits) for e in cohort)
        typer.echo(f"loaded {n} SYNTHETIC patients ({visits} visits), seed {seed}")
