"""The REST API under ``/api/v1``. Each POST takes ``{"note": ...}`` or ``{"case": ...}`` and
answers what the matching CLI command prints with ``--format json``."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from tohip.api import NoteAssessment
from tohip.case.schema import Case
from tohip.engine.types import Assessment
from tohip.handout.content import Handout
from tohip.plan.types import CarePlan, FollowUpResult, VisitRecord
from tohip.text.types import Extraction
from tohip.web import service
from tohip.web.problems import problem_responses
from tohip.web.security import require_token

_BAD_INPUT = problem_responses(400, 401, 413, 415, 422, 429, 500)
_READ_ONLY = problem_responses(401, 422, 429, 500)
MAX_VISITS = 200


def _refuse_blank(note: str | None) -> None:
    """A note with no text is an input error (as on the command line), not a patient with no
    findings: its assessment would be the population prior presented as an answer."""
    if note is not None and not note.strip():
        raise ValueError('"note" is empty')


class _Input(BaseModel):
    """A free-text note, or a structured case (schema: GET /api/v1/schemas/case)."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(
        default=None, description="A clinical note in English, as a clinician writes it"
    )
    case: Case | None = Field(default=None, description="A structured case (tohip.case/2)")
    note_date: dt.date | None = Field(
        default=None, description="When the note was written, so 'since March' becomes a date"
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> _Input:
        if (self.note is None) == (self.case is None):
            raise ValueError('give exactly one of "note" and "case"')
        _refuse_blank(self.note)
        if self.case is not None and self.note_date is not None:
            raise ValueError('"note_date" applies to a note, not to a case')
        return self


class AssessRequest(_Input):
    pass


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(description="A clinical note in English")
    note_date: dt.date | None = None

    @model_validator(mode="after")
    def _not_blank(self) -> ExtractRequest:
        _refuse_blank(self.note)
        return self


class PlanRequest(_Input):
    pass


class HandoutFormat(StrEnum):
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


class HandoutRequest(_Input):
    format: HandoutFormat | None = Field(
        default=None, description="json, html or pdf; when left out, the Accept header decides"
    )


class FollowUpRequest(_Input):
    visits: list[VisitRecord] = Field(
        min_length=1, max_length=MAX_VISITS, description="Visits in date order; the last is judged"
    )


ASSESS_PREFIX = "AssessOut_"


def assess_response_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON Schema of what ``tohip assess --format json`` prints, and its definitions.

    The case read from a note is written by alias (``schema``, as in a case file), as
    FastAPI documents models; the response is documented from the models directly, its
    definitions prefixed to stay apart from the request's.
    """
    adapter: TypeAdapter[NoteAssessment | Assessment] = TypeAdapter(NoteAssessment | Assessment)
    schema = adapter.json_schema(
        by_alias=True,
        mode="serialization",
        ref_template="#/components/schemas/" + ASSESS_PREFIX + "{model}",
    )
    definitions = {ASSESS_PREFIX + name: d for name, d in schema.pop("$defs", {}).items()}
    return schema, definitions


class KbCondition(BaseModel):
    id: str
    label: str
    must_not_miss: bool


class KbFinding(BaseModel):
    id: str
    label: str
    category: str
    case_field: str | None


class KbSummary(BaseModel):
    version: str
    conditions: list[KbCondition]
    findings: list[KbFinding]


class Health(BaseModel):
    status: Literal["ok"]
    knowledge_base_version: str


class SchemaName(StrEnum):
    CASE = "case"
    VISIT = "visit"
    PLAN = "plan"
    FOLLOWUP = "followup"
    HANDOUT = "handout"


def _json(text: str) -> Response:
    return Response(content=text, media_type="application/json")


def _worked(body: _Input) -> service.Worked:
    return service.work(body.note, body.case, body.note_date)


Authorised = Annotated[str | None, Depends(require_token)]
router = APIRouter(prefix="/api/v1", tags=["api"])


@router.post(
    "/assess",
    response_model=None,
    responses={
        200: {
            "description": "What `tohip assess --format json` prints: the differential, its "
            "explanation, red flags and next tests; for a note also `extraction`, the case read "
            "from it with the evidence",
            "content": {"application/json": {"schema": {}}},  # filled in by app.openapi
        },
        **_BAD_INPUT,
    },
)
def assess(body: AssessRequest, _user: Authorised) -> Response:
    """Rank the conditions, explain why, flag dangers, suggest next tests (as `tohip assess`)."""
    return _json(service.assessment_json(_worked(body)))


@router.post("/extract", response_model=None, responses={200: {"model": Extraction}, **_BAD_INPUT})
def extract(body: ExtractRequest, _user: Authorised) -> Response:
    """Read a note into the structured case, with the words behind every value."""
    return _json(service.extraction_json(service.read_note(body.note, body.note_date)))


@router.post("/plan", response_model=None, responses={200: {"model": CarePlan}, **_BAD_INPUT})
def plan(body: PlanRequest, _user: Authorised) -> Response:
    """Care plan for the leading diagnosis: do now, plan, left out and why, checks, course."""
    return _json(service.care_plan(_worked(body)).model_dump_json(indent=2) + "\n")


def _handout_format(requested: HandoutFormat | None, accept: str | None) -> HandoutFormat:
    if requested is not None:
        return requested
    accept = (accept or "").lower()
    if "application/pdf" in accept:
        return HandoutFormat.PDF
    if "text/html" in accept:
        return HandoutFormat.HTML
    return HandoutFormat.JSON


@router.post(
    "/handout",
    response_model=None,
    responses={
        200: {
            "model": Handout,
            "description": "The handout: JSON (sections and reading grade), HTML or PDF",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **_BAD_INPUT,
    },
)
def handout(
    body: HandoutRequest, _user: Authorised, accept: Annotated[str | None, Header()] = None
) -> Response:
    """Plain-language handout for the patient as JSON, HTML or PDF (`format` or Accept)."""
    from tohip.handout.content import build_handout
    from tohip.handout.render import handout_html, handout_pdf

    worked = _worked(body)
    care_plan = service.care_plan(worked)
    sheet = build_handout(worked.case, care_plan)
    chosen = _handout_format(body.format, accept)
    if chosen is HandoutFormat.PDF:
        return Response(
            handout_pdf(sheet, care_plan.plan_date),
            media_type="application/pdf",
            headers={"content-disposition": 'attachment; filename="tohip-handout.pdf"'},
        )
    if chosen is HandoutFormat.HTML:
        # a standalone document with its own stylesheet: inline style allowed, still no script
        return HTMLResponse(
            handout_html(sheet, care_plan.plan_date), headers={"content-security-policy": (
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
            )},
        )  # fmt: skip
    return _json(sheet.model_dump_json(indent=2) + "\n")


@router.post(
    "/followup", response_model=None, responses={200: {"model": FollowUpResult}, **_BAD_INPUT}
)
def followup(body: FollowUpRequest, _user: Authorised) -> Response:
    """Judge the last follow-up visit against the expected course (as `tohip followup`)."""
    result = service.follow_up(_worked(body), body.visits)
    return _json(result.model_dump_json(indent=2) + "\n")


@router.get("/kb", response_model=KbSummary, responses=_READ_ONLY)
def knowledge_base(_user: Authorised) -> KbSummary:
    """The knowledge base's version, conditions and findings."""
    from tohip.kb.loader import load_knowledge_base

    kb = load_knowledge_base()
    return KbSummary(
        version=kb.version,
        conditions=[
            KbCondition(id=c.id, label=c.label, must_not_miss=c.must_not_miss)
            for c in kb.conditions
        ],
        findings=[
            KbFinding(id=f.id, label=f.label, category=f.category, case_field=f.observe.field)
            for f in kb.findings.values()
        ],
    )


@router.get(
    "/schemas/{name}",
    responses={200: {"content": {"application/schema+json": {}}}, **_READ_ONLY},
)
def json_schema(name: SchemaName, _user: Authorised) -> JSONResponse:
    """JSON Schema of a format: case and visit (inputs), plan, followup, handout (outputs)."""
    models: dict[SchemaName, type[BaseModel]] = {
        SchemaName.CASE: Case,
        SchemaName.VISIT: VisitRecord,
        SchemaName.PLAN: CarePlan,
        SchemaName.FOLLOWUP: FollowUpResult,
        SchemaName.HANDOUT: Handout,
    }
    mode: Literal["validation", "serialization"] = (
        "validation" if name in (SchemaName.CASE, SchemaName.VISIT) else "serialization"
    )
    document: dict[str, Any] = models[name].model_json_schema(by_alias=True, mode=mode)
    return JSONResponse(document, media_type="application/schema+json")


@router.get("/health", response_model=Health, responses=problem_responses(503))
def health(request: Request) -> Response:
    """200 once the reader and knowledge base are loaded and the server can assess."""
    from tohip.web.problems import problem_response

    if not getattr(request.app.state, "ready", False):
        return problem_response(request, 503, "starting: the reader is still loading")
    return JSONResponse(
        Health(status="ok", knowledge_base_version=request.app.state.kb_version).model_dump()
    )
