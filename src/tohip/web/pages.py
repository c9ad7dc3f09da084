"""The clinician's workbench: server-rendered pages that work without JavaScript (every form
posts and the page is rendered again) and update live with it (static/workbench.js).

Nothing is stored on the server: the note, the current case and which values the clinician
has entered travel in the page's form, so a closed tab leaves no patient data behind.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from tohip.api import provenance_from
from tohip.case.io import case_from_json_text, describe_validation_error
from tohip.case.schema import Case
from tohip.errors import InputError
from tohip.plan.types import VisitRecord
from tohip.web import checklist, highlight, service
from tohip.web.auth import LoginThrottle, SessionCookies
from tohip.web.security import (
    BROWSER_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    csrf_token,
    current_session,
    current_user,
    set_cookie,
    settings_of,
)

# autoescape everything: the templates end in .j2, which select_autoescape would not escape
templates = Jinja2Templates(
    env=Environment(
        loader=PackageLoader("tohip.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)
router = APIRouter(include_in_schema=False)
MAX_FORM_FIELDS = 600
VISIT_FIELDS = tuple(checklist._walk(VisitRecord, ""))
VISIT_BY_PATH = {f.path: f for f in VISIT_FIELDS}


class LoginNeeded(Exception):
    """Raised by a page when login is required and the browser has no session."""


def _require_login(request: Request) -> str | None:
    user = current_user(request)
    if settings_of(request).login_required and user is None:
        raise LoginNeeded
    return user


def examples() -> dict[str, str]:
    """Example notes shipped with the package (synthetic, written for tohip), by file stem."""
    folder = resources.files("tohip.web") / "examples"
    return {
        item.name.removesuffix(".txt"): item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".txt")
    }


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    context = {
        "csrf": csrf_token(request),
        "user": current_user(request),
        "login_required": settings_of(request).login_required,
        **context,
    }
    response = templates.TemplateResponse(request, name, context, status_code=status)
    fresh = getattr(request.state, "new_browser_id", None)
    if fresh:
        set_cookie(request, response, BROWSER_COOKIE, fresh)
    session = current_session(request)
    if session is not None:  # a page seen: the idle limit starts again (renewed once a minute)
        sessions: SessionCookies = request.app.state.sessions
        renewed = sessions.renewed(session)
        if renewed:
            set_cookie(request, response, SESSION_COOKIE, renewed)
    return response


async def _form(request: Request) -> FormData:
    """The posted form, its CSRF token checked. An uploaded file is read into memory (the body
    limit bounds it) and its temporary file closed at once, into ``request.state.uploads``."""
    form = await request.form(max_files=1, max_fields=MAX_FORM_FIELDS)
    uploads: dict[str, tuple[str, bytes]] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            uploads[key] = (value.filename or "", await value.read())
            await value.close()
    request.state.uploads = uploads
    token = form.get("csrf_token")
    check_csrf(request, token if isinstance(token, str) else None)
    return form


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    _require_login(request)
    return _render(request, "start.html.j2", {"examples": examples(), "error": None})


# --- the state every workbench screen carries ---------------------------------------------


class State:
    """The note (if any), the current case data and the paths the clinician has entered."""

    def __init__(self, note: str, data: dict[str, Any], entered: list[str]) -> None:
        self.note = note
        self.data = data
        self.entered = entered

    @classmethod
    def from_form(cls, form: FormData) -> State:
        try:
            data = json.loads(_text(form, "case_data") or "{}")
        except json.JSONDecodeError:
            raise InputError("the page's case data is damaged; start again") from None
        if not isinstance(data, dict):
            raise InputError("the page's case data is damaged; start again")
        entered = [p for p in _text(form, "entered").split(",") if p in checklist.BY_PATH]
        return cls(_text(form, "note"), data, entered)

    def case(self) -> Case:
        try:
            return Case.model_validate(self.data)
        except ValidationError as exc:
            raise InputError(describe_validation_error(exc)) from None


def _analyse(state: State) -> dict[str, Any]:
    """Everything the workbench shows for this state (runs in a worker thread)."""
    case = state.case()
    extraction = service.read_note(state.note) if state.note else None
    provenance = None
    if extraction is not None:
        provenance = {
            path: p for path, p in provenance_from(extraction).items() if path not in state.entered
        }
    worked = service.work_case(case, provenance)
    flat = checklist.flatten(checklist.case_data(case))
    read_paths = set(provenance or {})
    evidence_by_path: dict[str, list[str]] = {}
    if extraction is not None:
        for e in extraction.used():
            if e.path in read_paths:
                evidence_by_path.setdefault(e.path, []).append(e.text)
    groups = []
    for group in checklist.GROUPS:
        fields = [f for f in checklist.FIELDS if f.group == group]
        rows = [
            {
                "field": f,
                "value": checklist.display(f, flat.get(f.path)),
                "read": f.path in read_paths,
                "entered": f.path in state.entered,
                "words": evidence_by_path.get(f.path, []),
            }
            for f in fields
        ]
        rows.sort(key=lambda r: r["value"] == checklist.UNKNOWN)
        known = sum(1 for r in rows if r["value"] != checklist.UNKNOWN)
        groups.append({"name": group, "rows": rows, "known": known})
    return {
        "assessment": worked.assessment,
        "segments": highlight.segments(state.note, extraction.evidence) if extraction else [],
        "evidence": [
            {"e": e, "status": highlight.status_of(e), "why": highlight.explanation(e)}
            for e in (extraction.evidence if extraction else [])
        ],
        "labels": highlight.LABELS,
        "groups": groups,
        "worked": worked,
    }


def _state_context(state: State) -> dict[str, Any]:
    return {
        "note": state.note,
        "case_json": json.dumps(state.data, separators=(",", ":")),
        "entered": ",".join(state.entered),
    }


async def _start_state(form: FormData, uploads: dict[str, tuple[str, bytes]]) -> State:
    example = _text(form, "example")
    if example:
        notes = examples()
        if example not in notes:
            raise InputError("no such example")
        return await _note_state(notes[example])
    filename, raw = uploads.get("case_file", ("", b""))
    if filename:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("the case file is not UTF-8 text") from None
        case = case_from_json_text(text, origin="the case file")
        data = checklist.case_data(case)
        return State("", data, [p for p in checklist.flatten(data) if p in checklist.BY_PATH])
    # a textarea's value is sent with CRLF line breaks (HTML's form encoding); the note as typed
    # has LF, and the reader's offsets and wrapped-line handling are on that text
    note = _text(form, "note_text").replace("\r\n", "\n")
    if not note.strip():
        raise InputError("paste a note, choose a case file or open an example")
    return await _note_state(note)


async def _note_state(note: str) -> State:
    extraction = await run_in_threadpool(service.read_note, note)
    return State(note, checklist.case_data(extraction.case), [])


def _edited(state: State, form: FormData) -> State:
    """The state with the checklist's controls applied: changed and confirmed values now count
    as entered by the clinician. ``InputError`` (state unchanged) when the result is invalid."""
    edits = {
        key.removeprefix("f."): value
        for key, value in form.multi_items()
        if key.startswith("f.") and isinstance(value, str)
    }
    confirmed = [key.removeprefix("confirm.") for key in form if key.startswith("confirm.")]
    try:
        data, changed = checklist.apply_edits(state.data, edits)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    entered = [
        p for p in dict.fromkeys([*state.entered, *changed, *confirmed]) if p in checklist.BY_PATH
    ]
    edited = State(state.note, data, entered)
    edited.case()
    return edited


@router.post("/workbench", response_class=HTMLResponse)
async def workbench(request: Request) -> Response:
    _require_login(request)
    form = await _form(request)
    action = _text(form, "action") or "update"
    try:
        if action == "start":
            state = await _start_state(form, request.state.uploads)
        else:
            state = State.from_form(form)
            try:
                state = _edited(state, form)
            except InputError as exc:
                analysis = await run_in_threadpool(_analyse, state)
                return _render(
                    request, "workbench.html.j2",
                    {**analysis, **_state_context(state), "error": str(exc)}, status=422,
                )  # fmt: skip
    except InputError as exc:
        context = {"examples": examples(), "error": str(exc)}
        return _render(request, "start.html.j2", context, status=422)
    analysis = await run_in_threadpool(_analyse, state)
    return _render(
        request, "workbench.html.j2", {**analysis, **_state_context(state), "error": None}
    )


async def _screen_state(request: Request) -> tuple[FormData, State, service.Worked]:
    _require_login(request)
    form = await _form(request)
    state = _edited(State.from_form(form), form)
    analysis = await run_in_threadpool(_analyse, state)
    worked: service.Worked = analysis["worked"]
    return form, state, worked


@router.post("/workbench/plan", response_class=HTMLResponse)
async def plan_screen(request: Request) -> Response:
    return await _plan_page(request, "plan.html.j2")


async def _plan_page(request: Request, template: str) -> Response:
    """The care plan or the handout preview: both show the plan and the handout built from it."""
    try:
        _form_data, state, worked = await _screen_state(request)
        care_plan, sheet = await run_in_threadpool(_plan_and_handout, worked)
    except InputError as exc:
        return _render(request, "start.html.j2", {"examples": examples(), "error": str(exc)}, 422)
    return _render(
        request, template,
        {**_state_context(state), "plan": care_plan, "sheet": sheet, "error": None},
    )  # fmt: skip


def _plan_and_handout(worked: service.Worked) -> tuple[Any, Any]:
    from tohip.handout.content import build_handout

    care_plan = service.care_plan(worked)
    return care_plan, build_handout(worked.case, care_plan)


@router.post("/workbench/handout", response_class=HTMLResponse)
async def handout_screen(request: Request) -> Response:
    return await _plan_page(request, "handout.html.j2")


@router.post("/workbench/handout.pdf")
async def handout_pdf(request: Request) -> Response:
    from tohip.handout.render import handout_pdf as render_pdf

    try:
        _form_data, _state, worked = await _screen_state(request)
        care_plan, sheet = await run_in_threadpool(_plan_and_handout, worked)
    except InputError as exc:
        return _render(request, "start.html.j2", {"examples": examples(), "error": str(exc)}, 422)
    pdf = await run_in_threadpool(render_pdf, sheet, care_plan.plan_date)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": 'attachment; filename="tohip-handout.pdf"'},
    )


def _visit_from_form(form: FormData) -> VisitRecord | None:
    data: dict[str, Any] = {}
    for key, value in form.multi_items():
        if not key.startswith("v.") or not isinstance(value, str):
            continue
        field = VISIT_BY_PATH.get(key.removeprefix("v."))
        if field is None:
            continue
        try:
            parsed = checklist.parse(field, value)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        if parsed is not None:
            checklist._set(data, field.path, parsed)
    if not data:
        return None
    try:
        return VisitRecord.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"visit: {describe_validation_error(exc)}") from None


@router.post("/workbench/followup", response_class=HTMLResponse)
async def followup_screen(request: Request) -> Response:
    try:
        form, state, worked = await _screen_state(request)
    except InputError as exc:
        return _render(request, "start.html.j2", {"examples": examples(), "error": str(exc)}, 422)
    result, error = None, None
    try:
        visit = _visit_from_form(form)
        if visit is not None:
            result = await run_in_threadpool(service.follow_up, worked, [visit])
    except InputError as exc:  # a bad visit: the form comes back with the reason
        error = str(exc)
    submitted = {k.removeprefix("v."): v for k, v in form.multi_items() if k.startswith("v.")}
    return _render(
        request, "followup.html.j2",
        {**_state_context(state), "visit_fields": VISIT_FIELDS, "submitted": submitted,
         "result": result, "error": error},
        status=422 if error else 200,
    )  # fmt: skip


# --- login -----------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return _render(request, "login.html.j2", {"error": None})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await _form(request)
    user, password = _text(form, "username"), _text(form, "password")
    settings = settings_of(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    wait = throttle.wait(user)
    if wait > 0:
        error = f"too many failed attempts for this user; try again in {wait / 60:.0f} minutes"
        response = _render(request, "login.html.j2", {"error": error}, 429)
        response.headers["retry-after"] = str(max(1, round(wait)))
        return response
    ok = await run_in_threadpool(settings.auth.check_password, user, password)
    if not ok:
        throttle.failed(user)
        return _render(request, "login.html.j2", {"error": "unknown user or wrong password"}, 401)
    throttle.succeeded(user)
    sessions: SessionCookies = request.app.state.sessions
    response = RedirectResponse("/", status_code=303)  # a new nonce at each login (no fixation)
    set_cookie(request, response, SESSION_COOKIE, sessions.issue(user))
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await _form(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
