"""Reading grades of the dev-case handouts, and (optionally) a check against textstat 0.7.4.

For every development case: the patient handout's text and, as a baseline, the clinician text of
the same plan's items, scored by tohip.handout.readability (Flesch-Kincaid, Coleman-Liau, ARI,
reading ease, word count). With ``--against-textstat`` the same texts are also scored by
textstat 0.7.4, which tohip used before issue 14, and every figure is compared. textstat is not
a dependency: install it by hand in a throwaway Python 3.11 environment, where the standard
``venv`` still provides ``pkg_resources``::

    pip install textstat==0.7.4 'setuptools<81'
    python -m benchmarks.check_readability --against-textstat

    python -m benchmarks.check_readability [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import warnings
from pathlib import Path
from typing import Any

from benchmarks.devset import load_devset
from tohip.engine.assess import assess_case
from tohip.handout.content import build_handout
from tohip.handout.readability import TARGET_GRADE, ReadingScores, reading_scores
from tohip.plan.build import make_plan

FIELDS = (
    "flesch_kincaid_grade",
    "coleman_liau_index",
    "automated_readability_index",
    "flesch_reading_ease",
    "words",
)


def texts() -> dict[str, dict[str, str]]:
    """{case id: {"handout": patient text, "clinician": plan items' clinician text}}."""
    out = {}
    for dev in load_devset():
        plan = make_plan(dev.case, assess_case(dev.case))
        clinician = " ".join(p.text for p in plan.immediate + plan.items)
        handout = build_handout(dev.case, plan).plain_text()
        out[dev.id] = {"handout": handout, "clinician": clinician}
    return out


def textstat_scores(text: str) -> dict[str, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pkg_resources' own deprecation warning
        import textstat  # type: ignore[import-not-found,import-untyped,unused-ignore]

    return {
        "flesch_kincaid_grade": float(textstat.flesch_kincaid_grade(text)),
        "coleman_liau_index": float(textstat.coleman_liau_index(text)),
        "automated_readability_index": float(textstat.automated_readability_index(text)),
        "flesch_reading_ease": float(textstat.flesch_reading_ease(text)),
        "words": float(textstat.lexicon_count(text)),
    }


def summary(grades: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(grades),
        "max": max(grades),
        "at_most_target": sum(g <= TARGET_GRADE for g in grades),
        "n": len(grades),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--against-textstat", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every score here")
    args = parser.parse_args()
    scored: dict[str, dict[str, ReadingScores]] = {
        case_id: {kind: reading_scores(text) for kind, text in pair.items()}
        for case_id, pair in texts().items()
    }
    result: dict[str, Any] = {
        kind: summary([s[kind].grade for s in scored.values()]) for kind in ("handout", "clinician")
    }
    result["scores"] = {
        case_id: {kind: s.model_dump(include=set(FIELDS)) for kind, s in pair.items()}
        for case_id, pair in scored.items()
    }
    print(f"Reading grade (max of FK, Coleman-Liau, ARI), {len(scored)} dev cases:")
    for kind, label in (("handout", "patient handout"), ("clinician", "clinician plan text")):
        s = result[kind]
        print(
            f"  {label:20} median {s['median']:.1f}  max {s['max']:.1f}  "
            f"at most {TARGET_GRADE:g}: {s['at_most_target']}/{s['n']}"
        )
    if args.against_textstat:
        all_texts = texts()
        compared = differing = 0
        worst = 0.0
        for case_id, pair in all_texts.items():
            for kind, text in pair.items():
                ours = scored[case_id][kind].model_dump(include=set(FIELDS))
                theirs = textstat_scores(text)
                for name in FIELDS:
                    compared += 1
                    gap = abs(float(ours[name]) - theirs[name])
                    worst = max(worst, gap)
                    if gap:
                        differing += 1
                        print(f"  differs: {case_id} {kind} {name}: {ours[name]} vs {theirs[name]}")
        result["against_textstat"] = {"compared": compared, "differing": differing, "max": worst}
        print(
            f"against textstat 0.7.4: {compared} figures compared ({len(all_texts)} cases x "
            f"2 texts x {len(FIELDS)}), {differing} differ, largest difference {worst:g}"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
