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
    """Weighted log P(observation | condition) for each condition.

    An observation trusted with probability r < 1 (a value read from text) is soft evidence:
    with probability 1 - r the reading is wrong and says nothing about the condition, so its
    likelihood is r * P(x | c) + (1 - r) * m, where m is the mean of P(x | c) over conditions.
    The likelihood ratios shrink towards 1 as r falls, and never change sign.
    """
    compiled = model.findings[obs.finding_id]
    table = compiled.table_at(obs.weeks)
    weight = compiled.finding.weight
    n = len(model.conditions)
    raw = [sum(table[s][ci] for s in obs.states) for ci in range(n)]
    if obs.trust < 1.0:
        mean = sum(raw) / n
        raw = [obs.trust * p + (1.0 - obs.trust) * mean for p in raw]
    return tuple(weight * math.log(p) for p in raw)


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
