"""Why the reasoning misses on the corpus's gold structured cases: a confusion matrix and, per
miss, the observations that pushed the wrong leader above the gold condition.

The gold cases were written by annotators from note text alone, so a miss here is the
reasoning's (knowledge base or engine), not the reader's. For each miss, every observation's
log-likelihood ratio of the wrong leader against the gold condition,
``w * (log P(x | top) - log P(x | gold))``, is listed largest first, beside the patient-prior
gap, so the findings that decided the case can be checked against the literature.

Work from train; dev is for aggregate figures only, and the frozen test split is never read.

    python -m benchmarks.gold_errors [--split train] [--top 5] [--no-detail]
"""

from __future__ import annotations

import argparse
import math
from collections import Counter

from benchmarks.run_devset import READABLE_SPLITS, corpus_gold_cases
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.engine.inference import log_likelihood
from tohip.engine.model import compile_model
from tohip.engine.observe import observe_case
from tohip.kb.loader import KnowledgeBase, load_knowledge_base

SHORT = {
    "transient_osteoporosis": "TOH",
    "osteonecrosis": "AVN",
    "stress_fracture": "SF",
    "subchondral_insufficiency_fracture": "SIF",
    "osteoarthritis": "OA",
    "septic_arthritis": "SEP",
    "inflammatory_arthritis": "INF",
    "neoplasm": "NEO",
    "other": "OTH",
}


def pushes(kb: KnowledgeBase, case: Case, top: str, gold: str) -> list[tuple[float, str]]:
    """Each observation's weighted log-likelihood ratio of ``top`` against ``gold``."""
    model = compile_model(kb)
    ti, gi = model.conditions.index(top), model.conditions.index(gold)
    out = []
    observations = observe_case(kb, case)
    seen = {o.finding_id: o.states for o in observations}
    for obs in observations:
        term = log_likelihood(model, obs, seen=seen)
        label = f"{obs.finding_id}={'|'.join(sorted(obs.states))}"
        out.append((term[ti] - term[gi], label))
    return sorted(out, key=lambda item: -abs(item[0]))


def confusion(rows: list[tuple[str, str]], conditions: tuple[str, ...]) -> str:
    counts = Counter(rows)
    head = "gold \\ top " + " ".join(f"{SHORT[c]:>4}" for c in conditions) + "  recall"
    lines = [head]
    for g in conditions:
        n = sum(v for (gg, _), v in counts.items() if gg == g)
        if not n:
            continue
        cells = " ".join(f"{counts[(g, t)] or '.':>4}" for t in conditions)
        lines.append(f"{SHORT[g]:>10} {cells}  {counts[(g, g)]}/{n}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=READABLE_SPLITS, default="train")
    parser.add_argument("--top", type=int, default=5, help="observations shown per miss")
    parser.add_argument("--no-detail", action="store_true", help="confusion matrix only")
    args = parser.parse_args()
    kb = load_knowledge_base()
    conditions = compile_model(kb).conditions
    rows = []
    details = []
    for dc in corpus_gold_cases(args.split):
        assessment = assess_case(dc.case, kb)
        ranked = [r.condition for r in assessment.differential]
        probs = {r.condition: r.probability for r in assessment.differential}
        prior = {r.condition: r.patient_prior for r in assessment.differential}
        top = ranked[0]
        rows.append((dc.gold, top))
        if top == dc.gold:
            continue
        gap = math.log(prior[top] / prior[dc.gold])
        lines = [
            f"{dc.id}: gold {SHORT[dc.gold]} {probs[dc.gold]:.2f} (rank "
            f"{ranked.index(dc.gold) + 1}), top {SHORT[top]} {probs[top]:.2f}; "
            f"patient prior log-ratio {gap:+.2f}"
        ]
        for value, label in pushes(kb, dc.case, top, dc.gold)[: args.top]:
            lines.append(f"    {value:+6.2f}  {label}")
        details.append("\n".join(lines))
    hits = sum(g == t for g, t in rows)
    print(f"{args.split}: {len(rows)} gold cases, top-1 {hits / len(rows):.3f}\n")
    print(confusion(rows, conditions))
    if not args.no_detail:
        print("\nmisses (+ pushes the wrong leader up against the gold condition):")
        print("\n".join(details))


if __name__ == "__main__":
    main()
