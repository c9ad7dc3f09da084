"""From a validated case to an assessment. Pure: no files, no network, no clock except the
case's own dates (``assessment_date``, else today)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from tohip._version import __version__
from tohip.case.derive import is_pregnant, value_at, weeks_since_onset
from tohip.case.schema import Case
from tohip.engine.explain import explain
from tohip.engine.inference import effective_weights, log_likelihood, posterior
from tohip.engine.investigations import rank_investigations
from tohip.engine.model import Model, compile_model
from tohip.engine.observe import Observation, observe_case
from tohip.engine.red_flags import red_flags
from tohip.engine.types import Assessment, FindingEffect, Provenance, RankedCondition
from tohip.kb.loader import KnowledgeBase, load_knowledge_base

METHOD = (
    "Bayesian differential over eight conditions: knowledge-base prior, adjusted for age, sex "
    "and pregnancy, times P(finding | condition) for every observed finding; unreported "
    "findings are unknown and ignored; correlated findings share a group in which all but the "
    "strongest observed member are down-weighted (tempered naive Bayes). Likelihoods depend "
    "on weeks since onset where the sources describe a time course. Next tests are ranked by "
    "expected information per unit of burden. See docs/method.md."
)
ADULT_AGE = 18


def _warnings(case: Case, clinical: int) -> list[str]:
    out = []
    age = case.patient.age
    if age is not None and age < ADULT_AGE:
        out.append(
            f"age {age:g}: tohip is built for adults; childhood hip conditions are not covered"
        )
    if age is None or case.patient.sex is None:
        out.append("age or sex unknown: the prior is less specific to this patient")
    if clinical == 0:
        out.append(
            "no clinical findings: the differential is the prior for the patient as described"
        )
    weeks = weeks_since_onset(case)
    if weeks is not None and weeks > 52:
        out.append(
            "symptoms for over 12 months: longer than the usual course of transient "
            "osteoporosis (2-12 months); reconsider the diagnosis"
        )
    return out


DERIVED_FROM = {
    "derived.pregnancy_state": ("patient.pregnancy", "patient.lactating"),
    "derived.weeks_since_onset": ("symptoms.duration_weeks", "symptoms.onset_date"),
    "derived.duration_at_presentation": (
        "symptoms.duration_weeks",
        "symptoms.onset_date",
        "symptoms.presentation_date",
        "symptoms.duration_weeks_at_least",
    ),
    "derived.esr_relative": ("labs.esr",),
    "derived.alp_outside_pregnancy": ("labs.alp",),
    "derived.followup_edema": ("imaging.followup",),
    "derived.followup_band_or_collapse": ("imaging.followup",),
    "derived.followup_fracture_line": ("imaging.followup",),
    "derived.band_irreversible": (
        "imaging.mri.subchondral_band_thickness_mm",
        "imaging.mri.subchondral_band_length_mm",
    ),
    "derived.ct_destructive": ("imaging.ct.lytic_lesion", "imaging.ct.cortical_destruction"),
    "derived.edema_acetabulum_only": ("imaging.mri.sites",),
}


def _provenance_of(field: str, provenance: Mapping[str, Provenance]) -> list[Provenance]:
    """The provenance of every case value behind one observation (``field`` may join several
    paths with '+', and a derived value stands for the fields it is computed from)."""
    roots: list[str] = []
    for part in field.split("+"):
        roots += DERIVED_FROM.get(part, (part,))
    return [
        p
        for path, p in provenance.items()
        if any(path == r or path.startswith(r + ".") for r in roots)
    ]


def _with_trust(
    observations: list[Observation], provenance: Mapping[str, Provenance]
) -> list[Observation]:
    """Observations whose values were read (not entered) get the lowest trust among them."""
    out = []
    for o in observations:
        found = _provenance_of(o.field, provenance)
        trust = min((p.trust for p in found), default=1.0)
        out.append(dataclasses.replace(o, trust=trust) if found else o)
    return out


def _explained_with_sources(
    effects: list[FindingEffect], provenance: Mapping[str, Provenance]
) -> list[FindingEffect]:
    out = []
    for e in effects:
        found = _provenance_of(e.case_field, provenance)
        if found:
            e = e.model_copy(
                update={
                    "origin": found[0].origin,
                    "evidence": [s for p in found for s in p.sources],
                }
            )
        out.append(e)
    return out


def assess_case(
    case: Case,
    kb: KnowledgeBase | None = None,
    provenance: Mapping[str, Provenance] | None = None,
) -> Assessment:
    """Rank the conditions for ``case``.

    ``provenance`` says, per case path, how a value was obtained when it was read rather than
    entered (e.g. from a note, with the reader's measured precision as trust); such values count
    as soft evidence and the explanation shows where they came from.
    """
    kb = kb or load_knowledge_base()
    provenance = provenance or {}
    model: Model = compile_model(kb)
    observations = _with_trust(observe_case(kb, case), provenance)
    weights = effective_weights(model, observations)
    seen = {o.finding_id: o.states for o in observations}
    terms = [log_likelihood(model, o, w, seen) for o, w in zip(observations, weights, strict=True)]
    final = posterior(model, terms)
    demographic = [
        t
        for o, t in zip(observations, terms, strict=True)
        if kb.findings[o.finding_id].category == "demographics"
    ]
    patient_prior = posterior(model, demographic)
    clinical = sum(1 for o in observations if kb.findings[o.finding_id].category != "demographics")
    probs = dict(zip(model.conditions, final, strict=True))
    flags = red_flags(model, seen, probs, dict(zip(model.conditions, patient_prior, strict=True)))
    tests, avoided = rank_investigations(
        model,
        final,
        set(seen),
        {t.id for t in kb.investigations if value_at(case, t.done_when) is not None},
        weeks_since_onset(case),
        is_pregnant(case),
        bool(case.patient.lactating),
        {f.id for f in flags},
    )
    ranked = sorted(
        (
            RankedCondition(
                condition=c.id,
                label=c.label,
                probability=probs[c.id],
                patient_prior=round(patient_prior[i], 6),
                must_not_miss=c.must_not_miss,
            )
            for i, c in enumerate(kb.conditions)
        ),
        key=lambda r: -r.probability,
    )
    return Assessment(
        tool="tohip",
        tool_version=__version__,
        knowledge_base_version=kb.version,
        disclaimer=" ".join(kb.manifest.disclaimer.split()),
        case_id=case.id,
        differential=ranked,
        low_information=clinical == 0,
        observed_findings=clinical,
        explanation=_explained_with_sources(
            explain(model, observations, terms, final, weights), provenance
        ),
        red_flags=flags,
        next_investigations=tests,
        avoided_investigations=avoided,
        warnings=_warnings(case, clinical),
        method=METHOD,
    )
