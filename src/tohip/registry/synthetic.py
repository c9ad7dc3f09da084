"""A SYNTHETIC cohort drawn from the knowledge base, for demos, tests and speed.

Every patient is flagged ``synthetic`` in the database, in the export and on every plot.

How a patient is drawn (seeded, so a seed gives the same cohort):

1. the final diagnosis from the conditions' priors (``conditions.yaml``);
2. sex and age band from the demographic findings' likelihoods given that diagnosis, and for
   women under 50 the pregnancy state (``findings.yaml``);
3. 3-8 clinical findings, each state drawn from P(state | diagnosis);
4. the "assessment" is the exact knowledge-base posterior for those states (prior times
   likelihoods, untempered). It is *not* tohip's engine output: it is what a perfectly specified
   model would say, so **calibration measured on this cohort is calibrated by construction and
   proves nothing about tohip's accuracy**;
5. for transient osteoporosis the course model (``plan/course.yaml``): resolution between 8 and
   52 weeks after onset (mode 30, inside the recovery phase); pregnancy-associated episodes
   resolve within ``postpartum_resolution_weeks`` of delivery; visits follow the course's
   schedule with pain rising to the expected peak and easing to resolution.

Numbers the knowledge base does not give are generator assumptions, named in ``ASSUMPTIONS``
(treatment mix, loss to follow-up, recurrence): the cohort has no treatment effect built in.
Other diagnoses have no course model in the knowledge base; their episodes stay unresolved
(censored at the last visit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import secrets
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import insert
from sqlalchemy.orm import Session

from tohip._version import __version__
from tohip.kb.loader import KnowledgeBase, default_directory, load_knowledge_base
from tohip.kb.schema import Finding
from tohip.registry.orm import Assessment, Episode, Outcome, Patient, PatientIdentity, Visit
from tohip.registry.schemas import Actor

SYNTHETIC_LABEL = "SYNTHETIC"
CAVEAT = (
    "SYNTHETIC cohort drawn from tohip's own knowledge base: its predictions are calibrated by "
    "construction, so this calibration proves nothing about tohip's accuracy."
)
TOH = "transient_osteoporosis"
AGE_BANDS = {"age_18_34": (18, 34), "age_35_49": (35, 49), "age_50_64": (50, 64)}
OLDEST = 95  # the 65+ band is drawn up to here, so some ages fall in Safe Harbor's 90+ group
ASSUMPTIONS: dict[str, Any] = {
    "treatment": {"conservative": 0.70, "bisphosphonate": 0.25, "iloprost": 0.05},
    "lost_to_follow_up": 0.10,
    "recurrence": 0.10,
    "recurrence_site": {"same_hip": 0.30, "contralateral_hip": 0.40, "other_joint": 0.30},
    "side": {"left": 0.48, "right": 0.48, "bilateral": 0.04},
    "onset_window": ["2019-01-01", "2025-06-30"],
    "weeks_to_first_assessment": [2, 8],
    "resolution_weeks_mode": 30,
}


@dataclass
class SyntheticEpisode:
    """One drawn patient with one episode, its assessment, visits and outcome."""

    sex: str
    age: int
    pregnancy_associated: bool
    side: str
    treatment: str
    onset: dt.date
    findings: dict[str, str]
    probabilities: dict[str, float]
    final_diagnosis: str
    confirmed_by: str
    resolution: dt.date | None
    recurrence: dt.date | None
    recurrence_site: str | None
    assessed_on: dt.date
    visits: list[dict[str, Any]] = field(default_factory=list)

    def snapshot(self) -> str:
        return json.dumps(
            {"synthetic": True, "sex": self.sex, "age": self.age, "findings": self.findings},
            sort_keys=True,
        )

    def output(self, kb_version: str) -> dict[str, Any]:
        ranked = sorted(self.probabilities.items(), key=lambda kv: -kv[1])
        return {
            "synthetic": True,
            "tool": "tohip-synthetic",
            "tool_version": tool_version(),
            "knowledge_base_version": kb_version,
            "differential": [{"condition": c, "probability": p} for c, p in ranked],
            "method": "exact knowledge-base posterior of the drawn finding states (synthetic)",
            "caveat": CAVEAT,
        }


def tool_version() -> str:
    return f"{__version__}+synthetic"


def _pick(rng: np.random.Generator, dist: dict[str, float]) -> str:
    keys = list(dist)
    probs = np.array([dist[k] for k in keys], dtype=float)
    return str(keys[int(rng.choice(len(keys), p=probs / probs.sum()))])


class _Model:
    """The knowledge base as arrays: priors and, per finding, P(state | condition)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.conditions = list(kb.condition_ids)
        priors = np.array([kb.condition(c).prior for c in self.conditions])
        self.log_prior = np.log(priors / priors.sum())
        self.prior = {
            c: float(p) for c, p in zip(self.conditions, priors / priors.sum(), strict=True)
        }
        self.findings = kb.findings
        self.clinical = [f.id for f in kb.findings.values() if f.category != "demographics"]
        self._cache: dict[tuple[str, str], Any] = {}

    def dist(self, finding: Finding, condition: str) -> dict[str, float]:
        return Finding.distribution(finding.likelihood[condition])

    def log_likelihood(self, fid: str, state: str) -> Any:
        key = (fid, state)
        if key not in self._cache:
            finding = self.findings[fid]
            row = [max(self.dist(finding, c)[state], 1e-12) for c in self.conditions]
            self._cache[key] = np.log(row)
        return self._cache[key]

    def posterior(self, states: dict[str, str]) -> dict[str, float]:
        log_p = self.log_prior.copy()
        for fid, state in states.items():
            log_p += self.log_likelihood(fid, state)
        p = np.exp(log_p - log_p.max())
        p /= p.sum()
        return {c: float(round(x, 9)) for c, x in zip(self.conditions, p, strict=True)}


def _course() -> dict[str, Any]:
    from tohip.plan.rules import read_plan_rules

    rules = read_plan_rules(default_directory())
    course = next(c for c in rules.courses if c.condition == TOH)
    return {
        "peak": float(course.expected_peak_weeks),
        "resolution": (float(course.resolution_weeks[0]), float(course.resolution_weeks[1])),
        "postpartum": float(course.postpartum_resolution_weeks or 26),
        "onset_visits": [
            float(v.weeks_after_onset) for v in course.schedule if v.weeks_after_onset is not None
        ],
        "start_visits": [
            float(v.weeks_after_start) for v in course.schedule if v.weeks_after_start is not None
        ],
    }


def _days(weeks: float) -> dt.timedelta:
    return dt.timedelta(days=round(weeks * 7))


def draw_cohort(
    n: int, *, seed: int = 12, kb: KnowledgeBase | None = None
) -> list[SyntheticEpisode]:
    """``n`` synthetic patients, one episode each (see the module docstring)."""
    if n < 1:
        raise ValueError("a cohort needs at least one patient")
    kb = kb or load_knowledge_base()
    model = _Model(kb)
    course = _course()
    rng = np.random.default_rng(seed)
    start = dt.date.fromisoformat(ASSUMPTIONS["onset_window"][0])
    span = (dt.date.fromisoformat(ASSUMPTIONS["onset_window"][1]) - start).days
    out = []
    for _ in range(n):
        truth = _pick(rng, model.prior)
        states: dict[str, str] = {}
        sex = _pick(rng, model.dist(kb.findings["sex"], truth))
        band = _pick(rng, model.dist(kb.findings["age_band"], truth))
        states["sex"], states["age_band"] = sex, band
        low, high = AGE_BANDS.get(band, (65, OLDEST))
        age = int(rng.integers(low, high + 1))
        pregnancy = "not_pregnant"
        if sex == "female" and age < 50:
            pregnancy = _pick(rng, model.dist(kb.findings["pregnancy_state"], truth))
            states["pregnancy_state"] = pregnancy
        k = int(rng.integers(3, 9))
        for fid in rng.choice(model.clinical, size=k, replace=False):
            states[str(fid)] = _pick(rng, model.dist(kb.findings[str(fid)], truth))
        onset = start + dt.timedelta(days=int(rng.integers(0, span)))
        out.append(_episode(rng, course, truth, sex, age, pregnancy, onset, states, model))
    return out


def _episode(
    rng: np.random.Generator,
    course: dict[str, Any],
    truth: str,
    sex: str,
    age: int,
    pregnancy: str,
    onset: dt.date,
    states: dict[str, str],
    model: _Model,
) -> SyntheticEpisode:
    a = ASSUMPTIONS
    first = float(rng.uniform(*a["weeks_to_first_assessment"]))
    pregnant = pregnancy != "not_pregnant"
    resolution_weeks: float | None = None
    if truth == TOH:
        low, high = course["resolution"]
        resolution_weeks = float(rng.triangular(low, a["resolution_weeks_mode"], high))
        if pregnancy in ("pregnant_early", "pregnant_third_trimester"):
            gest = (
                rng.uniform(28, 39)
                if pregnancy == "pregnant_third_trimester"
                else rng.uniform(8, 27)
            )
            delivery = 40 - float(gest)
            resolution_weeks = delivery + float(rng.uniform(4, course["postpartum"]))
        elif pregnancy == "postpartum":
            resolution_weeks = float(rng.uniform(4, course["postpartum"]))
        resolution_weeks = max(resolution_weeks, first + 1)
    lost = bool(rng.random() < a["lost_to_follow_up"])
    # visits: the course's schedule from the first assessment and from onset
    due = sorted({first + w for w in course["start_visits"]} | set(course["onset_visits"]))
    due = [w for w in due if w > first]
    # no course model for the other conditions: followed to the expected-peak review, censored
    end = resolution_weeks if resolution_weeks is not None else course["peak"]
    if lost:
        end = float(rng.uniform(first + 1, end + 1))
    visits: list[dict[str, Any]] = []
    for weeks in due:
        if weeks > end or len(visits) >= 5:
            break
        visits.append(_visit(rng, onset, weeks, truth, course["peak"], resolution_weeks))
        if resolution_weeks is not None and weeks >= resolution_weeks:
            break
    resolved = truth == TOH and not lost and resolution_weeks is not None
    resolution = onset + _days(resolution_weeks) if resolved and resolution_weeks else None
    if resolved and resolution and (not visits or visits[-1]["visit_date"] < resolution):
        visits.append(
            _visit(rng, onset, resolution_weeks or 0, truth, course["peak"], resolution_weeks)
        )
    recurrence, site = None, None
    if resolution is not None and rng.random() < a["recurrence"]:
        recurrence = resolution + _days(float(rng.uniform(8, 104)))
        site = _pick(rng, a["recurrence_site"])
    confirmed = {
        TOH: "mri_resolution" if rng.random() < 0.6 else "clinical_course",
        "neoplasm": "histology",
        "septic_arthritis": "microbiology",
    }.get(truth, "imaging")
    return SyntheticEpisode(
        sex=sex,
        age=age,
        pregnancy_associated=pregnant,
        side=_pick(rng, a["side"]),
        treatment=_pick(rng, a["treatment"]),
        onset=onset,
        findings=states,
        probabilities=model.posterior(states),
        final_diagnosis=truth,
        confirmed_by=confirmed,
        resolution=resolution,
        recurrence=recurrence,
        recurrence_site=site,
        assessed_on=onset + _days(first),
        visits=visits,
    )


def _visit(
    rng: np.random.Generator,
    onset: dt.date,
    weeks: float,
    truth: str,
    peak: float,
    resolution: float | None,
) -> dict[str, Any]:
    if truth == TOH and resolution is not None:
        if weeks >= resolution:
            pain = 0.0
        elif weeks <= peak:
            pain = 4 + 4 * weeks / peak
        else:
            pain = 8 * (resolution - weeks) / max(resolution - peak, 1)
    else:
        pain = 6.0
    score = int(min(max(round(pain + rng.normal(0, 1)), 0), 10))
    if truth == TOH and resolution is not None and weeks >= resolution:
        modality, result = ("mri", "edema_resolved") if rng.random() < 0.6 else ("none", "not_done")
    elif math.isclose(weeks, peak):
        modality, result = "xray", "osteopenia" if truth == TOH else "normal"
    elif weeks >= 26:
        modality, result = "mri", "edema_improving" if truth == TOH else "marrow_edema"
    else:
        modality, result = "none", "not_done"
    bearing = "full" if score <= 2 else "partial" if score <= 7 else "none"
    return {
        "visit_date": onset + _days(weeks),
        "pain_score": score,
        "weight_bearing": bearing,
        "imaging_modality": modality,
        "imaging_result": result,
    }


def load_cohort(
    session: Session, *, actor: Actor, cohort: list[SyntheticEpisode], kb_version: str
) -> int:
    """Insert a drawn cohort in bulk (in the caller's transaction); returns the patient count.

    Identities carry no name, record number or birth date: only the research key and the
    date shift every patient gets.
    """
    from tohip.registry.crud import audit, new_date_shift, new_pseudonym

    chunk = 2000
    for begin in range(0, len(cohort), chunk):
        part = cohort[begin : begin + chunk]
        patient_ids = session.scalars(
            insert(Patient).returning(Patient.id, sort_by_parameter_order=True),
            [{"pseudonym": new_pseudonym(), "sex": e.sex, "synthetic": True} for e in part],
        ).all()
        session.execute(
            insert(PatientIdentity),
            [
                {
                    "patient_id": pid,
                    "research_id": secrets.token_hex(8),
                    "date_shift_days": new_date_shift(),
                }
                for pid in patient_ids
            ],
        )
        episode_ids = session.scalars(
            insert(Episode).returning(Episode.id, sort_by_parameter_order=True),
            [
                {
                    "patient_id": pid,
                    "joint": "hip",
                    "side": e.side,
                    "onset_date": e.onset,
                    "age_at_onset": e.age,
                    "pregnancy_associated": e.pregnancy_associated,
                    "treatment": e.treatment,
                }
                for pid, e in zip(patient_ids, part, strict=True)
            ],
        ).all()
        assessments, visits, outcomes = [], [], []
        for eid, e in zip(episode_ids, part, strict=True):
            snapshot = e.snapshot()
            top = max(e.probabilities.items(), key=lambda kv: kv[1])
            assessments.append(
                {
                    "episode_id": eid,
                    "assessed_at": dt.datetime.combine(e.assessed_on, dt.time(12), dt.UTC),
                    "input_kind": "synthetic",
                    "input_snapshot": snapshot,
                    "input_sha256": hashlib.sha256(snapshot.encode()).hexdigest(),
                    "output": e.output(kb_version),
                    "probabilities": e.probabilities,
                    "top_condition": top[0],
                    "top_probability": top[1],
                    "kb_version": kb_version,
                    "tool_version": tool_version(),
                }
            )
            visits += [{"episode_id": eid, **v} for v in e.visits]
            outcomes.append(
                {
                    "episode_id": eid,
                    "final_diagnosis": e.final_diagnosis,
                    "confirmed_by": e.confirmed_by,
                    "resolution_date": e.resolution,
                    "recurrence_date": e.recurrence,
                    "recurrence_site": e.recurrence_site,
                }
            )
        session.execute(insert(Assessment), assessments)
        if visits:
            session.execute(insert(Visit), visits)
        session.execute(insert(Outcome), outcomes)
    audit(
        session,
        actor=actor,
        action="create",
        entity="synthetic_cohort",
        detail={"patients": len(cohort), "label": SYNTHETIC_LABEL, "kb_version": kb_version},
    )
    return len(cohort)
