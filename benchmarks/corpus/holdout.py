"""Assemble the second held-out split (``holdout.yaml``) from its writers' files.

By session 9 the frozen test split had been scored at three releases. Nobody chose a rule from
it, but every reader and reasoning change since has been judged against train and dev by people
who knew how test went. A second held-out split, written in session 9 by four writers who had not
seen the reader, its rules or the corpus notes, from published case reports not used anywhere in
the corpus, measures whether the session's changes reach notes nobody has tuned for. It holds the
source's final diagnosis for each note but no gold structured case yet, so it scores top-1 and
top-3 from the note; reader F1 and agreement need gold cases annotated from the text alone.

    python -m benchmarks.corpus.holdout DIR     # DIR holds the writers' w*.yaml files

The notes are shuffled and renamed ``ho-NNN`` (the writers' ids, which sort by condition, are kept
as ``writer_id``), checked, and written once. Scored only at release:
``python -m benchmarks.run_corpus --split holdout``.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus.gold import read_split, write_split
from benchmarks.corpus.split import _keys

HERE = Path(__file__).parent
CONDITIONS = {
    "transient_osteoporosis",
    "osteonecrosis",
    "stress_fracture",
    "subchondral_insufficiency_fracture",
    "osteoarthritis",
    "septic_arthritis",
    "inflammatory_arthritis",
    "neoplasm",
    "other",
}
REQUIRED = ("id", "condition", "source", "style", "text")
HEADER = """\
# tohip second held-out split (session 9): notes written from published case reports not used in
# train, dev or test, by four writers who had not seen the reader, its rules or the corpus notes.
# `condition` is the final diagnosis the source reached. No gold structured case yet: this split
# scores top-1 and top-3 from the note only. Scored at release only; never read it to write rules.
# Assembled by: python -m benchmarks.corpus.holdout DIR
"""


def problems(notes: list[dict[str, Any]], used_keys: set[str]) -> list[str]:
    """Everything wrong with a set of held-out notes, one line each (empty when sound).

    Two held-out notes may share a source (two patients of one case series): they are scored in
    the same split, so no patient crosses from a split we tune on into this one.
    """
    found: list[str] = []
    for note in notes:
        name = note.get("id", "?")
        found += [f"{name}: no {f}" for f in REQUIRED if not note.get(f)]
        if note.get("condition") not in CONDITIONS:
            found.append(f"{name}: unknown condition {note.get('condition')!r}")
        if not 300 <= len(str(note.get("text", ""))) <= 5000:
            found.append(f"{name}: text of {len(str(note.get('text', '')))} characters")
        found += [
            f"{name}: source already in the corpus ({key})"
            for key in _keys(note.get("source") or {})
            if key in used_keys
        ]
    return found


def corpus_source_keys() -> set[str]:
    """The DOI / PMID / URL keys of every note in train, dev and test."""
    return {
        k
        for split in ("train", "dev", "test")
        for n in read_split(split)[1]
        for k in _keys(n["source"])
    }


def assemble(notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The notes in a fixed shuffled order (by a hash of the text), renamed ``ho-NNN``."""
    order = sorted(notes, key=lambda n: hashlib.sha256(n["text"].encode()).hexdigest())
    return [
        {"id": f"ho-{i:03d}", "writer_id": n["id"], **{k: v for k, v in n.items() if k != "id"}}
        for i, n in enumerate(order, 1)
    ]


def main() -> None:
    folder = Path(sys.argv[1])
    notes = [
        n
        for path in sorted(folder.glob("w*.yaml"))
        for n in yaml.safe_load(path.read_text("utf-8"))["notes"]
    ]
    found = problems(notes, corpus_source_keys())
    if found:
        raise SystemExit("\n".join(found))
    write_split("holdout", HEADER, assemble(notes))
    sources = {_keys(n["source"])[0] for n in notes}
    print(f"holdout: {len(notes)} notes from {len(sources)} sources")


if __name__ == "__main__":
    main()
