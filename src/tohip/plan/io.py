"""Reading follow-up visits from JSON: one visit object, or a list of visits in date order (the
last is evaluated; earlier ones give the pain trend)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from tohip.case.io import describe_validation_error, read_json_file
from tohip.errors import CaseValidationError
from tohip.plan.types import VisitRecord

MAX_VISITS = 200


def read_visits(path: Path) -> list[VisitRecord]:
    data = read_json_file(path, "visit")
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
