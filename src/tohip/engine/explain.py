"""Finding-by-finding explanation: how much each observation moved each condition."""

from __future__ import annotations

import math

from tohip.engine.citations import cite
from tohip.engine.inference import posterior
from tohip.engine.model import Model, Vector
from tohip.engine.observe import Observation
from tohip.engine.types import FindingEffect


def _lr_for(condition_index: int, term: Vector, without: list[float]) -> float:
    """Likelihood ratio of the observation for one condition against the others' mixture."""
    rest = 1.0 - without[condition_index]
    if rest <= 0:
        return 1.0
    others = (
        sum(
            p * math.exp(t)
            for i, (p, t) in enumerate(zip(without, term, strict=True))
            if i != condition_index
        )
        / rest
    )
    return math.exp(term[condition_index]) / others


def explain(
    model: Model,
    observations: list[Observation],
    terms: list[Vector],
    final: list[float],
    weights: list[float] | None = None,
) -> list[FindingEffect]:
    """Leave-one-out effect of every observation, largest first (``weights``: the weight each
    observation counted with, when not its declared one)."""
    top = max(range(len(final)), key=final.__getitem__)
    effects = []
    for k, obs in enumerate(observations):
        without = posterior(model, terms[:k] + terms[k + 1 :])
        compiled = model.findings[obs.finding_id]
        f = compiled.finding
        shift = {c: round(100 * (final[i] - without[i]), 2) for i, c in enumerate(model.conditions)}
        effects.append(
            FindingEffect(
                finding=f.id,
                label=f.label,
                observed=sorted(obs.states),
                case_field=obs.field,
                weeks_since_onset=None if obs.weeks is None else round(obs.weeks, 1),
                time_window=window.note if (window := compiled.window_at(obs.weeks)) else None,
                weight=f.weight if weights is None else weights[k],
                shift_points=shift,
                likelihood_ratio_for_top=round(_lr_for(top, terms[k], without), 3),
                basis=f.basis,
                citations=cite(model.kb, f.sources),
                trust=obs.trust,
            )
        )
    effects.sort(key=lambda e: -max(abs(v) for v in e.shift_points.values()))
    return effects
