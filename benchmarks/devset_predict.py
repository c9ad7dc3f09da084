"""Assess structured cases with whichever tohip is importable; print one JSON line per case.

Used by ``benchmarks.run_devset`` to run an earlier release's knowledge base and engine from its
own source (``git archive`` into a temporary directory, ``PYTHONPATH`` pointing at it), so that
the baseline is exactly what that commit shipped.

    python -m benchmarks.devset_predict < cases.json > predictions.jsonl
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    from tohip.case.schema import Case
    from tohip.engine.assess import assess_case

    for item in json.load(sys.stdin):
        assessment = assess_case(Case.model_validate(item["case"]))
        probs = {r.condition: r.probability for r in assessment.differential}
        sys.stdout.write(json.dumps({"id": item["id"], "probabilities": probs}) + "\n")


if __name__ == "__main__":
    main()
