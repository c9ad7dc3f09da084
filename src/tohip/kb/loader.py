"""Load the knowledge base from the YAML files shipped inside the package (or a directory given
for review), validate every file, and return one immutable ``KnowledgeBase``."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tohip.errors import KnowledgeBaseError, ReadError
from tohip.io import decode_text, read_file_bytes
from tohip.kb.schema import (
    Condition,
    ConditionsFile,
    Finding,
    FindingsFile,
    Investigation,
    InvestigationsFile,
    Manifest,
    RedFlag,
    RedFlagsFile,
    Reference,
    ReferencesFile,
    Statement,
    StatementsFile,
)

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound=BaseModel)
KB_DIR_ENV = "TOHIP_KB_DIR"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, located by file and path."""

    file: str
    path: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Compared and hashed by identity, so compiled models can be cached per instance."""

    """The validated knowledge base; lookups by id, in file order."""

    manifest: Manifest
    conditions: tuple[Condition, ...]
    prior_file: ConditionsFile
    findings: dict[str, Finding]
    references: dict[str, Reference]
    red_flags: tuple[RedFlag, ...]
    investigations: tuple[Investigation, ...]
    statements: tuple[Statement, ...]

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def condition_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.conditions)

    def condition(self, condition_id: str) -> Condition:
        return next(c for c in self.conditions if c.id == condition_id)


MAX_KB_FILE_BYTES = 5_000_000  # the largest shipped file is a few hundred kilobytes
KB_FOLDERS = ("", "text", "plan")


def read_kb_file(path: Path) -> str:
    """The text of one knowledge-base file: a regular UTF-8 file within the size limit."""
    raw = read_file_bytes(path, limit=MAX_KB_FILE_BYTES, kind="knowledge-base")
    return decode_text(raw, str(path), "knowledge-base file")


def check_kb_files_readable(directory: Path) -> None:
    """Raise ``ReadError`` (one line) if ``directory`` is not a folder or a YAML file in it cannot
    be read as UTF-8 text; content is checked afterwards, every problem listed."""
    if not directory.is_dir():
        raise ReadError(f"{directory}: not a folder; give the knowledge-base folder")
    for folder in KB_FOLDERS:
        for path in sorted((directory / folder).glob("*.yaml")):
            read_kb_file(path)


def _read_yaml(directory: Path, name: str, problems: list[Problem]) -> Any:
    path = directory / name
    try:
        return yaml.load(read_kb_file(path), Loader=_Loader)
    except ReadError as exc:
        message = str(exc).removeprefix(f"{path}: ")
        problems.append(
            Problem(name, "", "file is missing" if "no such file" in message else message)
        )
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "", f"not valid YAML: {exc}"))
    return None


def _parse(model: type[M], raw: Any, name: str, problems: list[Problem]) -> M | None:
    if raw is None:
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            path = ".".join(str(part) for part in err["loc"])
            problems.append(Problem(name, path, err["msg"]))
    return None


def default_directory() -> Path:
    """The directory of the shipped data, or the one named by $TOHIP_KB_DIR."""
    override = os.environ.get(KB_DIR_ENV)
    if override:
        return Path(override)
    return Path(str(resources.files("tohip.kb") / "data"))


def read_knowledge_base(directory: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Parse and check a knowledge-base directory; never raises for bad content."""
    from tohip.kb.checks import check_knowledge_base

    problems: list[Problem] = []
    manifest = _parse(
        Manifest, _read_yaml(directory, "manifest.yaml", problems), "manifest.yaml", problems
    )
    refs_raw = _read_yaml(directory, "references.yaml", problems)
    refs = _parse(
        ReferencesFile,
        None if refs_raw is None else {"references": refs_raw},
        "references.yaml",
        problems,
    )
    conditions = _parse(
        ConditionsFile,
        _read_yaml(directory, "conditions.yaml", problems),
        "conditions.yaml",
        problems,
    )
    findings = _parse(
        FindingsFile, _read_yaml(directory, "findings.yaml", problems), "findings.yaml", problems
    )
    flags = _parse(
        RedFlagsFile, _read_yaml(directory, "red_flags.yaml", problems), "red_flags.yaml", problems
    )
    tests = _parse(
        InvestigationsFile,
        _read_yaml(directory, "investigations.yaml", problems),
        "investigations.yaml",
        problems,
    )
    statements = _parse(
        StatementsFile,
        _read_yaml(directory, "statements.yaml", problems),
        "statements.yaml",
        problems,
    )
    if None in (manifest, refs, conditions, findings, flags, tests, statements):
        return None, problems
    assert manifest and refs and conditions and findings and flags and tests and statements
    kb = KnowledgeBase(
        manifest=manifest,
        conditions=tuple(conditions.conditions),
        prior_file=conditions,
        findings={f.id: f for f in findings.findings},
        references={r.id: r for r in refs.references},
        red_flags=tuple(flags.red_flags),
        investigations=tuple(tests.investigations),
        statements=tuple(statements.statements),
    )
    problems.extend(check_knowledge_base(kb, findings.findings))
    return kb, problems


@functools.lru_cache(maxsize=4)
def load_knowledge_base(directory: str | None = None) -> KnowledgeBase:
    """Load and cache the knowledge base; raise ``KnowledgeBaseError`` listing every error.

    A knowledge base that loaded without error is also kept on disk (``tohip.kb.cache``), keyed
    by the content of its files and tohip's code, and read from there next time."""
    from tohip.kb.cache import cached

    where = Path(directory) if directory else default_directory()

    def build() -> KnowledgeBase:
        kb, problems = read_knowledge_base(where)
        errors = [str(p) for p in problems if p.severity == "error"]
        if kb is None or errors:
            raise KnowledgeBaseError(errors or ["knowledge base could not be read"])
        return kb

    return cached("kb", where, KnowledgeBase, build)
