"""The large fuzz run of issue 13: JSON cases and notes through tohip's real reading path.

    python -m benchmarks.run_fuzz [--cases 10000] [--notes 2000] [--out fuzz_report.json]

On a busy machine the work can be split into shards run side by side, each with its own seed,
and the reports merged:

    python -m benchmarks.run_fuzz --cases 5000 --notes 0 --seed 1 --out a.json &
    python -m benchmarks.run_fuzz --cases 5000 --notes 0 --seed 2 --out b.json &
    ...
    python -m benchmarks.run_fuzz --merge a.json b.json ...

Every input must be refused with a one-line ``InputError`` or assessed, planned, turned into a
handout and rendered for people without any other exception (``benchmarks/fuzz.py``). Unlike the
CI-size tests, a failure does not stop the run: each is recorded (input and error) so the count of
failures is the figure, and must be zero. Notes run in process against the reader as it is; the
slowest ones are listed with their time and output size, as the reader's cost is owned elsewhere.
Generation is seeded: the same command draws the same inputs.
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

from hypothesis import HealthCheck, given, seed, settings

from benchmarks.fuzz import NOTE_DATES, REPO, check_json_case, check_note, json_case_texts, notes

SLOW_NOTE_SECONDS = 2.0


SEED = 13


def _settings(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
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


def fuzz_cases(count: int, shard_seed: int = SEED) -> dict[str, Any]:
    outcomes: dict[str, int] = {"refused": 0, "assessed": 0}
    failures: list[dict[str, Any]] = []
    started = time.perf_counter()

    @seed(shard_seed)
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


def fuzz_notes(count: int, shard_seed: int = SEED) -> dict[str, Any]:
    outcomes: dict[str, int] = {"refused": 0, "assessed": 0}
    failures: list[dict[str, Any]] = []
    timings: list[tuple[float, int, int, str]] = []
    started = time.perf_counter()

    @seed(shard_seed)
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


def _empty() -> dict[str, Any]:
    return {"inputs": 0, "refused": 0, "assessed": 0, "failures": [], "seconds": 0.0}


def merge(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Shards added up; times are summed (CPU-bound work), maxima kept, medians listed."""
    merged: dict[str, Any] = {"python": reports[0]["python"], "shards": len(reports)}
    for part in ("json_cases", "notes"):
        shards = [r[part] for r in reports if r[part]["inputs"]]
        total = _empty()
        for key in ("inputs", "refused", "assessed", "seconds"):
            total[key] = round(sum(s[key] for s in shards), 1)
        total["failures"] = [f for s in shards for f in s["failures"]]
        for key in ("note_chars_max", "read_seconds_max", "output_bytes_max"):
            if any(key in s for s in shards):
                total[key] = max(s[key] for s in shards)
        if part == "notes":
            total["read_seconds_median_by_shard"] = [s["read_seconds_median"] for s in shards]
            total["slow_notes"] = [n for s in shards for n in s["slow_notes"]]
        merged[part] = total
    return merged


def baseline() -> dict[str, Any]:
    """The same checks on the shipped, ordinary inputs (devset cases and their notes, the
    examples), timed in the same run: what an honest input costs beside a fuzzed one."""
    import yaml

    devset = REPO / "benchmarks" / "devset"
    cases = [json.dumps(c["case"], default=str) for c in yaml.safe_load(
        (devset / "cases.yaml").read_text())["cases"]]  # fmt: skip
    cases += [p.read_text() for p in sorted((REPO / "examples").glob("*.json"))]
    case_seconds = []
    for text in cases:
        started = time.perf_counter()
        if check_json_case(text) != "assessed":
            raise AssertionError("a shipped case was refused")
        case_seconds.append(time.perf_counter() - started)
    notes_text = list(yaml.safe_load((devset / "notes.yaml").read_text())["notes"].values())
    check_note("Hip pain.", None)
    note_seconds = [check_note(text, None)[1] for text in notes_text]
    return {
        "cases": len(case_seconds),
        "case_seconds_median": round(statistics.median(case_seconds), 4),
        "notes": len(note_seconds),
        "note_seconds_median": round(statistics.median(note_seconds), 3),
        "note_seconds_max": round(max(note_seconds), 3),
    }


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    return {
        part: {k: v for k, v in report[part].items() if k not in ("failures", "slow_notes")}
        | {"failures": len(report[part]["failures"])}
        for part in ("json_cases", "notes")
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=None, help="write the full report as JSON")
    parser.add_argument("--merge", type=Path, nargs="+", help="add up shard reports instead")
    args = parser.parse_args(argv)
    if args.merge:
        report = merge([json.loads(p.read_text()) for p in args.merge])
        report["baseline"] = baseline()
    else:
        if args.notes:
            check_note("Hip pain.", None)  # load the reader once, outside the timings
        report = {
            "python": sys.version.split()[0],
            "seed": args.seed,
            "json_cases": fuzz_cases(args.cases, args.seed) if args.cases else _empty(),
            "notes": fuzz_notes(args.notes, args.seed) if args.notes else _empty(),
        }
    summary = _summary(report) | ({"baseline": report["baseline"]} if "baseline" in report else {})
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    failed = any(report[part]["failures"] for part in ("json_cases", "notes"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
