"""Posterior over the conditions: prior times the (tempered) likelihood of each observation.

    log P(c | x) = log P(c) + sum_i w_i * log P(x_i | c) + const

Findings are assumed conditionally independent given the condition, except within a declared
correlation group, where every member but the lead is down-weighted (w_i < 1). See
docs/method.md for the assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from tohip.engine.model import Model, Vector
from tohip.engine.observe import Observation


def log_likelihood(model: Model, obs: Observation) -> Vector:
    """Weighted log P(observation | condition) for each condition."""
    compiled = model.findings[obs.finding_id]
    table = compiled.table_at(obs.weeks)
    weight = compiled.finding.weight
    n = len(model.conditions)
    return tuple(weight * math.log(sum(table[s][ci] for s in obs.states)) for ci in range(n))


def normalise(log_scores: Sequence[float]) -> list[float]:
    top = max(log_scores)
    exps = [math.exp(v - top) for v in log_scores]
    total = sum(exps)
    return [e / total for e in exps]


def posterior(model: Model, terms: Iterable[Vector]) -> list[float]:
    scores = list(model.log_prior)
    for term in terms:
        for i, v in enumerate(term):
            scores[i] += v
    return normalise(scores)
