"""Benchmark of the free-text reader (issue 3).

1. Extraction on the annotated corpus (benchmarks/notes/corpus.yaml): precision, recall and F1
   per finding type and overall, negation precision, and throughput (notes per second, one
   process, so one core), for tohip and two baselines run side by side in the same process:
   the same target rules with medspaCy's default ConText rules, and with no ConText at all
   (a plain keyword matcher).
2. End to end on the development cases: top-1 from the free-text version of each case
   (benchmarks/devset/notes.yaml) against top-1 from its structured version.

    python -m benchmarks.run_notes [--repeats 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchmarks.devset import load_devset
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.text.extract import extract_text
from tohip.text.pipeline import ContextMode, build_pipeline
from tohip.text.rules import TextRules, load_text_rules

HERE = Path(__file__).parent
CORPUS = HERE / "notes" / "corpus.yaml"
HELD_OUT = HERE / "notes" / "heldout.yaml"
DEV_NOTES = HERE / "devset" / "notes.yaml"
REPO = HERE.parent
SYSTEMS: dict[str, ContextMode] = {
    "tohip": "tohip",
    "baseline: medspaCy default ConText": "medspacy_default",
    "baseline: keywords, no ConText": "none",
}
IGNORED = {"assessment_date", "id", "schema"}
NEGATIVE = {False, "none", "normal", "preserved", "negative", "not_pregnant"}


@dataclass
class Note:
    id: str
    text: str
    gold: dict[str, Any]
    note_date: dt.date | None
    tags: list[str]


def load_corpus(path: Path = CORPUS) -> list[Note]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]
    return [Note(n["id"], n["text"], n["gold"], n.get("note_date"), n.get("tags", [])) for n in raw]


def flatten(case: Case) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif prefix not in IGNORED:
            out[prefix] = value

    walk("", case.model_dump(mode="json", exclude_defaults=True))
    return out


def lab_class(rules: TextRules, lab: str, value: float, age: float | None) -> str:
    interval = rules.labs.labs[lab].interval
    high = interval.high
    if interval.high_by_age and age is not None:
        high = max(high or 0, (age + 10) / 2)
    if high is not None and value > high:
        return "raised"
    if interval.low is not None and value < interval.low:
        return "low"
    return "normal"


def _items(flat: dict[str, Any]) -> set[tuple[str, str]]:
    items = set()
    for path, value in flat.items():
        for v in value if isinstance(value, list) else [value]:
            items.add((path, json.dumps(v, default=str)))
    return items


def _matches(rules: TextRules, path: str, gold: Any, pred: Any, age: float | None) -> bool:
    if path.startswith("labs.") and isinstance(pred, int | float) and not isinstance(pred, bool):
        lab = path.split(".", 1)[1]
        if isinstance(gold, str):
            return lab_class(rules, lab, float(pred), age) == gold
        return abs(float(pred) - float(gold)) <= 0.02 * max(1.0, abs(float(gold)))
    if isinstance(gold, int | float) and isinstance(pred, int | float):
        if isinstance(gold, bool) or isinstance(pred, bool):
            return gold is pred
        return abs(float(pred) - float(gold)) <= 0.02 * max(1.0, abs(float(gold)))
    return str(gold) == str(pred)


def finding_type(path: str) -> str:
    parts = path.split(".")
    return ".".join(parts[:2]) if parts[0] == "imaging" else parts[0]


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    neg_tp: int = 0
    neg_fp: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, rules: TextRules, note: Note, predicted: dict[str, Any]) -> None:
        gold = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in note.gold.items()}
        age = predicted.get("patient.age")
        gold_items = _items(gold)
        pred_items = _items(predicted)
        matched_gold: set[tuple[str, str]] = set()
        for path, pv in sorted(pred_items):
            hit = next(
                (
                    g
                    for g in gold_items
                    if g[0] == path
                    and g not in matched_gold
                    and _matches(rules, path, json.loads(g[1]), json.loads(pv), age)
                ),
                None,
            )
            kind = finding_type(path)
            negative = json.loads(pv) in NEGATIVE
            if hit:
                matched_gold.add(hit)
                self.tp[kind] += 1
                self.neg_tp += negative
            else:
                self.fp[kind] += 1
                self.neg_fp += negative
                self.errors.append(f"{note.id}: extra {path}={pv}")
        for g in gold_items - matched_gold:
            self.fn[finding_type(g[0])] += 1
            self.errors.append(f"{note.id}: missed {g[0]}={g[1]}")

    def prf(self, kind: str | None = None) -> tuple[float, float, float]:
        tp = sum(self.tp.values()) if kind is None else self.tp[kind]
        fp = sum(self.fp.values()) if kind is None else self.fp[kind]
        fn = sum(self.fn.values()) if kind is None else self.fn[kind]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def negation_precision(self) -> float:
        total = self.neg_tp + self.neg_fp
        return self.neg_tp / total if total else 1.0


def run_system(
    rules: TextRules, mode: ContextMode, notes: list[Note], repeats: int
) -> dict[str, Any]:
    nlp = build_pipeline(rules, context=mode)
    score = Score()
    for note in notes:
        x = extract_text(note.text, note_date=note.note_date, nlp=nlp, rules=rules)
        score.add(rules, note, flatten(x.case))
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for note in notes:
            extract_text(note.text, note_date=note.note_date, nlp=nlp, rules=rules)
        rates.append(len(notes) / (time.perf_counter() - t0))
    kinds = sorted(set(score.tp) | set(score.fp) | set(score.fn))
    p, r, f = score.prf()
    return {
        "overall": {"precision": p, "recall": r, "f1": f},
        "negation_precision": score.negation_precision(),
        "negated_predictions": score.neg_tp + score.neg_fp,
        "by_type": {k: dict(zip(("precision", "recall", "f1"), score.prf(k), strict=True))
                    | {"gold": score.tp[k] + score.fn[k]} for k in kinds},
        "notes_per_second_median": statistics.median(rates),
        "errors": score.errors,
    }  # fmt: skip


def end_to_end(rules: TextRules) -> dict[str, Any]:
    notes = yaml.safe_load(DEV_NOTES.read_text(encoding="utf-8"))["notes"]
    cases = {c.id: c for c in load_devset()}
    missing = sorted(set(cases) - set(notes))
    structured_hits = text_hits = agree = 0
    misses = []
    for case_id, text in notes.items():
        dev = cases[case_id]
        top_structured = assess_case(dev.case).differential[0].condition
        x = extract_text(text, rules=rules)
        top_text = assess_case(x.case).differential[0].condition
        structured_hits += top_structured == dev.gold
        text_hits += top_text == dev.gold
        agree += top_text == top_structured
        if top_text != top_structured:
            misses.append(f"{case_id}: structured {top_structured}, text {top_text}")
    n = len(notes)
    return {
        "cases": n,
        "missing_notes": missing,
        "top1_structured": structured_hits / n,
        "top1_text": text_hits / n,
        "same_top1": agree / n,
        "disagreements": misses,
    }


def shell_seconds(args: list[str], runs: int) -> float:
    """Median wall time of a whole command, start-up included."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def startup(runs: int) -> dict[str, float]:
    note = HERE / "notes" / "startup_note.txt"
    note.write_text(yaml.safe_load(DEV_NOTES.read_text("utf-8"))["notes"]["toh-subchondral-12"])
    try:
        return {
            "python -c pass": shell_seconds([sys.executable, "-c", "pass"], runs),
            "tohip assess case.json": shell_seconds(
                ["tohip", "assess", "examples/toh_middle_aged_man.json", "--format", "json"], runs
            ),
            "tohip assess note.txt": shell_seconds(
                ["tohip", "assess", str(note), "--format", "json"], runs
            ),
        }
    finally:
        note.unlink()


def _print_table(title: str, results: dict[str, dict[str, Any]]) -> None:
    print(title)
    print(f"{'system':38} {'P':>6} {'R':>6} {'F1':>6} {'neg P':>6} {'(n)':>4} {'notes/s':>8}")
    base = results["tohip"]["notes_per_second_median"]
    for name, res in results.items():
        o = res["overall"]
        print(
            f"{name:38} {o['precision']:6.3f} {o['recall']:6.3f} {o['f1']:6.3f} "
            f"{res['negation_precision']:6.3f} {res['negated_predictions']:4d} "
            f"{res['notes_per_second_median']:8.0f} (x{res['notes_per_second_median'] / base:.2f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timing passes over the corpus")
    parser.add_argument("--json", type=Path, help="also write the full results here")
    parser.add_argument("--shell-runs", type=int, default=0, help="time whole commands N times")
    args = parser.parse_args()
    rules = load_text_rules()
    notes = load_corpus()
    held_out = load_corpus(HELD_OUT)
    results = {name: run_system(rules, mode, notes, args.repeats) for name, mode in SYSTEMS.items()}
    unseen = {
        name: run_system(rules, mode, held_out, args.repeats) for name, mode in SYSTEMS.items()
    }
    e2e = end_to_end(rules)
    gold = sum(len(n.gold) for n in notes)
    _print_table(f"Development corpus: {len(notes)} notes, {gold} gold values", results)
    gold = sum(len(n.gold) for n in held_out)
    _print_table(f"\nHeld-out notes: {len(held_out)} notes, {gold} gold values", unseen)
    print("\nBy finding type (tohip):")
    for kind, s in results["tohip"]["by_type"].items():
        print(
            f"  {kind:22} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            f"  (gold {s['gold']})"
        )
    print("\ntohip errors, development:", *results["tohip"]["errors"] or ["none"], sep="\n  ")
    print("tohip errors, held out:", *unseen["tohip"]["errors"] or ["none"], sep="\n  ")
    print(
        f"\nEnd to end ({e2e['cases']} development cases): top-1 structured "
        f"{e2e['top1_structured']:.3f}, top-1 from free text {e2e['top1_text']:.3f}, "
        f"same top-1 {e2e['same_top1']:.3f}"
    )
    for line in e2e["disagreements"]:
        print("  ", line)
    timings = startup(args.shell_runs) if args.shell_runs else {}
    if timings:
        print(f"\nWhole commands, median of {args.shell_runs} runs:")
        for command, seconds in timings.items():
            print(f"  {command:28} {seconds:.3f} s")
    if args.json:
        everything = {"development": results, "held_out": unseen, "end_to_end": e2e,
                      "commands_seconds": timings}  # fmt: skip
        args.json.write_text(json.dumps(everything, indent=2))


if __name__ == "__main__":
    main()
