"""Reading follow-up visits from JSON: one visit object, or a list of visits in date order (the
last is evaluated; earlier ones give the pain trend)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from tohip.case.io import MAX_CASE_BYTES, describe_validation_error
from tohip.errors import CaseFileError, CaseValidationError
from tohip.plan.types import VisitRecord

MAX_VISITS = 200


def read_visits(path: Path) -> list[VisitRecord]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CaseFileError(f"{path}: is a directory, not a visit file") from None
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_CASE_BYTES:
        raise CaseFileError(f"{path}: larger than {MAX_CASE_BYTES} bytes; not a visit file")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CaseFileError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise CaseValidationError(f"{path}: the list of visits is empty")
    if len(items) > MAX_VISITS:
        raise CaseValidationError(f"{path}: more than {MAX_VISITS} visits")
    visits = []
    for index, item in enumerate(items):
        where = f"visit {index + 1}" if isinstance(data, list) else "visit"
        if not isinstance(item, dict):
            raise CaseValidationError(f"{path}: {where} must be a JSON object")
        try:
            visits.append(VisitRecord.model_validate(item))
        except ValidationError as exc:
            raise CaseValidationError(
                f"{path}: invalid {where}: {describe_validation_error(exc)}"
            ) from None
    return visits
