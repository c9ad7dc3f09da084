"""Check that the free-text reader's output is unchanged by a change meant only to make it faster.

Reads every note of the independent corpus's readable splits (train, dev and the first holdout;
never the frozen test split nor the second holdout), of ``benchmarks/notes/*.yaml`` and of the
development set (``benchmarks/devset/notes.yaml``), with this checkout's reader and with the
reader of ``--baseline-rev`` (its ``src`` from ``git archive``, run in a child process:
``benchmarks.earlier``), and compares the two dumps item by item: the case, every evidence item
and every warning, as JSON.

    python -m benchmarks.check_reader_unchanged [--baseline-rev main] [--write dump.json]
        [--against dump.json]

``--rules-from-checkout`` gives the baseline tree this checkout's rule files
(``src/tohip/kb/data/text``), so that a merge which also changed the rules compares the two
readers' code on the same rules. ``--against`` compares with a dump written earlier by
``--write`` instead of running a baseline. Exit status 1 and the first differences when they
differ.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from benchmarks.earlier import source_tree
from benchmarks.run_devset import READABLE_SPLITS

HERE = Path(__file__).parent
REPO = HERE.parent
RULES = Path("src") / "tohip" / "kb" / "data" / "text"


def all_notes() -> list[dict[str, Any]]:
    """(id, text, note date) of every note the check reads."""
    out: list[dict[str, Any]] = []
    for split in READABLE_SPLITS:  # never the frozen test split nor the unseen holdout2
        raw = yaml.safe_load((HERE / "corpus" / f"{split}.yaml").read_text("utf-8"))["notes"]
        out += [
            {"id": f"corpus/{split}/{n['id']}", "text": n["text"], "note_date": n.get("note_date")}
            for n in raw
        ]
    for path in sorted((HERE / "notes").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text("utf-8"))["notes"]
        out += [{"id": f"notes/{path.stem}/{n['id']}", "text": n["text"]} for n in raw]
    devset = yaml.safe_load((HERE / "devset" / "notes.yaml").read_text("utf-8"))["notes"]
    out += [{"id": f"devset/{key}", "text": text} for key, text in devset.items()]
    return out


# Runs in a child process under either tree: one JSON line per note.
CHILD = r"""
import datetime as dt, json, sys
from tohip.text.extract import extract_text
for n in json.load(sys.stdin):
    day = dt.date.fromisoformat(str(n["note_date"])) if n.get("note_date") else None
    try:
        x = extract_text(n["text"], note_date=day)
        out = json.loads(x.model_dump_json())
    except Exception as exc:  # a reader that fails must fail the same way in both trees
        out = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps({"id": n["id"], "extraction": out}, sort_keys=True))
"""


def _run(env: dict[str, str], notes: list[dict[str, Any]]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], input=json.dumps(notes, default=str), capture_output=True,
        text=True, env=env, cwd=tempfile.gettempdir(), check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {r["id"]: r["extraction"] for r in rows}


def read_with(rev: str | None, notes: list[dict[str, Any]], rules_here: bool) -> dict[str, Any]:
    with source_tree(rev, str(RULES) if rules_here else None) as env:
        return _run(env, notes)


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{key}: only in {'after' if a is None else 'before'}")
            continue
        for part in sorted(set(a) | set(b)):
            if a.get(part) != b.get(part):
                out.append(
                    f"{key}: {part} differs:\n  before {a.get(part)}\n  after  {b.get(part)}"
                )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--baseline-rev", default="main")
    parser.add_argument("--against", type=Path, help="a dump written by --write")
    parser.add_argument("--write", type=Path, help="write this checkout's dump here")
    parser.add_argument("--rules-from-checkout", action="store_true")
    args = parser.parse_args()
    notes = all_notes()
    after = read_with(None, notes, False)
    if args.write:
        args.write.write_text(json.dumps(after, sort_keys=True, indent=1), "utf-8")
    if args.against:
        before = json.loads(args.against.read_text("utf-8"))
        label = str(args.against)
    else:
        before = read_with(args.baseline_rev, notes, args.rules_from_checkout)
        label = args.baseline_rev
    found = differences(before, after)
    evidence = sum(len(x.get("evidence", [])) for x in after.values())
    print(f"{len(after)} notes, {evidence} evidence items; baseline {label}: "
          f"{'identical' if not found else f'{len(found)} differences'}")  # fmt: skip
    for line in found[:20]:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
