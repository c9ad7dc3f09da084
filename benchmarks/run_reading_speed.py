"""Reading speed, start-up and worst case of the free-text reader (issues 9 and 13).

Measures, for this checkout and for an earlier revision (default 91514e9, run from ``git
archive`` in subprocesses so that its code is exactly what was committed):

1. **Throughput** on the independent corpus's train and dev notes (about 1,100 characters):
   notes per second and characters per second on one core, median of several passes, pipeline
   built beforehand.
2. **Worst case**: notes of hostile shapes (``hostile_notes``) near the 50,000-character limit,
   each read in its own process: reading seconds, peak RSS, evidence items and JSON bytes of the
   extraction; and the ratio of each to a 1,000-character clinical note read in the same process.
3. **Start-up**: whole ``tohip assess`` commands (through the console entry point), median of N
   runs interleaved across the two trees, beside ``python -c pass``, and the command on a
   50,000-character hostile note; the case and the note cold (``TOHIP_WARM=off``) and answered
   by a warm reader (``tohip warm start`` first, in a temporary ``XDG_RUNTIME_DIR``; a tree without
   ``tohip warm`` has no warm row).

    python -m benchmarks.run_reading_speed [--baseline-rev 91514e9] [--repeats 5] [--shell-runs 7]
        [--timeout 120] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

from benchmarks.earlier import source_tree

HERE = Path(__file__).parent
REPO = HERE.parent
LIMIT = 50_000
REFERENCE_NOTE = (
    "XR PELVIS AP AND BILATERAL HIPS\n\nCLINICAL HISTORY: 75F, bilateral lateral hip and groin "
    "pain. Several intra-articular steroid injections into both hips over recent months with "
    "short-lived relief.\n\nCOMPARISON: None available.\n\nFINDINGS:\nSmall calcific densities "
    "next to both greater trochanters, which would fit trochanteric bursitis.\nBoth femoral "
    "heads show subtle mottled sclerosis with a faint subchondral lucency superolaterally on "
    "the right. Femoral head contours are still round. Mild joint space narrowing on both "
    "sides? Acetabula unremarkable. No fracture. SI joints look normal.\n\nIMPRESSION:\n1. "
    "Changes suggesting bilateral trochanteric bursitis.\n2. Early femoral head changes on both "
    "sides. Early osteonecrosis cannot be excluded, given the repeated steroid injections. "
    "MRI recommended. CRP 4 mg/L, ESR 12 mm/h. No fever. 3/52 of pain.\n"
)  # about 1,000 characters, written for this benchmark in the style of the corpus
WORDS = [
    *[
        "hip",
        "pain",
        "marrow",
        "oedema",
        "femoral",
        "head",
        "neck",
        "no",
        "not",
        "fracture",
        "left",
        "right",
        "MRI",
        "CRP",
        "weeks",
    ],
    *[
        "history",
        "of",
        "patient",
        "reports",
        "walking",
        "night",
        "rest",
        "effusion",
        "normal",
        "signal",
        "the",
        "and",
    ],
]


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def hostile_notes(size: int = LIMIT - 10) -> dict[str, str]:
    """Notes of the shapes that broke earlier readers (issue 13), each ``size`` characters."""
    rng = random.Random(13)
    words = " ".join(rng.choice(WORDS) for _ in range(size // 3))[:size]
    return {
        "digits": "1" * size,
        "words without punctuation": words,
        "one-line list": _fill("- hip pain - CRP 45 mg/L - no fracture - MRI oedema ", size),
        "many-line list": _fill("- no fracture\n- marrow oedema femoral head\n", size),
        "no no no": _fill("no ", size),
        "repeated section headers": _fill("MRI RIGHT HIP:\nImpression:\n", size),
        "numbers with units": _fill("CRP 45 mg/L 3 weeks 12 mm/h 39.2 C ", size),
        "clinical note repeated": _fill(REFERENCE_NOTE, size),
        "one long word": "a" * size,
        "dots": "." * size,
        "newlines": "\n" * size,
    }


CHILD = r"""
import json, resource, sys, time, warnings
from tohip.text.extract import extract_text
job = json.load(sys.stdin)
extract_text(job["reference"])  # builds the pipeline; not timed
def timed(text, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        x = extract_text(text)
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2], x
ref_seconds, _ = timed(job["reference"], job["reference_repeats"])
seconds, x = timed(job["text"], job["repeats"])
out = {"seconds": seconds, "reference_seconds": ref_seconds, "evidence": len(x.evidence),
       "json_bytes": len(x.model_dump_json()),
       "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
print(json.dumps(out))
"""

THROUGHPUT = r"""
import datetime as dt, json, statistics, sys, time, warnings
from tohip.text.extract import extract_text
job = json.load(sys.stdin)
notes = [(n["text"], dt.date.fromisoformat(n["note_date"]) if n.get("note_date") else None)
         for n in job["notes"]]
for text, day in notes[:5]:
    extract_text(text, note_date=day)
rates, cpu = [], []
for _ in range(job["repeats"]):
    t0, c0 = time.perf_counter(), time.process_time()
    for text, day in notes:
        extract_text(text, note_date=day)
    rates.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
seconds, cpu_seconds = statistics.median(rates), statistics.median(cpu)
chars = sum(len(t) for t, _ in notes)
print(json.dumps({"notes_per_second": len(notes) / seconds,
                  "characters_per_second": chars / seconds,
                  "notes_per_cpu_second": len(notes) / cpu_seconds,
                  "characters_per_cpu_second": chars / cpu_seconds,
                  "notes": len(notes), "mean_characters": chars / len(notes)}))
"""


def _child(program: str, job: dict[str, Any], env: dict[str, str], timeout: float) -> Any:
    try:
        done = subprocess.run([sys.executable, "-c", program], input=json.dumps(job, default=str),
                              capture_output=True, text=True, env=env, timeout=timeout,
                              cwd=tempfile.gettempdir())  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout)


def corpus_notes() -> list[dict[str, Any]]:
    notes = []
    for split in ("train", "dev"):  # never the frozen test split
        raw = yaml.safe_load((HERE / "corpus" / f"{split}.yaml").read_text("utf-8"))["notes"]
        notes += [{"text": n["text"], "note_date": n.get("note_date")} for n in raw]
    return notes


def worst_case(env: dict[str, str], timeout: float, repeats: int) -> dict[str, Any]:
    out = {}
    for name, text in hostile_notes().items():
        job = {"text": text, "reference": REFERENCE_NOTE, "repeats": repeats,
               "reference_repeats": 5 * repeats}  # fmt: skip
        result = _child(CHILD, job, env, timeout)
        if "seconds" in result:
            result["ratio"] = result["seconds"] / result["reference_seconds"]
        out[name] = result
    return out


def startup(envs: dict[str, dict[str, str]], runs: int) -> dict[str, dict[str, float]]:
    """Median wall time of whole commands, each tree's run interleaved with the others' in one
    loop (the machine's load drifts over minutes), beside ``python -c pass``; also the command
    on the slowest hostile note, to give the ratio a user waits for. Also the median CPU time
    (user + system) of each command, which a loaded machine inflates much less."""
    cli = [sys.executable, "-c", "from tohip.cli.main import main; main()"]
    warmed = ("tohip assess case.json", "tohip assess note.txt (1,000 characters)")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        envs = {t: {**env, "TOHIP_WARM": "off"} for t, env in envs.items()}
        warm_envs: dict[str, dict[str, str]] = {}
        for tree, env in envs.items():
            runtime = Path(tmp) / f"run-{len(warm_envs)}"
            runtime.mkdir(mode=0o700)
            warm_env = {**env, "XDG_RUNTIME_DIR": str(runtime), "TOHIP_WARM": "on"}
            started = subprocess.run([*cli, "warm", "start", "--idle", "600"], env=warm_env,
                                     capture_output=True, cwd=REPO, timeout=600)  # fmt: skip
            if started.returncode == 0:
                warm_envs[tree] = warm_env
                stack.callback(subprocess.run, [*cli, "warm", "stop"], env=warm_env,
                               capture_output=True, cwd=REPO, timeout=60)  # fmt: skip
        note, hostile = Path(tmp) / "note.txt", Path(tmp) / "hostile.txt"
        note.write_text(REFERENCE_NOTE, "utf-8")
        hostile.write_text(hostile_notes()["repeated section headers"], "utf-8")
        case = str(REPO / "examples" / "toh_middle_aged_man.json")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "tohip assess case.json": [*cli, "assess", case, "--format", "json"],
            "tohip assess note.txt (1,000 characters)": [*cli, "assess", str(note), "-f", "json"],
            "tohip assess hostile.txt (50,000 characters)": [
                *cli, "assess", str(hostile), "-f", "json"
            ],
        }  # fmt: skip
        times: dict[str, dict[str, list[float]]] = {t: {} for t in envs}
        for name in warmed:
            commands[f"{name}, warm reader"] = commands[name]
        for _ in range(runs):
            for name, args in commands.items():
                for tree, env in envs.items():
                    if name.endswith(", warm reader"):
                        if tree not in warm_envs:
                            continue
                        env = warm_envs[tree]
                    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t0 = time.perf_counter()
                    subprocess.run(args, capture_output=True, cwd=REPO, env=env, timeout=600)
                    wall = time.perf_counter() - t0
                    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
                    times[tree].setdefault(name, []).append(wall)
                    times[tree].setdefault(f"{name}, CPU", []).append(cpu)
    return {t: {c: statistics.median(v) for c, v in by.items()} for t, by in times.items()}


def measure(env: dict[str, str], args: argparse.Namespace, baseline: bool) -> dict[str, Any]:
    job = {"notes": corpus_notes(), "repeats": args.repeats}
    return {
        "throughput": _child(THROUGHPUT, job, env, args.timeout * 10),
        "worst_case": worst_case(env, args.timeout, 1 if baseline else 3),
    }


def _cell(result: dict[str, Any]) -> str:
    if "timeout" in result:
        return f"> {result['timeout']:.0f} s (killed)"
    if "error" in result:
        return f"error: {result['error']}"
    return (f"{result['seconds']:.3f} s, x{result['ratio']:.1f}, {result['max_rss_mb']:.0f} MB, "
            f"{result['evidence']} items, {result['json_bytes'] / 1e6:.2f} MB JSON")  # fmt: skip


def report(results: dict[str, dict[str, Any]]) -> None:
    names = list(results)
    print("| measure | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    keys = ("notes_per_second", "characters_per_second", "notes_per_cpu_second",
            "characters_per_cpu_second")  # fmt: skip
    for key in keys:
        cells = [f"{r['throughput'].get(key, float('nan')):.0f}" for r in results.values()]
        print(f"| corpus {key.replace('_', ' ')} | " + " | ".join(cells) + " |")
    for shape in hostile_notes():
        cells = [_cell(r["worst_case"][shape]) for r in results.values()]
        print(f"| {shape} ({LIMIT // 1000}k chars): read s, ratio to 1k note, peak RSS, evidence, "
              "output | " + " | ".join(cells) + " |")  # fmt: skip
    startups = [r.get("startup", {}) for r in results.values()]
    for command in startups[0]:
        cells = [f"{s[command]:.3f} s" if command in s else "n/a" for s in startups]
        print(f"| `{command}`, median | " + " | ".join(cells) + " |")
    if startups[0]:
        first = startups[0]
        base = first["python -c pass"]
        for command in first:
            if not command.endswith("CPU"):
                print(f"| `{command}` / `python -c pass` | {first[command] / base:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--baseline-rev", default="91514e9")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--repeats", type=int, default=5, help="timing passes over the corpus")
    parser.add_argument("--shell-runs", type=int, default=7, help="runs of each whole command")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per hostile note")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    trees = {"this checkout": None}
    if not args.no_baseline:
        trees[f"baseline {args.baseline_rev}"] = args.baseline_rev
    with ExitStack() as stack:
        envs = {name: stack.enter_context(source_tree(rev)) for name, rev in trees.items()}
        results = {name: measure(env, args, trees[name] is not None) for name, env in envs.items()}
        if args.shell_runs:
            for name, timings in startup(envs, args.shell_runs).items():
                results[name]["startup"] = timings
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), "utf-8")


if __name__ == "__main__":
    main()
