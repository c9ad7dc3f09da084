"""The accuracy and reading benchmarks on each supported Python, side by side, from one run.

For each version: a virtual environment in .venvs/<version> (the one .ci/run uses; created if
missing), set up with the README's install command (``pip install -e ".[dev]"``), then, inside
it, one after the other (so the timings do not compete):

- ``python -m benchmarks.run_devset --shell-runs N``  (reasoning: top-1, top-3, Brier, speed)
- ``python -m benchmarks.run_notes --repeats R --shell-runs N --json ...``  (free-text reading)
- ``python -m benchmarks.check_readability --json ...``  (handout reading grades)
- ``python -m benchmarks.behaviour --json ...``  (tokens, sentences, entities, extractions,
  posteriors and reading scores, compared item by item against the first version)

Full outputs go to build/pythons/<version>/; the tables are printed as Markdown.

    python -m benchmarks.run_pythons [--pythons 3.11 3.12 3.13] [--shell-runs 15] [--repeats 5]
                                     [--no-install]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TIMING = re.compile(r"second|seconds|time")


def interpreter(version: str) -> str:
    """The interpreter for "3.12": pyenv's latest 3.12.x, else python3.12 on PATH."""
    if shutil.which("pyenv"):
        latest = subprocess.run(
            ["pyenv", "latest", version], capture_output=True, text=True, check=False
        ).stdout.strip()
        if latest:
            prefix = subprocess.run(
                ["pyenv", "prefix", latest], capture_output=True, text=True, check=True
            ).stdout.strip()
            return str(Path(prefix) / "bin" / "python")
    found = shutil.which(f"python{version}")
    if not found:
        sys.exit(f"no Python {version}: install it with pyenv or put python{version} on PATH")
    return found


def environment(version: str, install: bool) -> dict[str, str]:
    """Environment variables that run commands inside .venvs/<version>, created if missing."""
    venv = REPO / ".venvs" / version
    if not (venv / "bin" / "python").exists():
        subprocess.run([interpreter(version), "-m", "venv", str(venv)], check=True)
        install = True
    env = dict(os.environ, VIRTUAL_ENV=str(venv), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env.pop("PYTHONHOME", None)
    if install:  # the README's install command
        subprocess.run(["pip", "install", "-q", "-e", ".[dev]"], cwd=REPO, env=env, check=True)
    return env


def run(env: dict[str, str], args: list[str], log: Path) -> str:
    print(f"  $ {' '.join(args)}", file=sys.stderr, flush=True)
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    log.write_text(done.stdout + done.stderr)
    if done.returncode:
        sys.exit(f"failed ({done.returncode}), see {log}:\n{done.stderr[-2000:]}")
    return done.stdout


def devset_figures(text: str) -> dict[str, Any]:
    systems = {
        name: tuple(float(x) for x in values)
        for name, *values in re.findall(
            r"## (.+)\ntop-1 ([\d.]+)  top-3 ([\d.]+)  Brier ([\d.]+)", text
        )
    }
    in_process = re.search(r"in-process assessment, median: ([\d.]+) ms", text)
    shell = re.search(r"median of \d+: ([\d.]+) s \(bare `python -c pass`: ([\d.]+) s", text)
    assert in_process and shell, text
    untimed = [line for line in text.splitlines() if not re.search(r"median", line)]
    return {
        "systems": systems,
        "in_process_ms": float(in_process.group(1)),
        "shell_s": float(shell.group(1)),
        "bare_s": float(shell.group(2)),
        "untimed": untimed,
    }


def comparable(value: Any) -> Any:
    """``value`` without its timings and with lists of messages sorted (run_notes lists a
    note's errors in set order, which changes from one process to the next)."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if not TIMING.search(k)}
    if isinstance(value, list):
        items = [comparable(v) for v in value]
        return sorted(items) if all(isinstance(v, str) for v in items) else items
    return value


def one_python(version: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"Python {version}", file=sys.stderr, flush=True)
    env = environment(version, install=not args.no_install)
    out = args.out / version
    out.mkdir(parents=True, exist_ok=True)
    python = "python"
    devset = run(
        env,
        [python, "-m", "benchmarks.run_devset", "--shell-runs", str(args.shell_runs)],
        out / "devset.txt",
    )
    notes_json = out / "notes.json"
    run(
        env,
        [python, "-m", "benchmarks.run_notes", "--repeats", str(args.repeats),
         "--shell-runs", str(args.shell_runs), "--json", str(notes_json)],
        out / "notes.txt",
    )  # fmt: skip
    reading_json = out / "readability.json"
    run(env, [python, "-m", "benchmarks.check_readability", "--json", str(reading_json)],
        out / "readability.txt")  # fmt: skip
    behaviour_json = out / "behaviour.json"
    run(env, [python, "-m", "benchmarks.behaviour", "--json", str(behaviour_json)],
        out / "behaviour.txt")  # fmt: skip
    return {
        "devset": devset_figures(devset),
        "notes": json.loads(notes_json.read_text()),
        "reading": json.loads(reading_json.read_text()),
        "behaviour": json.loads(behaviour_json.read_text()),
    }


def table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def differing(first: dict[str, Any], other: dict[str, Any]) -> list[str]:
    return sorted(k for k in first.keys() | other.keys() if first.get(k) != other.get(k))


def largest_gap(first: dict[str, Any], other: dict[str, Any]) -> float:
    gap = 0.0
    for case_id, sources in first.items():
        for source, probabilities in sources.items():
            theirs = other[case_id][source]
            gap = max([gap, *(abs(p - theirs[c]) for c, p in probabilities.items())])
    return gap


def report(results: dict[str, dict[str, Any]]) -> None:
    versions = list(results)
    first = results[versions[0]]
    rows: list[list[str]] = []

    def row(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        rows.append([label, *(cell(results[v]) for v in versions)])

    def value(label: str, path: tuple[str | int, ...], spec: str) -> None:
        """A row of the figure found at ``path`` in each version's results."""

        def cell(r: dict[str, Any]) -> str:
            found: Any = r
            for key in path:
                found = found[key]
            return format(found, spec)

        row(label, cell)

    def flush(title: str) -> None:
        print(f"### {title}\n")
        table(["", *versions], rows)
        rows.clear()

    for name in first["behaviour"]["environment"]:
        value(name, ("behaviour", "environment", name), "")
    flush("Environments")

    for system in first["devset"]["systems"]:
        for i, measure in enumerate(("top-1", "top-3", "Brier")):
            value(f"{system}: {measure}", ("devset", "systems", system, i), ".3f")
    value("in-process assessment, median ms", ("devset", "in_process_ms"), ".2f")
    value("`tohip assess CASE.json --format json`, median s", ("devset", "shell_s"), ".3f")
    value("bare `python -c pass`, median s", ("devset", "bare_s"), ".3f")
    flush("Development set (`benchmarks.run_devset`)")

    for corpus, label in (("development", "development corpus"), ("held_out", "held-out notes")):
        for system in first["notes"][corpus]:

            def figures(r: dict[str, Any], c: str = corpus, s: str = system) -> str:
                o = r["notes"][c][s]
                p, rec, f1 = (o["overall"][k] for k in ("precision", "recall", "f1"))
                return (
                    f"{p:.3f} / {rec:.3f} / {f1:.3f} / "
                    f"{o['negation_precision']:.3f} ({o['negated_predictions']})"
                )

            row(f"{label}, {system}: P / R / F1 / neg P (n)", figures)
        rate = ("notes", corpus, "tohip", "notes_per_second_median")
        value(f"{label}, tohip: notes/s (one core)", rate, ".0f")
    for key, name in (
        ("top1_structured", "end to end: top-1 from the structured cases"),
        ("top1_text", "end to end: top-1 from the notes"),
        ("same_top1", "end to end: same top-1"),
    ):
        value(name, ("notes", "end_to_end", key), ".3f")
    for command in first["notes"]["commands_seconds"]:
        value(f"`{command}`, median s", ("notes", "commands_seconds", command), ".3f")
    flush("Free-text reading (`benchmarks.run_notes`)")

    for kind, label in (("handout", "patient handout"), ("clinician", "clinician plan text")):

        def grades(r: dict[str, Any], k: str = kind) -> str:
            g = r["reading"][k]
            return f"{g['median']:.1f} / {g['max']:.1f} / {g['at_most_target']}/{g['n']}"

        row(f"{label}: median / max / at most 8", grades)
    flush("Handout reading grade (`benchmarks.check_readability`)")

    base = first["behaviour"]
    for part in ("tokens", "sentences", "entities", "extraction"):

        def notes_differing(r: dict[str, Any], part: str = part) -> str:
            other = r["behaviour"]["notes"]
            return str(sum(n[part] != other.get(k, {}).get(part) for k, n in base["notes"].items()))

        row(f"notes whose {part} differ (of {len(base['notes'])})", notes_differing)
    row(
        f"cases whose posteriors differ (of {len(base['posteriors'])}; from case or note)",
        lambda r: str(len(differing(base["posteriors"], r["behaviour"]["posteriors"]))),
    )
    row(
        "largest posterior difference",
        lambda r: f"{largest_gap(base['posteriors'], r['behaviour']['posteriors']):.1e}",
    )
    row(
        f"handouts whose reading scores differ (of {len(base['reading'])})",
        lambda r: str(len(differing(base["reading"], r["behaviour"]["reading"]))),
    )
    row(
        "`run_devset` output, timings aside",
        lambda r: "same" if r["devset"]["untimed"] == first["devset"]["untimed"] else "differs",
    )
    row(
        "`run_notes` results, timings aside",
        lambda r: "same" if comparable(r["notes"]) == comparable(first["notes"])
        else "differs",
    )  # fmt: skip
    flush(f"Item by item against Python {versions[0]} (`benchmarks.behaviour`)")
    for v in versions[1:]:
        other = results[v]["behaviour"]["notes"]
        for k, n in base["notes"].items():
            parts = [p for p in ("tokens", "sentences", "entities", "extraction")
                     if n[p] != other.get(k, {}).get(p)]  # fmt: skip
            if parts:
                print(f"- Python {v}: {k}: {', '.join(parts)} differ")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pythons", nargs="+", default=["3.11", "3.12", "3.13"])
    parser.add_argument("--shell-runs", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-install", action="store_true", help="use the venvs as they are")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "pythons")
    args = parser.parse_args()
    results = {version: one_python(version, args) for version in args.pythons}
    report(results)


if __name__ == "__main__":
    main()
