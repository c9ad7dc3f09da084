"""Care plan and handout: safety, reading level and speed, each beside a baseline run in the
same process.

- Safety: plans for the 58 dev cases and for the 36 safety test patients (tests/plan/
  safety_cases.yaml, both ways), re-checked against every rule; baseline: the same items
  without the safety filter (what a plan built from the treatment list alone would offer).
- Reading level: the patient handout of every dev case; baseline: the clinician text of the
  same plan's items, scored the same way.
- Speed: median per case of assess, plan, handout content, HTML and PDF; ratios to assess.

    python -m benchmarks.run_plan [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from tests.plan.conftest import patched

from benchmarks.devset import load_devset
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.handout.content import build_handout
from tohip.handout.readability import reading_scores
from tohip.handout.render import handout_html, handout_pdf
from tohip.plan.build import make_plan
from tohip.plan.facts import case_facts, holds
from tohip.plan.rules import load_plan_rules
from tohip.plan.types import CarePlan

SAFETY_CASES = Path(__file__).parents[1] / "tests" / "plan" / "safety_cases.yaml"


def _violations(case: Case, plan: CarePlan, unfiltered: bool) -> int:
    """Items on offer that an exclusion rule forbids for this patient."""
    rules = load_plan_rules()
    facts = case_facts(case, rules)
    items = {i.id: i for i in rules.items}
    offered = [items[p.id] for p in plan.immediate + plan.items]
    if unfiltered:  # baseline: put back everything the safety filter took out
        offered += [
            items[o.id] for o in plan.left_out if o.kind == "contraindicated" and o.id in items
        ]
    count = 0
    for item in offered:
        tags = set(item.drug_classes + item.tags)
        fired = [r for r in rules.safety if r.effect == "exclude" and tags & set(r.applies_to)]
        count += sum(1 for r in fired if holds(r.when, facts))
    return count


def safety_cases() -> list[Case]:
    raw: dict[str, dict[str, Any]] = yaml.safe_load(SAFETY_CASES.read_text())
    return [patched(patch) for pair in raw.values() for patch in pair.values()]


def timed(fn: Callable[[], object], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    dev = [d.case for d in load_devset()]
    stress = safety_cases()

    print("## Safety: excluded items offered (rule firings)")
    for name, cases in (("dev set", dev), ("safety test patients", stress)):
        plans = [(c, make_plan(c, assess_case(c))) for c in cases]
        ours = sum(_violations(c, p, unfiltered=False) for c, p in plans)
        base = sum(_violations(c, p, unfiltered=True) for c, p in plans)
        print(f"| {name} ({len(cases)} plans) | tohip {ours} | unfiltered baseline {base} |")

    print("\n## Reading grade (max of FK, Coleman-Liau, ARI) over the dev set")
    patient, clinician = [], []
    for case in dev:
        plan = make_plan(case, assess_case(case))
        patient.append(build_handout(case, plan).reading.grade)
        text = " ".join(p.text for p in plan.immediate + plan.items)
        clinician.append(reading_scores(text).grade)
    for name, grades in (("patient handout", patient), ("clinician plan text", clinician)):
        print(
            f"| {name} | median {statistics.median(grades):.1f} | max {max(grades):.1f} | "
            f"at most 8: {sum(g <= 8 for g in grades)}/{len(grades)} |"
        )

    print(f"\n## Speed, median per case over the dev set (best-of-{args.repeats} medians)")
    steps: dict[str, list[float]] = {k: [] for k in ("assess", "plan", "handout", "html", "pdf")}
    handout_pdf(build_handout(dev[0], make_plan(dev[0], assess_case(dev[0]))), dt_of(dev[0]))
    for case in dev:
        assessment = assess_case(case)
        plan = make_plan(case, assessment)
        sheet = build_handout(case, plan)
        steps["assess"].append(timed(lambda c=case: assess_case(c), args.repeats))  # type: ignore[misc]
        steps["plan"].append(timed(lambda c=case, a=assessment: make_plan(c, a), args.repeats))  # type: ignore[misc]
        steps["handout"].append(timed(lambda c=case, p=plan: build_handout(c, p), args.repeats))  # type: ignore[misc]
        steps["html"].append(timed(lambda s=sheet, c=case: handout_html(s, dt_of(c)), args.repeats))  # type: ignore[misc]
        steps["pdf"].append(timed(lambda s=sheet, c=case: handout_pdf(s, dt_of(c)), 1))  # type: ignore[misc]
    assess_median = statistics.median(steps["assess"])
    for name, values in steps.items():
        median: float = statistics.median(values)
        print(f"| {name} | {median * 1000:.2f} ms | {median / assess_median:.1f}x assess |")


def dt_of(case: Case) -> Any:
    import datetime as dt

    return case.assessment_date or dt.date(2026, 1, 1)


if __name__ == "__main__":
    main()
