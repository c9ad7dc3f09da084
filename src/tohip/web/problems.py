"""Errors as RFC 9457 problem details (``application/problem+json``), for every route.

FastAPI's own handlers answer ``{"detail": ...}`` as ``application/json``; these replace them.
Anything unexpected becomes a 500 problem in the guard middleware (``middleware.py``), which
names the request id (so the log line can be found) and never carries a stack trace or input.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from tohip.errors import InputError, TohipError

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """RFC 9457 problem details, with tohip's request id for support."""

    type: str = Field(default="about:blank", description="A URI naming the kind of problem")
    title: str = Field(description="Short summary of the kind of problem")
    status: int = Field(ge=400, le=599)
    detail: str | None = Field(default=None, description="What was wrong with this request")
    instance: str | None = Field(default=None, description="The request path")
    request_id: str | None = Field(default=None, description="Quote this to the administrator")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Each invalid field: location and message"
    )


def problem_response(
    request: Request | None,
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    title = HTTPStatus(status).phrase
    problem = Problem(
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        request_id=getattr(request.state, "request_id", None) if request is not None else None,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _field_errors(exc: RequestValidationError) -> tuple[list[dict[str, Any]], bool]:
    """Each error as {location, message} (never the submitted value: it may be patient data),
    and whether the body was not JSON at all."""
    errors = []
    malformed = False
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            malformed = True
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        errors.append({"location": ".".join(loc) or "body", "message": message})
    return errors, malformed


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors, malformed = _field_errors(exc)
    if malformed:
        return problem_response(request, 400, "the request body is not valid JSON")
    summary = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
    return problem_response(request, 422, summary, errors=errors)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(request, exc.status_code, str(exc.detail), headers=headers)


async def _tohip(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TohipError)
    status = 422 if isinstance(exc, InputError) else 500
    return problem_response(request, status, str(exc) if status == 422 else None)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(TohipError, _tohip)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem+json answers."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
