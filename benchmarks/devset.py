"""Loading the development set (benchmarks/devset/cases.yaml) as validated cases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tohip.case.io import case_from_data
from tohip.case.schema import Case

DEVSET = Path(__file__).parent / "devset" / "cases.yaml"


@dataclass(frozen=True)
class DevCase:
    id: str
    gold: str
    tags: tuple[str, ...]
    citation: str
    case: Case


def load_devset(path: Path = DEVSET) -> list[DevCase]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        DevCase(
            id=item["id"],
            gold=item["gold"],
            tags=tuple(item.get("tags", [])),
            citation=item["source"]["citation"],
            case=case_from_data({"id": item["id"], **item["case"]}),
        )
        for item in raw["cases"]
    ]
