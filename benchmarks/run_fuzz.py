"""The large fuzz run of issue 13: JSON cases and notes through tohip's real reading path.

    python -m benchmarks.run_fuzz [--cases 10000] [--notes 2000] [--out fuzz_report.json]

Every input must be refused with a one-line ``InputError`` or assessed, planned, turned into a
handout and rendered for people without any other exception (``benchmarks/fuzz.py``). Unlike the
CI-size tests, a failure does not stop the run: each is recorded (input and error) so the count of
failures is the figure, and must be zero. Notes run in process against the reader as it is; the
slowest ones are listed with their time and output size, as the reader's cost is owned elsewhere.
Generation is derandomized: the same command draws the same inputs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from benchmarks.fuzz import NOTE_DATES, check_json_case, check_note, json_case_texts, notes

SLOW_NOTE_SECONDS = 2.0


def _settings(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _failure(kind: str, sample: Any, exc: BaseException) -> dict[str, Any]:
    return {
        "kind": kind,
        "input": str(sample)[:2000],
        "error": f"{type(exc).__name__}: {exc}"[:500],
        "where": traceback.format_exc(limit=-3)[-1500:],
    }


def fuzz_cases(count: int) -> dict[str, Any]:
    outcomes: dict[str, int] = {"refused": 0, "assessed": 0}
    failures: list[dict[str, Any]] = []
    started = time.perf_counter()

    @_settings(count)
    @given(json_case_texts())
    def one(text: str) -> None:
        try:
            outcomes[check_json_case(text)] += 1
        except Exception as exc:
            failures.append(_failure("json case", text, exc))

    one()
    return {
        "inputs": sum(outcomes.values()) + len(failures),
        **outcomes,
        "failures": failures,
        "seconds": round(time.perf_counter() - started, 1),
    }


def fuzz_notes(count: int) -> dict[str, Any]:
    outcomes: dict[str, int] = {"refused": 0, "assessed": 0}
    failures: list[dict[str, Any]] = []
    timings: list[tuple[float, int, int, str]] = []
    started = time.perf_counter()

    @_settings(count)
    @given(notes(), NOTE_DATES)
    def one(text: str, note_date: dt.date | None) -> None:
        try:
            outcome, seconds, size = check_note(text, note_date)
        except Exception as exc:
            failures.append(_failure("note", text, exc))
            return
        outcomes[outcome] += 1
        timings.append((seconds, len(text), size, text))

    one()
    seconds = [t[0] for t in timings]
    slow = sorted(timings, reverse=True)[:5]
    return {
        "inputs": sum(outcomes.values()) + len(failures),
        **outcomes,
        "failures": failures,
        "seconds": round(time.perf_counter() - started, 1),
        "note_chars_max": max((t[1] for t in timings), default=0),
        "read_seconds_median": round(statistics.median(seconds), 3) if seconds else None,
        "read_seconds_max": round(max(seconds), 3) if seconds else None,
        "output_bytes_max": max((t[2] for t in timings), default=0),
        "slow_notes": [
            {"seconds": round(s, 3), "chars": n, "output_bytes": b, "note": text[:500]}
            for s, n, b, text in slow
            if s > SLOW_NOTE_SECONDS
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=None, help="write the full report as JSON")
    args = parser.parse_args(argv)
    check_note("Hip pain.", None)  # load the reader once, outside the timings
    report: dict[str, Any] = {
        "python": sys.version.split()[0],
        "json_cases": fuzz_cases(args.cases),
        "notes": fuzz_notes(args.notes),
    }
    summary = {
        part: {k: v for k, v in report[part].items() if k not in ("failures", "slow_notes")}
        | {"failures": len(report[part]["failures"])}
        for part in ("json_cases", "notes")
    }
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    failed = any(report[part]["failures"] for part in ("json_cases", "notes"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
