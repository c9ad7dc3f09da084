"""Assemble the second held-out split (``holdout.yaml``) from its writers' files.

By session 9 the frozen test split had been scored at three releases. Nobody chose a rule from
it, but every reader and reasoning change since has been judged against train and dev by people
who knew how test went. A second held-out split, written in session 9 by four writers who had not
seen the reader, its rules or the corpus notes, from published case reports not used anywhere in
the corpus, measures whether the session's changes reach notes nobody has tuned for. Gold structured
cases were then written by three annotators from each note's text alone (no source, no
diagnosis, no reader), as for the corpus; their files are in ``holdout_gold_raw/``.

    python -m benchmarks.corpus.holdout DIR     # DIR holds the writers' w*.yaml files
    python -m benchmarks.corpus.holdout --gold  # add holdout_gold_raw/*.yaml to the notes

The notes are shuffled and renamed ``ho-NNN`` (the writers' ids, which sort by condition, are kept
as ``writer_id``), checked, and written once. Scored only at release:
``python -m benchmarks.run_corpus --split holdout``.

The first held-out split was scored once (session 9 release) and is read like train from session
10 on. A third, ``holdout2``, was written and annotated the same way in session 10 from sources
used nowhere before (not in train, dev, test or holdout); it is assembled by the same commands
with ``--split holdout2`` first (ids ``h2-NNN``, gold from ``holdout2_gold_raw/``).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus.gold import read_split, write_split
from benchmarks.corpus.split import _keys
from tohip.case.schema import Case

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
HEADERS = {
    "holdout": """\
# tohip second held-out split (session 9): notes written from published case reports not used in
# train, dev or test, by four writers who had not seen the reader, its rules or the corpus notes.
# `condition` is the final diagnosis the source reached; `gold` (added separately, by annotators
# working from the text alone) is the structured case. Scored at release only; never read it to
# write rules.
# Assembled by: python -m benchmarks.corpus.holdout DIR
""",
    "holdout2": """\
# tohip third held-out split (session 10): notes written from published case reports not used in
# train, dev, test or holdout, by four writers who had not seen the reader, its rules or the corpus.
# `condition` is the final diagnosis the source reached; `gold` (added separately, by annotators
# working from the text alone) is the structured case. Scored at release only; never read it to
# write rules.
# Assembled by: python -m benchmarks.corpus.holdout --split holdout2 DIR
""",
}
PREFIX = {"holdout": "ho", "holdout2": "h2"}
EARLIER = {"holdout": ("train", "dev", "test"), "holdout2": ("train", "dev", "test", "holdout")}


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


def corpus_source_keys(split: str = "holdout") -> set[str]:
    """The DOI / PMID / URL keys of every note in the splits written before ``split``."""
    return {k for split in EARLIER[split] for n in read_split(split)[1] for k in _keys(n["source"])}


def assemble(notes: list[dict[str, Any]], prefix: str = "ho") -> list[dict[str, Any]]:
    """The notes in a fixed shuffled order (by a hash of the text), renamed ``<prefix>-NNN``."""
    order = sorted(notes, key=lambda n: hashlib.sha256(n["text"].encode()).hexdigest())
    return [
        {
            "id": f"{prefix}-{i:03d}",
            "writer_id": n["id"],
            **{k: v for k, v in n.items() if k != "id"},
        }
        for i, n in enumerate(order, 1)
    ]


def add_gold(notes: list[dict[str, Any]], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The notes with each annotator's case (validated) as ``gold`` and their doubts beside it."""
    by_id = {e["id"]: e for e in entries}
    missing = [n["id"] for n in notes if n["id"] not in by_id]
    if missing or len(by_id) != len(entries) or set(by_id) - {n["id"] for n in notes}:
        raise ValueError(f"gold entries do not match the notes one to one (missing {missing})")
    out = []
    for note in notes:
        entry = by_id[note["id"]]
        Case.model_validate(entry["case"])
        extra = {"gold_doubts": entry["doubts"]} if entry.get("doubts") else {}
        bare = {k: v for k, v in note.items() if k not in ("gold", "gold_doubts")}
        out.append({**bare, "gold": entry["case"], **extra})
    return out


def main() -> None:
    args = sys.argv[1:]
    split = "holdout"
    if args[:1] == ["--split"]:
        split, args = args[1], args[2:]
    if split not in HEADERS:
        raise SystemExit(f"unknown held-out split {split!r}")
    if args == ["--gold"]:
        notes = read_split(split)[1]
        raw = sorted((HERE / f"{split}_gold_raw").glob("*.yaml"))
        entries = [e for path in raw for e in yaml.safe_load(path.read_text("utf-8"))["gold"]]
        write_split(split, HEADERS[split], add_gold(notes, entries))
        print(f"{split}: gold cases for {len(notes)} notes from {len(raw)} annotators")
        return
    folder = Path(args[0])
    notes = [
        n
        for path in sorted(folder.glob("w*.yaml"))
        for n in yaml.safe_load(path.read_text("utf-8"))["notes"]
    ]
    found = problems(notes, corpus_source_keys(split))
    if found:
        raise SystemExit("\n".join(found))
    write_split(split, HEADERS[split], assemble(notes, PREFIX[split]))
    sources = {_keys(n["source"])[0] for n in notes}
    print(f"{split}: {len(notes)} notes from {len(sources)} sources")


if __name__ == "__main__":
    main()
