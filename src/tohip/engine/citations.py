"""Turning knowledge-base source keys into full citations for output."""

from __future__ import annotations

from collections.abc import Iterable

from tohip.engine.types import Citation
from tohip.kb.loader import KnowledgeBase
from tohip.kb.schema import Source


def cite(kb: KnowledgeBase, sources: Iterable[Source]) -> list[Citation]:
    out = []
    for src in sources:
        ref = kb.references[src.ref]
        out.append(
            Citation(
                ref=ref.id,
                citation=" ".join(ref.citation.split()),
                note=src.note,
                doi=ref.doi,
                seed_file=ref.seed_file,
            )
        )
    return out
