"""Reading a structured case from JSON, with errors that name the file and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tohip.case.schema import Case
from tohip.errors import CaseFileError, CaseValidationError

MAX_CASE_BYTES = 5_000_000


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming every bad field, e.g. ``labs.crp: unit 'mg' is not recognised``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "case"
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def case_from_data(data: Any) -> Case:
    if not isinstance(data, dict):
        raise CaseValidationError("a case must be a JSON object")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseValidationError(f"invalid case: {describe_validation_error(exc)}") from None


def case_from_json_text(text: str, origin: str = "input") -> Case:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"{origin}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    try:
        return case_from_data(data)
    except CaseValidationError as exc:
        raise CaseValidationError(f"{origin}: {exc}") from None


def read_json_file(path: Path, kind: str = "case") -> Any:
    """Parsed JSON from a file; ``CaseFileError`` naming the file for anything unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CaseFileError(f"{path}: is a directory, not a {kind} file") from None
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_CASE_BYTES:
        raise CaseFileError(f"{path}: larger than {MAX_CASE_BYTES} bytes; not a {kind} file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError(f"{path}: not UTF-8 text") from None
    if not text.strip():
        raise CaseFileError(f"{path}: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None


def read_case_file(path: Path) -> Case:
    """Load a ``.json`` case file; raise ``CaseFileError``/``CaseValidationError`` on bad input."""
    data = read_json_file(path)
    try:
        return case_from_data(data)
    except CaseValidationError as exc:
        raise CaseValidationError(f"{path}: {exc}") from None
