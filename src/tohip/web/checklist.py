"""The structured case as an editable checklist: one control per leaf field of the case
schema, and the way back from submitted controls to a case.

Every field has three kinds of answer: a value, or *unknown* (the field left out of the case).
Unknown stays unknown: a field the clinician did not touch is never filled in for them. The
fields are found by walking the pydantic model, so the checklist follows the schema without a
list kept by hand.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from tohip.case.schema import Case

UNKNOWN = ""  # the submitted value that means "unknown: leave the field out"
NONE = "none"  # a list known to be empty ("no known drug allergies"), unlike unknown
Kind = Literal["bool", "choice", "number", "date", "list", "text"]
# shown as fixed values of the case (not edited field by field): the follow-up studies list
SKIPPED = frozenset({"imaging.followup", "schema", "id"})


@dataclass(frozen=True)
class Field:
    path: str  # e.g. imaging.mri.edema_pattern
    group: str  # e.g. imaging.mri
    name: str  # e.g. edema_pattern
    label: str
    kind: Kind
    choices: tuple[str, ...] = ()
    description: str | None = None
    minimum: float | None = None
    maximum: float | None = None


def _unwrap(annotation: Any) -> tuple[Any, ...]:
    """The types a field may hold, without None and without ``Annotated`` wrappers (the case
    model's strict types, e.g. ``StrictBool``, are ``Annotated[bool, Strict()]``)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
    else:
        options = [annotation]
    return tuple(
        typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a for a in options
    )


def _bounds(info: Any) -> tuple[float | None, float | None]:
    low = high = None
    for item in info.metadata:
        low = getattr(item, "ge", None) if getattr(item, "ge", None) is not None else low
        low = getattr(item, "gt", None) if getattr(item, "gt", None) is not None else low
        high = getattr(item, "le", None) if getattr(item, "le", None) is not None else high
    return low, high


def _leaf(path: str, group: str, name: str, annotation: Any, info: Any) -> Field | None:
    options = _unwrap(annotation)
    first = options[0]

    def make(kind: Kind, choices: tuple[str, ...] = ()) -> Field:
        low, high = _bounds(info) if kind == "number" else (None, None)
        label = name.replace("_", " ")
        return Field(path, group, name, label, kind, choices, info.description, low, high)

    if first is bool:
        return make("bool")
    if isinstance(first, type) and issubclass(first, Enum):
        return make("choice", tuple(str(m.value) for m in first))
    if typing.get_origin(first) is Literal:
        return make("choice", tuple(str(a) for a in typing.get_args(first)))
    if first in (float, int) or float in options:
        return make("number")
    if first is dt.date:
        return make("date")
    if typing.get_origin(first) is list:
        return make("list")
    if first is str:
        return make("text")
    return None


def _walk(model: type[BaseModel], prefix: str) -> list[Field]:
    out: list[Field] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = f"{prefix}.{key}" if prefix else key
        if path in SKIPPED:
            continue
        nested = [a for a in _unwrap(info.annotation) if isinstance(a, type)]
        sub = next((a for a in nested if issubclass(a, BaseModel)), None)
        if sub is not None:
            out += _walk(sub, path)
            continue
        leaf = _leaf(path, prefix or "case", key, info.annotation, info)
        if leaf is not None:
            out.append(leaf)
    return out


FIELDS: tuple[Field, ...] = tuple(_walk(Case, ""))
BY_PATH = {f.path: f for f in FIELDS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(f.group for f in FIELDS))


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"labs": {"crp": 40}}`` -> ``{"labs.crp": 40}``; lists stay whole."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and path not in SKIPPED:
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat


def case_data(case: Case) -> dict[str, Any]:
    """The case as JSON data with unknown fields left out (as a clinician would write it)."""
    data: dict[str, Any] = case.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def display(field: Field, value: Any) -> str:
    """A known value as the control shows it; unknown is the empty string."""
    if value is None:
        return UNKNOWN
    if field.kind == "bool":
        return "yes" if value else "no"
    if field.kind == "list":
        return ", ".join(str(v) for v in value) if value else NONE
    if field.kind == "number":
        return repr(float(value)).removesuffix(".0")  # every digit kept: no silent rounding
    return str(value)


def parse(field: Field, raw: str) -> Any:
    """A submitted control's value as case data, ``None`` for unknown. Errors name the field;
    the case model validates ranges and combinations afterwards."""
    raw = raw.strip()
    if raw == UNKNOWN:
        return None
    if field.kind == "bool":
        if raw not in ("yes", "no"):
            raise ValueError(f"{field.path}: answer yes, no or unknown")
        return raw == "yes"
    if field.kind == "number":
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{field.path}: {raw[:20]!r} is not a number") from None
    if field.kind == "list":
        if raw.lower() == NONE:
            return []  # none known: not the same as unknown
        return [part.strip() for part in raw.split(",") if part.strip()]
    if field.kind == "choice" and raw not in field.choices:
        raise ValueError(f"{field.path}: choose one of {', '.join(field.choices)}")
    if field.kind == "choice" and raw.isdigit():
        return int(raw)  # Literal[1, 2, 3]: the trimester
    return raw


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    if value is None:
        node.pop(leaf, None)
    else:
        node[leaf] = value


def _prune(data: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Drop objects emptied by the edits that were not in the case before."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            before = base.get(key)
            inner = _prune(value, before if isinstance(before, dict) else {})
            if inner or key in base:
                out[key] = inner
        else:
            out[key] = value
    return out


def apply_edits(base: dict[str, Any], edits: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The base case data with each submitted control applied; the paths whose value changed
    (which now count as entered by the clinician) are returned beside it."""
    import copy

    data = copy.deepcopy(base)
    before = flatten(base)
    changed = []
    for path, raw in edits.items():
        field = BY_PATH.get(path)
        if field is None:
            raise ValueError(f"{path[:80]}: not a field of the case")
        value = parse(field, raw)
        if value != before.get(path):
            changed.append(path)
            _set(data, path, value)
    return _prune(data, base), changed
