"""Every fact in the five seed documents is in the knowledge base, cited to its seed file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import SHARED
from tohip.kb.loader import KnowledgeBase

FACTS = yaml.safe_load((Path(__file__).parent / "seed_facts.yaml").read_text())["facts"]


@pytest.mark.parametrize("fact", FACTS, ids=[f"{f['seed']}:{f['fact']}" for f in FACTS])
def test_seed_fact_is_in_the_knowledge_base(kb: KnowledgeBase, fact: dict[str, object]) -> None:
    statement = next((s for s in kb.statements if s.id == fact["statement"]), None)
    assert statement is not None, f"no statement {fact['statement']}"
    assert fact["seed"] in {src.ref for src in statement.sources}
    text = " ".join(statement.text.split()).lower()
    for word in fact["words"]:  # type: ignore[attr-defined]
        assert word.lower() in text, f"{word!r} missing from {statement.id}"


def test_every_seed_document_is_cited(kb: KnowledgeBase) -> None:
    seeds = {r.id for r in kb.references.values() if r.kind == "seed"}
    covered = {f["seed"] for f in FACTS}
    assert seeds == covered == {f"seed_00{i}" for i in range(5)}


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared/seeds not beside the repo")
def test_seed_references_name_real_files(kb: KnowledgeBase) -> None:
    for ref in kb.references.values():
        if ref.kind == "seed":
            assert ref.seed_file and (SHARED / "seeds" / ref.seed_file).is_file(), ref.id
