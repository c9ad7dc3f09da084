"""Benchmark on the independent corpus (benchmarks/corpus): reading and reasoning from notes
that nobody on the reader's side wrote.

For each split it scores, side by side in one run:

- **tohip** (this checkout's reader and knowledge base);
- **baseline: medspaCy default ConText** (this reader with medspaCy's ConText rules unchanged);
- **baseline: release REV** (the reader and knowledge base of an earlier commit, default
  4754c6d, the last release before this benchmark existed), run from ``git archive`` in a
  subprocess so that its code is exactly what was released.

Measures: top-1 and top-3 from the note; top-1 from the gold structured case (the reasoning
alone); how often the note's top-1 equals the gold case's top-1; transient osteoporosis ranked
first; reader precision, recall and F1 against the gold case, overall and per section; "whole
study normal" read where the gold does not say so; reading speed.

    python -m benchmarks.run_corpus --split train --split dev [--baseline-rev 4754c6d]
    python -m benchmarks.run_corpus --split test          # release only: the frozen split
    python -m benchmarks.run_corpus --split holdout       # the second held-out split (session 9;
                                                          # scored once, read like train since)
    python -m benchmarks.run_corpus --split holdout2      # release only: the third held-out split
                                                          # (session 10)
    python -m benchmarks.run_corpus --split dev --write-reliability
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus.predict import predictor
from benchmarks.earlier import run_module_at
from tohip.case.schema import Case
from tohip.engine.assess import assess_case

HERE = Path(__file__).parent
REPO = HERE.parent
CORPUS = HERE / "corpus"
IGNORED = {"assessment_date", "id", "schema"}
RELIABILITY = REPO / "src" / "tohip" / "kb" / "data" / "text" / "reliability.yaml"
TOH = "transient_osteoporosis"


def load_split(name: str) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = yaml.safe_load((CORPUS / f"{name}.yaml").read_text("utf-8"))[
        "notes"
    ]
    return notes


def flatten(case: dict[str, Any]) -> set[tuple[str, str]]:
    """A case as (path, value) items; lists count item by item, follow-up studies by kind."""
    items: set[tuple[str, str]] = set()

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, list):
            for v in value:
                if isinstance(v, dict) and "modality" in v:
                    rest = {k: x for k, x in v.items() if k != "modality"}
                    walk(f"{prefix}.{v['modality']}", rest)
                else:
                    walk(prefix, v)
        elif prefix and prefix.split(".")[0] not in IGNORED and value is not None:
            items.add((prefix, json.dumps(_normal(value))))

    walk("", {k: v for k, v in case.items() if k not in IGNORED})
    return items


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _same(path: str, gold: str, pred: str) -> bool:
    g, p = json.loads(gold), json.loads(pred)
    if isinstance(g, bool) or isinstance(p, bool):
        return g is p
    if isinstance(g, int | float) and isinstance(p, int | float):
        return abs(p - g) <= 0.02 * max(1.0, abs(g)) or (
            "weeks" in path and abs(p - g) <= max(1.0, 0.15 * abs(g))
        )
    return bool(g == p)


def section(path: str) -> str:
    parts = path.split(".")
    if parts[0] == "patient" and parts[1] in ("allergies", "medications"):
        return "medicines and allergies"
    if parts[0] == "imaging":
        return "imaging." + parts[1]
    return parts[0]


def field_keys(path: str, value: str) -> tuple[str, str]:
    """The keys a value is also counted under: its field's name wherever it stands
    (``other_cause`` for every study), and that name with the value (``other_cause=true``)."""
    name = path.rsplit(".", 1)[-1]
    return name, f"{name}={value}"


@dataclass
class ReaderScore:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    by_field: dict[str, Counter[str]] = field(
        default_factory=lambda: {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    )
    errors: list[str] = field(default_factory=list)
    wrong_normal: int = 0

    def _count(self, outcome: str, path: str, value: str) -> None:
        getattr(self, outcome)[section(path)] += 1
        self.by_field[outcome].update(field_keys(path, value))

    def add(self, note_id: str, gold: dict[str, Any], predicted: dict[str, Any]) -> None:
        g_items, p_items = flatten(gold), flatten(predicted)
        matched: set[tuple[str, str]] = set()
        for path, pv in sorted(p_items):
            hit = next(
                (g for g in g_items if g[0] == path and g not in matched and _same(path, g[1], pv)),
                None,
            )
            if hit:
                matched.add(hit)
                self._count("tp", path, pv)
            else:
                self._count("fp", path, pv)
                self.errors.append(f"{note_id}: extra {path}={pv}")
                if path.endswith(".normal") and pv == "true":
                    self.wrong_normal += 1
        for path, gv in sorted(g_items - matched):
            self._count("fn", path, gv)
            self.errors.append(f"{note_id}: missed {path}={gv}")

    def prf(self, kind: str | None = None) -> dict[str, float]:
        tp = sum(self.tp.values()) if kind is None else self.tp[kind]
        fp = sum(self.fp.values()) if kind is None else self.fp[kind]
        fn = sum(self.fn.values()) if kind is None else self.fn[kind]
        return _prf(tp, fp, fn)

    def field_counts(self, key: str) -> dict[str, int]:
        """Right, extra and missed values of one field (``field_keys``), all studies together."""
        return {outcome: self.by_field[outcome][key] for outcome in ("tp", "fp", "fn")}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "gold": tp + fn}  # fmt: skip


def _inputs(notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": n["id"], "text": n["text"], "note_date": n.get("note_date")} for n in notes]


def predict_here(notes: list[dict[str, Any]], context: str) -> list[dict[str, Any]]:
    predict = predictor(context)
    return [predict(n) for n in _inputs(notes)]


def predict_release(notes: list[dict[str, Any]], rev: str) -> list[dict[str, Any]]:
    """Run an earlier release's reader and engine, from its own source, in a subprocess."""
    return run_module_at(rev, ["benchmarks.corpus.predict", "--context", "tohip"], _inputs(notes))


def gold_top(notes: list[dict[str, Any]]) -> dict[str, list[str]]:
    out = {}
    for n in notes:
        if "gold" in n:
            a = assess_case(Case.model_validate(n["gold"]))
            out[n["id"]] = [r.condition for r in a.differential]
    return out


def score(
    notes: list[dict[str, Any]], predictions: list[dict[str, Any]], gold_ranked: dict[str, Any]
) -> dict[str, Any]:
    by_id = {p["id"]: p for p in predictions}
    reader = ReaderScore()
    top1 = top3 = agree = toh_first = toh_total = with_gold = 0
    per_condition: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for n in notes:
        p = by_id[n["id"]]
        ranked = [c for c, _ in p["differential"]]
        hit = ranked[0] == n["condition"]
        top1 += hit
        top3 += n["condition"] in ranked[:3]
        per_condition[n["condition"]][0] += hit
        per_condition[n["condition"]][1] += 1
        if n["condition"] == TOH:
            toh_total += 1
            toh_first += hit
        if n["id"] in gold_ranked:
            with_gold += 1
            agree += gold_ranked[n["id"]][0] == ranked[0]
            reader.add(n["id"], n["gold"], p["case"])
    total = len(notes)
    seconds = [p["read_seconds"] for p in predictions]
    chars = sum(len(n["text"]) for n in notes)
    return {
        "notes": total,
        "top1": top1 / total,
        "top3": top3 / total,
        "toh_first": f"{toh_first}/{toh_total}",
        "recall_by_condition": {c: f"{h}/{t}" for c, (h, t) in sorted(per_condition.items())},
        "with_gold": with_gold,
        "top1_same_as_gold_case": agree / with_gold if with_gold else None,
        "reader": reader.prf() if with_gold else None,
        "reader_by_section": {
            s: reader.prf(s) for s in sorted(set(reader.tp) | set(reader.fp) | set(reader.fn))
        },
        "whole_study_normal_wrong": reader.wrong_normal,
        "reader_by_field": {outcome: dict(c) for outcome, c in reader.by_field.items()},
        "notes_per_second": total / sum(seconds),
        "characters_per_second": chars / sum(seconds),
        "median_read_ms": 1000 * statistics.median(seconds),
        "errors": reader.errors,
    }


def reliability_counts(
    notes: list[dict[str, Any]], predictions: list[dict[str, Any]]
) -> dict[str, dict[str, int]]:
    """Per reader (concept or value reader): values it read that the gold case confirms."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    by_id = {p["id"]: p for p in predictions}
    for n in notes:
        if "gold" not in n:
            continue
        gold = flatten(n["gold"])
        for e in by_id[n["id"]]["evidence"]:
            item = flatten(_nest(e["path"], e["value"]))
            right = all(
                any(g[0] == path and _same(path, g[1], v) for g in gold) for path, v in item
            )
            counts[e["source"]]["read"] += 1
            counts[e["source"]]["correct"] += right
    return {s: {"correct": c["correct"], "read": c["read"]} for s, c in sorted(counts.items())}


def _nest(path: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    node = out
    *parents, leaf = path.split(".")
    for p in parents:
        node = node.setdefault(p, {})
    node[leaf] = value
    return out


def write_reliability(counts: dict[str, dict[str, int]], split: str) -> None:
    text = RELIABILITY.read_text("utf-8")
    head, _, _ = text.partition("measured_on:")
    data = yaml.safe_load(text)
    data["measured_on"] = f"{split} split of benchmarks/corpus ({split}.yaml)"
    data["readers"] = counts
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100)
    RELIABILITY.write_text(head + body, "utf-8")


def _fmt(x: Any) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def print_report(split: str, results: dict[str, dict[str, Any]]) -> None:
    print(f"\n## {split} split\n")
    cols = ["top1", "top3", "toh_first", "top1_same_as_gold_case", "whole_study_normal_wrong"]
    print("| system | " + " | ".join(cols) + " | reader P | R | F1 | notes/s | chars/s |")
    print("|---" * (len(cols) + 6) + "|")
    for name, r in results.items():
        rd = r["reader"] or {}
        print(f"| {name} | " + " | ".join(_fmt(r[c]) for c in cols) + " | "
              + " | ".join(_fmt(rd.get(k, "-")) for k in ("precision", "recall", "f1"))
              + f" | {r['notes_per_second']:.0f} | {r['characters_per_second']:.0f} |")  # fmt: skip
    first = next(iter(results.values()))
    print(f"\nrecall at rank 1 ({next(iter(results))}): {first['recall_by_condition']}")
    if first.get("gold_case_top1") is not None:
        print(f"top-1 from the gold structured cases: {first['gold_case_top1']:.3f}")
    print(f"\nreader by section ({next(iter(results))}):\n")
    print("| section | gold values | P | R | F1 |\n|---|---|---|---|---|")
    for s, v in first["reader_by_section"].items():
        print(f"| {s} | {v['gold']} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")


def print_field(name: str, results: dict[str, dict[str, Any]]) -> None:
    """Right / read and right / gold for one field, in all its values and in each value."""
    print(f"\nfield {name} (right / read, right / gold):\n")
    print("| system | values | precision | recall |\n|---|---|---|---|")
    for system, r in results.items():
        counts = r["reader_by_field"]
        keys = sorted({k for c in counts.values() for k in c if k.startswith(f"{name}=")})
        for key in [name, *keys]:
            tp, fp, fn = (counts[o].get(key, 0) for o in ("tp", "fp", "fn"))
            print(f"| {system} | {key} | {tp}/{tp + fp} | {tp}/{tp + fn} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split", action="append", choices=["train", "dev", "test", "holdout", "holdout2"]
    )
    parser.add_argument("--baseline-rev", default="4754c6d")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--write-reliability", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="print this many reader errors")
    parser.add_argument(
        "--field", action="append", default=[], help="also score this field alone (any study)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    everything: dict[str, Any] = {}
    for split in args.split or ["train", "dev"]:
        notes = load_split(split)
        gold_ranked = gold_top(notes)
        systems = {"tohip": predict_here(notes, "tohip")}
        if not args.no_baselines:
            systems["baseline: medspaCy default ConText"] = predict_here(notes, "medspacy_default")
            systems[f"baseline: release {args.baseline_rev}"] = predict_release(
                notes, args.baseline_rev
            )
        results = {name: score(notes, preds, gold_ranked) for name, preds in systems.items()}
        if gold_ranked:
            hits = sum(
                gold_ranked[n["id"]][0] == n["condition"] for n in notes if n["id"] in gold_ranked
            )
            results["tohip"]["gold_case_top1"] = hits / len(gold_ranked)
        print_report(split, results)
        for name in args.field:
            print_field(name, results)
        if args.errors:
            print("\n".join(results["tohip"]["errors"][: args.errors]))
        everything[split] = results
        if args.write_reliability:
            if split != "dev":
                sys.exit("--write-reliability measures on the dev split only")
            write_reliability(reliability_counts(notes, systems["tohip"]), split)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2, default=str), "utf-8")


if __name__ == "__main__":
    main()
