"""Registry benchmark: SQLite and PostgreSQL side by side in one run.

    python -m benchmarks.run_registry [--patients 10000] [--plots DIR]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

Loads the same SYNTHETIC cohort into a fresh database on each backend (the PostgreSQL one is
created for the run and dropped afterwards), then times the Kaplan-Meier analytics, the
calibration report and opening a patient's record (read with its episodes, assessments,
visits and outcome, plus the audit entry and commit). Prints medians and the PostgreSQL /
SQLite ratios as Markdown; optionally writes the KM plot and reliability diagram.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from tohip.kb.loader import load_knowledge_base
from tohip.registry import analytics, crud, db
from tohip.registry.orm import Patient
from tohip.registry.schemas import Actor
from tohip.registry.synthetic import draw_cohort, load_cohort

ACTOR = Actor(name="benchmark")
TARGETS = {"kaplan_meier_s": 1.0, "calibration_s": 1.0, "open_record_ms": 20.0}


def _median(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(
    engine: Engine, cohort: list[Any], kb_version: str, plots: Path | None, runs: int, opens: int
) -> dict[str, float]:
    db.upgrade(engine)
    factory = db.session_factory(engine)
    start = time.perf_counter()
    with factory.begin() as s:
        load_cohort(s, actor=ACTOR, cohort=cohort, kb_version=kb_version)
    load = time.perf_counter() - start
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    with factory() as s:
        analytics.kaplan_meier(s)  # warm-up: first import of lifelines is not analytics time
        km = _median(lambda: analytics.kaplan_meier(s), runs)
        cal = _median(lambda: analytics.calibration(s), runs)
        rec = _median(lambda: analytics.recurrence(s), runs)
        pseudonyms = list(s.scalars(select(Patient.pseudonym)))
        if plots is not None:
            plots.mkdir(parents=True, exist_ok=True)
            analytics.plot_kaplan_meier(analytics.kaplan_meier(s), plots / "km.png")
            analytics.plot_reliability(analytics.calibration(s), plots / "reliability.png")
    rng = random.Random(12)

    def open_record() -> None:
        with factory.begin() as s:
            crud.patient_record(s, actor=ACTOR, pseudonym=rng.choice(pseudonyms))

    opened = _median(open_record, opens)
    return {
        "load_s": load,
        "kaplan_meier_s": km,
        "calibration_s": cal,
        "recurrence_s": rec,
        "open_record_ms": opened * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--opens", type=int, default=300)
    parser.add_argument("--plots", type=Path, default=None)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "TOHIP_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()

    kb = load_knowledge_base()
    start = time.perf_counter()
    cohort = draw_cohort(args.patients, seed=12, kb=kb)
    drawn = time.perf_counter() - start
    visits = sum(len(e.visits) for e in cohort)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        results["SQLite"] = measure(engine, cohort, kb.version, args.plots, args.runs, args.opens)
        engine.dispose()
    admin = create_engine(db.database_url(args.postgres), isolation_level="AUTOCOMMIT")
    name = f"tohip_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(db.database_url(args.postgres)).set(database=name)
        engine = db.make_engine(url.render_as_string(hide_password=False))
        results["PostgreSQL"] = measure(engine, cohort, kb.version, None, args.runs, args.opens)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    sq, pg = results["SQLite"], results["PostgreSQL"]
    print(
        f"SYNTHETIC cohort: {args.patients} patients, {visits} visits, drawn in {drawn:.1f} s "
        f"(seed 12, KB {kb.version}); medians of {args.runs} runs, {args.opens} record opens\n"
    )
    print("| | SQLite | PostgreSQL | PG / SQLite | target |")
    print("|---|---|---|---|---|")
    rows = [
        ("load 10,000 patients (s)", "load_s", "{:.2f}"),
        ("Kaplan-Meier analytics (s)", "kaplan_meier_s", "{:.3f}"),
        ("calibration report (s)", "calibration_s", "{:.3f}"),
        ("recurrence / migration (s)", "recurrence_s", "{:.3f}"),
        ("open a patient's record (ms)", "open_record_ms", "{:.2f}"),
    ]
    for label, key, fmt in rows:
        target = TARGETS.get(key)
        ok = (
            ""
            if target is None
            else (f"< {target:g} {'met' if max(sq[key], pg[key]) < target else 'MISSED'}")
        )
        print(
            f"| {label} | {fmt.format(sq[key])} | {fmt.format(pg[key])} | "
            f"{pg[key] / sq[key]:.2f} | {ok} |"
        )
    if args.plots is not None:
        print(
            f"\nplots (SQLite registry): {args.plots / 'km.png'}, {args.plots / 'reliability.png'}"
        )


if __name__ == "__main__":
    main()
