"""What the registry teaches: time to resolution (Kaplan-Meier, log-rank), recurrence and
migration, and tohip's accuracy and calibration against the recorded final diagnoses.

Each report reads the database with one query and computes in memory (pandas, lifelines).
Whenever synthetic patients are included, results and plots say SYNTHETIC, and calibration
carries the caveat that a cohort drawn from the knowledge base is calibrated by construction.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tohip.io import write_output
from tohip.registry.orm import Assessment, Episode, Outcome, Patient, Visit
from tohip.registry.synthetic import CAVEAT, SYNTHETIC_LABEL
from tohip.registry.vocab import MIGRATION_SITES

TOH = "transient_osteoporosis"
BINS = np.linspace(0.0, 1.0, 11)
KM_GROUPS: dict[str, tuple[str, dict[Any, str] | None]] = {
    "pregnancy": ("pregnancy_associated", {True: "pregnancy-associated", False: "other"}),
    "sex": ("sex", {"male": "men", "female": "women"}),
    "treatment": ("treatment", None),
}


def _frame(rows: list[Any], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns)


def episodes_frame(session: Session, *, diagnosis: str | None = TOH) -> pd.DataFrame:
    """One row per episode with its outcome and last visit (the censoring date)."""
    last_visit = (
        select(Visit.episode_id, func.max(Visit.visit_date).label("last_visit"))
        .group_by(Visit.episode_id)
        .subquery()
    )
    query = (
        select(
            Episode.id,
            Patient.sex,
            Patient.synthetic,
            Episode.pregnancy_associated,
            Episode.treatment,
            Episode.onset_date,
            Outcome.final_diagnosis,
            Outcome.resolution_date,
            Outcome.recurrence_date,
            Outcome.recurrence_site,
            last_visit.c.last_visit,
        )
        .join(Patient, Patient.id == Episode.patient_id)
        .join(Outcome, Outcome.episode_id == Episode.id)
        .outerjoin(last_visit, last_visit.c.episode_id == Episode.id)
    )
    if diagnosis is not None:
        query = query.where(Outcome.final_diagnosis == diagnosis)
    columns = [
        "episode",
        "sex",
        "synthetic",
        "pregnancy_associated",
        "treatment",
        "onset",
        "final_diagnosis",
        "resolution",
        "recurrence",
        "recurrence_site",
        "last_visit",
    ]
    frame = _frame(list(session.execute(query).all()), columns)
    for col in ("onset", "resolution", "recurrence", "last_visit"):
        frame[col] = pd.to_datetime(frame[col])
    frame["pregnancy_associated"] = frame["pregnancy_associated"].astype(bool)
    frame["synthetic"] = frame["synthetic"].astype(bool)
    end = frame["resolution"].fillna(frame["last_visit"])
    frame["weeks"] = (end - frame["onset"]).dt.days / 7.0
    frame["resolved"] = frame["resolution"].notna()
    return frame


def _p_value(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def kaplan_meier(session: Session) -> dict[str, Any]:
    """Time from onset to resolution of confirmed TOH, by pregnancy, sex and treatment.

    Unresolved episodes are censored at their last visit; episodes with no follow-up at all
    (no resolution, no visit) cannot contribute and are counted as excluded.
    """
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    frame = episodes_frame(session)
    usable = frame[frame["weeks"].notna() & (frame["weeks"] >= 0)]
    report: dict[str, Any] = {
        "diagnosis": TOH,
        "episodes": len(frame),
        "excluded_no_follow_up": len(frame) - len(usable),
        "synthetic": bool(frame["synthetic"].any()),
        "comparisons": {},
        "curves": {},
    }
    for name, (column, labels) in KM_GROUPS.items():
        data = usable[usable[column].notna()]
        groups: dict[str, Any] = {}
        curves: dict[str, Any] = {}
        for value, part in data.groupby(column):
            label = labels.get(value, str(value)) if labels else str(value)
            fitter = KaplanMeierFitter(label=label).fit(part["weeks"], part["resolved"])
            median = float(fitter.median_survival_time_)
            groups[label] = {
                "n": len(part),
                "resolved": int(part["resolved"].sum()),
                "median_weeks": None if math.isinf(median) else round(median, 1),
            }
            curves[label] = {
                "weeks": fitter.survival_function_.index.to_numpy().tolist(),
                "unresolved": fitter.survival_function_.iloc[:, 0].to_numpy().tolist(),
                "ci_low": fitter.confidence_interval_.iloc[:, 0].to_numpy().tolist(),
                "ci_high": fitter.confidence_interval_.iloc[:, 1].to_numpy().tolist(),
            }
        p = None
        if len(groups) > 1:
            test = multivariate_logrank_test(data["weeks"], data[column], data["resolved"])
            p = _p_value(float(test.p_value))
        report["comparisons"][name] = {"groups": groups, "logrank_p": p}
        report["curves"][name] = curves
    return report


def _rate(k: int, n: int) -> dict[str, Any]:
    """A proportion with its Wilson 95% interval."""
    if n == 0:
        return {"k": 0, "n": 0, "rate": None, "ci95": None}
    z, p = 1.959964, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return {
        "k": k,
        "n": n,
        "rate": round(p, 4),
        "ci95": [round(centre - half, 4), round(centre + half, 4)],
    }


def recurrence(session: Session) -> dict[str, Any]:
    """Among resolved TOH episodes: recurrence, and migration (other hip or another joint)."""
    frame = episodes_frame(session)
    resolved = frame[frame["resolved"]]
    recurred = resolved["recurrence"].notna()
    migrated = resolved["recurrence_site"].isin([s.value for s in MIGRATION_SITES])
    sites = resolved.loc[recurred, "recurrence_site"].value_counts().to_dict()
    return {
        "diagnosis": TOH,
        "synthetic": bool(frame["synthetic"].any()),
        "recurrence": _rate(int(recurred.sum()), len(resolved)),
        "migration": _rate(int(migrated.sum()), len(resolved)),
        "sites": {str(k): int(v) for k, v in sites.items()},
    }


def _first_assessments(session: Session) -> pd.DataFrame:
    first = select(func.min(Assessment.id).label("id")).group_by(Assessment.episode_id).subquery()
    rows = session.execute(
        select(
            Assessment.probabilities,
            Assessment.top_condition,
            Assessment.kb_version,
            Outcome.final_diagnosis,
            Patient.synthetic,
        )
        .join(first, first.c.id == Assessment.id)
        .join(Outcome, Outcome.episode_id == Assessment.episode_id)
        .join(Episode, Episode.id == Assessment.episode_id)
        .join(Patient, Patient.id == Episode.patient_id)
    ).all()
    return _frame(list(rows), ["probabilities", "top", "kb_version", "final", "synthetic"])


def calibration(session: Session) -> dict[str, Any]:
    """Accuracy and calibration of each episode's first assessment against its outcome.

    Brier score: the multi-class sum over conditions of (p - y)^2 (0 is perfect, 2 worst). A
    final diagnosis of ``other`` has no probability in tohip's output, so every condition
    counts as y = 0 for it. The reliability diagram pools every (episode, condition) pair.
    """
    frame = _first_assessments(session)
    synthetic = bool(frame["synthetic"].any()) if len(frame) else False
    report: dict[str, Any] = {
        "episodes": len(frame),
        "synthetic": synthetic,
        "caveat": CAVEAT if synthetic else None,
        "top1_accuracy": None,
        "brier": None,
        "brier_by_kb_version": {},
        "reliability": [],
    }
    if frame.empty:
        return report
    conditions = sorted({c for probs in frame["probabilities"] for c in probs})
    probs = np.array([[p.get(c, 0.0) for c in conditions] for p in frame["probabilities"]])
    truth = np.array([[1.0 if f == c else 0.0 for c in conditions] for f in frame["final"]])
    brier = ((probs - truth) ** 2).sum(axis=1)
    report["top1_accuracy"] = round(float((frame["top"] == frame["final"]).mean()), 4)
    report["brier"] = round(float(brier.mean()), 4)
    for version, idx in frame.groupby("kb_version").groups.items():
        rows = frame.index.get_indexer(idx)
        report["brier_by_kb_version"][str(version)] = {
            "n": len(rows),
            "brier": round(float(brier[rows].mean()), 4),
            "top1_accuracy": round(
                float((frame["top"].iloc[rows] == frame["final"].iloc[rows]).mean()), 4
            ),
        }
    flat_p, flat_y = probs.ravel(), truth.ravel()
    which = np.clip(np.digitize(flat_p, BINS[1:-1]), 0, len(BINS) - 2)
    for b in range(len(BINS) - 1):
        mask = which == b
        n = int(mask.sum())
        report["reliability"].append(
            {
                "bin": [round(float(BINS[b]), 1), round(float(BINS[b + 1]), 1)],
                "n": n,
                "mean_predicted": None if n == 0 else round(float(flat_p[mask].mean()), 4),
                "observed": None if n == 0 else round(float(flat_y[mask].mean()), 4),
            }
        )
    return report


# ---------------------------------------------------------------------------- plots


def _figure(synthetic: bool, title: str) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "tohip"  # reproducible SVG ids
    return plt, (f"{SYNTHETIC_LABEL} DATA - {title}" if synthetic else title)


def _save(fig: Any, target: Path) -> None:
    """Render in memory, then write the file in one step (never half a plot, never a device)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=target.suffix.lstrip(".") or "png", dpi=110)
    write_output(target, buffer.getvalue())


def plot_kaplan_meier(report: dict[str, Any], target: Path) -> Path:
    """Three panels (pregnancy, sex, treatment), each with its log-rank p; PNG or SVG by suffix."""
    plt, title = _figure(report["synthetic"], "time to resolution of transient osteoporosis")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), sharey=True)
    for ax, name in zip(axes, KM_GROUPS, strict=True):
        for label, curve in report["curves"][name].items():
            n = report["comparisons"][name]["groups"][label]["n"]
            line = ax.step(
                curve["weeks"], curve["unresolved"], where="post", label=f"{label} (n={n})"
            )
            ax.fill_between(
                curve["weeks"],
                curve["ci_low"],
                curve["ci_high"],
                step="post",
                alpha=0.15,
                color=line[0].get_color(),
            )
        p = report["comparisons"][name]["logrank_p"]
        ax.set_title(f"by {name}" + ("" if p is None else f" (log-rank p = {p:.3g})"))
        ax.set_xlabel("weeks since onset")
        ax.set_xlim(left=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("proportion not yet resolved")
    fig.suptitle(title, fontweight="bold", color="firebrick" if report["synthetic"] else "black")
    fig.tight_layout()
    _save(fig, target)
    plt.close(fig)
    return target


def plot_reliability(report: dict[str, Any], target: Path) -> Path:
    """Reliability diagram with the bin counts, Brier score per KB version in the legend."""
    plt, title = _figure(report["synthetic"], "calibration of tohip's first assessment")
    fig, (ax, hist) = plt.subplots(
        2, 1, figsize=(6.5, 7.5), gridspec_kw={"height_ratios": [3, 1]}, sharex=True
    )
    filled = [b for b in report["reliability"] if b["n"]]
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    versions = ", ".join(
        f"KB {v}: Brier {d['brier']:.3f} (n={d['n']})"
        for v, d in report["brier_by_kb_version"].items()
    )
    ax.plot(
        [b["mean_predicted"] for b in filled],
        [b["observed"] for b in filled],
        marker="o",
        label=versions or "no outcomes",
    )
    ax.set_ylabel("observed frequency")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    if report["synthetic"]:
        note = "SYNTHETIC: calibrated by construction;\nproves nothing about accuracy"
        ax.text(
            0.98,
            0.02,
            note,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
            color="firebrick",
        )
    hist.bar(
        [(b["bin"][0] + b["bin"][1]) / 2 for b in report["reliability"]],
        [b["n"] for b in report["reliability"]],
        width=0.09,
        color="steelblue",
    )
    hist.set_yscale("log")
    hist.set_xlabel("predicted probability (every episode x condition)")
    hist.set_ylabel("pairs")
    fig.suptitle(title, fontweight="bold", color="firebrick" if report["synthetic"] else "black")
    fig.tight_layout()
    _save(fig, target)
    plt.close(fig)
    return target
