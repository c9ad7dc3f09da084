"""Read notes and assess them with whichever tohip is importable; print JSON lines.

Used by ``benchmarks.run_corpus`` both in-process and, for the baseline of an earlier release,
in a subprocess whose ``PYTHONPATH`` points at that release's source. It uses only interfaces
that both the current and the earlier reader have.

    python -m benchmarks.corpus.predict --context tohip < notes.json > predictions.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from typing import Any


def predictor(context: str) -> Any:
    from tohip.text.extract import extract_text
    from tohip.text.pipeline import build_pipeline
    from tohip.text.rules import load_text_rules

    rules = load_text_rules()
    nlp = build_pipeline(rules, context=context)  # type: ignore[arg-type]
    try:
        from tohip.api import assess_extraction

        def assess(x: Any) -> Any:
            return assess_extraction(x, rules=rules)
    except ImportError:  # releases before the engine was split from the reader
        import importlib

        assess = importlib.import_module("tohip.engine.assess").assess_text

    def predict(note: dict[str, Any]) -> dict[str, Any]:
        date = dt.date.fromisoformat(str(note["note_date"])) if note.get("note_date") else None
        t0 = time.perf_counter()
        x = extract_text(note["text"], note_date=date, nlp=nlp, rules=rules)
        read_seconds = time.perf_counter() - t0
        a = assess(x)
        return {
            "id": note["id"],
            "case": x.case.model_dump(mode="json", exclude_defaults=True),
            "differential": [[r.condition, r.probability] for r in a.differential],
            "read_seconds": read_seconds,
            "evidence": [
                {"path": e.path, "value": e.value, "source": e.source}
                for e in x.evidence
                if e.used and e.path
            ],
        }

    return predict


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--context", default="tohip")
    args = parser.parse_args()
    notes = json.load(sys.stdin)
    predict = predictor(args.context)
    for note in notes:
        sys.stdout.write(json.dumps(predict(note), default=str) + "\n")


if __name__ == "__main__":
    main()
