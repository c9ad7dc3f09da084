"""Every shipped example validates against the JSON Schema published for its format, checked by
an independent validator (jsonschema), not by the pydantic models the schemas come from."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import REPO

SCHEMAS = REPO / "schemas"


@functools.cache
def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _as_json(data: Any) -> Any:
    """YAML dates become ISO strings, as they are in a JSON case."""
    return json.loads(json.dumps(data, default=str))


def _devset_cases() -> list[tuple[str, Any]]:
    raw = yaml.safe_load((REPO / "benchmarks" / "devset" / "cases.yaml").read_text())
    return [(f"devset:{c['id']}", _as_json(c["case"])) for c in raw["cases"]]


def _readme_cases() -> list[tuple[str, Any]]:
    blocks = re.findall(r"```json\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    return [(f"README:{i}", json.loads(b)) for i, b in enumerate(blocks) if "patient" in b]


def _example_cases() -> list[tuple[str, Any]]:
    return [(p.name, json.loads(p.read_text())) for p in sorted((REPO / "examples").glob("*.json"))]


def _example_visits() -> list[tuple[str, Any]]:
    found = []
    for path in sorted((REPO / "examples" / "visits").glob("*.json")):
        data = json.loads(path.read_text())
        for i, visit in enumerate(data if isinstance(data, list) else [data]):
            found.append((f"{path.name}[{i}]", visit))
    return found


CASES = _example_cases() + _readme_cases() + _devset_cases()
VISITS = _example_visits()


def test_there_are_examples_of_each_kind() -> None:
    kinds = {name.split(":")[0] for name, _ in CASES if ":" in name}
    assert len(_example_cases()) >= 3 and kinds == {"README", "devset"} and len(VISITS) >= 3


@pytest.mark.parametrize(("name", "case"), CASES, ids=[n for n, _ in CASES])
def test_shipped_case_validates_against_the_published_schema(name: str, case: Any) -> None:
    errors = sorted(_validator("case").iter_errors(case), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(
        f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors
    )


@pytest.mark.parametrize(("name", "visit"), VISITS, ids=[n for n, _ in VISITS])
def test_shipped_visit_validates_against_the_published_schema(name: str, visit: Any) -> None:
    errors = list(_validator("visit").iter_errors(visit))
    assert not errors, f"{name}: {errors[0].message}"


@pytest.mark.parametrize(
    "bad",
    [
        {"labs": {"crp": {"value": 3, "unit": 5}}},
        {"labs": {"crp": {"unit": "mg/L"}}},
        {"history": {"trauma": "yes"}},
        {"patient": {"age": True}},
        {"id": "a\nb"},
    ],
)
def test_the_published_schema_refuses_what_tohip_refuses(bad: dict[str, Any]) -> None:
    assert list(_validator("case").iter_errors(bad))
