"""Which reader errors change the decision: for each corpus note whose top-1 read from the note
differs from the top-1 of its gold structured case, put back one section of the gold case at a
time and assess again.

Sections: patient (without medicines), medicines and allergies, history, symptoms, exam, labs,
and each imaging study (x-ray, MRI, bone scan, CT, ultrasound, follow-up studies). A section is
*decisive* when putting its gold values in the read case alone brings the note's top-1 to the gold
case's. Values put back are entered values (no provenance); the rest stay read, with the reader's
trust, exactly as ``benchmarks.run_corpus`` assesses them. For each decisive section the field
differences (``missed`` gold values, ``extra`` read values) are printed, and at the end a count of
decisive sections across the notes, so that errors recurring on train and dev together can be
told from one note's quirk.

When no single section flips a note, "needs several" is printed with the sections whose gold
values, all put back together, do flip it (or "none": the reasoning differs with soft evidence).

Train and dev only; the frozen test split is never read.

    python -m benchmarks.decision_swaps [--split train] [--split dev]
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from benchmarks.run_corpus import _same, flatten, load_split
from tohip.api import provenance_from
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.kb.loader import load_knowledge_base
from tohip.text.extract import extract_text
from tohip.text.rules import load_text_rules

SECTIONS = (
    "patient",
    "medicines",
    "history",
    "symptoms",
    "exam",
    "labs",
    "imaging.xray",
    "imaging.mri",
    "imaging.bone_scan",
    "imaging.ct",
    "imaging.ultrasound",
    "imaging.followup",
)
MEDICINES = ("medications", "allergies")


def _get(case: dict[str, Any], section: str) -> Any:
    if section == "medicines":
        return {k: v for k, v in case.get("patient", {}).items() if k in MEDICINES}
    if section == "patient":
        return {k: v for k, v in case.get("patient", {}).items() if k not in MEDICINES}
    node: Any = case
    for part in section.split("."):
        node = (node or {}).get(part)
    return node


def _put(case: dict[str, Any], section: str, value: Any) -> dict[str, Any]:
    """A copy of ``case`` with ``section`` replaced by ``value`` (None removes it)."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in case.items()}
    if section in ("patient", "medicines"):
        keep = MEDICINES if section == "patient" else None
        patient = {
            k: v
            for k, v in out.get("patient", {}).items()
            if (k in MEDICINES) == (keep is not None)
        }
        out["patient"] = {**patient, **(value or {})}
        return out
    head, _, leaf = section.partition(".")
    if not leaf:
        out[head] = value or {}
        return out
    imaging = dict(out.get("imaging", {}))
    if value in (None, [], {}):
        imaging.pop(leaf, None)
    else:
        imaging[leaf] = value
    out["imaging"] = imaging
    return out


def _paths(section: str) -> tuple[str, ...]:
    if section == "medicines":
        return tuple(f"patient.{m}" for m in MEDICINES)
    return (section,)


def _owned(path: str, section: str) -> bool:
    if section == "patient":
        return path.startswith("patient.") and not path.startswith(
            tuple(f"patient.{m}" for m in MEDICINES)
        )
    return any(path == p or path.startswith(p + ".") for p in _paths(section))


def diff(gold: Any, read: Any, prefix: str) -> list[str]:
    """Field differences of one section: ``missed`` gold values and ``extra`` read ones."""
    g = flatten({prefix: gold}) if gold else set()
    r = flatten({prefix: read}) if read else set()
    lines = []
    for path, v in sorted(r):
        if not any(gp == path and _same(path, gv, v) for gp, gv in g):
            lines.append(f"extra {path}={v}")
    for path, v in sorted(g):
        if not any(rp == path and _same(path, v, rv) for rp, rv in r):
            lines.append(f"missed {path}={v}")
    return lines


def top1(case: dict[str, Any], provenance: dict[str, Any], kb: Any) -> str | None:
    try:
        model = Case.model_validate(case)
    except ValueError:
        return None
    return assess_case(model, kb, provenance).differential[0].condition


def analyse(split: str, kb: Any, rules: Any, nlp: Any) -> Counter[str]:
    import datetime as dt

    decisive: Counter[str] = Counter()
    print(f"\n## {split}\n")
    for note in load_split(split):
        if "gold" not in note:
            continue
        gold = note["gold"]
        gold_top = assess_case(Case.model_validate(gold), kb).differential[0].condition
        date = dt.date.fromisoformat(str(note["note_date"])) if note.get("note_date") else None
        x = extract_text(note["text"], note_date=date, nlp=nlp, rules=rules)
        read = x.case.model_dump(mode="json", exclude_defaults=True)
        prov = provenance_from(x, rules)
        read_top = top1(read, prov, kb)
        if read_top == gold_top:
            continue
        print(f"{note['id']} ({note['condition']}): note top-1 {read_top}, gold case {gold_top}")
        differing = [
            s
            for s in SECTIONS
            if diff(_get(gold, s), _get(read, s), s.replace("medicines", "patient"))
        ]
        flips = []
        for s in differing:
            swapped = _put(read, s, _get(gold, s))
            kept = {p: v for p, v in prov.items() if not _owned(p, s)}
            if top1(swapped, kept, kb) == gold_top:
                flips.append(s)
        for s in flips:
            decisive[s] += 1
            print(f"  decisive: {s}")
            for line in diff(_get(gold, s), _get(read, s), s.replace("medicines", "patient")):
                print(f"      {line}")
        if not flips:
            swapped, kept = read, dict(prov)
            for s in differing:
                swapped = _put(swapped, s, _get(gold, s))
                kept = {p: v for p, v in kept.items() if not _owned(p, s)}
            together = top1(swapped, kept, kb) == gold_top
            print(f"  needs several: {', '.join(differing) if together else 'none'}")
            decisive["(several)" if together else "(none)"] += 1
    return decisive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", action="append", choices=["train", "dev", "holdout"])
    args = parser.parse_args()
    kb = load_knowledge_base()
    rules = load_text_rules()
    from tohip.text.pipeline import build_pipeline

    nlp = build_pipeline(rules, context="tohip")  # as benchmarks.corpus.predict reads
    for split in args.split or ["train", "dev"]:
        counts = analyse(split, kb, rules, nlp)
        print(f"\n{split} decisive sections: {dict(counts.most_common())}")


if __name__ == "__main__":
    main()
