"""Reading a structured case from JSON, with errors that name the file and the field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tohip.case.schema import Case
from tohip.errors import CaseValidationError
from tohip.io import MAX_NOTE_BYTES, parse_json, read_file_text

MAX_CASE_BYTES = MAX_NOTE_BYTES  # a case is a few kilobytes; the same limit as a note
MAX_CASE_ID_CHARS = 64
_NOT_ID_CHARS = re.compile(r"[^\w.-]+")


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
    """A case from JSON text (bounded depth and numbers, no duplicate keys), validated."""
    data = parse_json(text, origin)
    try:
        return case_from_data(data)
    except CaseValidationError as exc:
        raise CaseValidationError(f"{origin}: {exc}") from None


def read_json_file(path: Path, kind: str = "case") -> Any:
    """Parsed JSON from a regular file of at most ``MAX_CASE_BYTES``; ``InputError`` naming the
    file for anything unreadable, special, oversized, not UTF-8 or not strict JSON."""
    return parse_json(read_file_text(path, limit=MAX_CASE_BYTES, kind=kind), str(path))


def read_case_file(path: Path) -> Case:
    """Load a ``.json`` case file; raise ``CaseFileError``/``CaseValidationError`` on bad input."""
    data = read_json_file(path)
    try:
        return case_from_data(data)
    except CaseValidationError as exc:
        raise CaseValidationError(f"{path}: {exc}") from None


def case_id_from_path(path: str) -> str | None:
    """A short, safe case id from a note's file name (``-`` has none).

    The file name is the user's label, not validated input: a 220-character name, spaces or
    control characters must neither reject the note nor reach reports and logs as they are.
    """
    if path == "-":
        return None
    cleaned = _NOT_ID_CHARS.sub("_", Path(path).stem).strip("._-")
    return cleaned[:MAX_CASE_ID_CHARS] or None
