"""Posterior over the conditions: prior times the (tempered) likelihood of each observation.

    log P(c | x) = log P(c) + sum_i w_i * log P(x_i | c) + const

Findings are assumed conditionally independent given the condition, except within a declared
correlation group, where every observed member but the group's observed lead is down-weighted
(w_i < 1). See docs/method.md for the assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from tohip.engine.model import Model, Vector
from tohip.engine.observe import Observation


def effective_weights(model: Model, observations: Sequence[Observation]) -> list[float]:
    """The weight each observation counts with in this case.

    A group's declared weights say how much a member repeats the group's lead. When the lead
    itself was not observed there is nothing to repeat: the observed member with the highest
    declared weight (the first, on a tie) stands in as the lead and counts in full, and the
    other observed members keep their declared weights. A member stated in the case is
    preferred as the lead over one only implied by a study reported normal. A lone X-ray
    fracture line therefore counts as much as a lone MRI one would, but not again beside it.
    """
    lead: dict[str, int] = {}
    for k, obs in enumerate(observations):
        finding = model.findings[obs.finding_id].finding
        if finding.group is None:
            continue
        current = lead.get(finding.group)
        if current is None or _rank(model, obs) > _rank(model, observations[current]):
            lead[finding.group] = k
    leads = set(lead.values())
    return [1.0 if k in leads else _declared(model, o) for k, o in enumerate(observations)]


def _rank(model: Model, obs: Observation) -> tuple[bool, float]:
    """Which observed member leads its group: one stated in the case before one only implied
    by a normal report (a normal X-ray's silence does not repeat a lesion a CT shows), then
    the higher declared weight."""
    return (not obs.by_normal_report, _declared(model, obs))


def _declared(model: Model, obs: Observation) -> float:
    return model.findings[obs.finding_id].finding.weight


def log_likelihood(
    model: Model,
    obs: Observation,
    weight: float | None = None,
    seen: Mapping[str, frozenset[str]] | None = None,
) -> Vector:
    """Weighted log P(observation | condition) for each condition (``weight`` defaults to the
    finding's declared weight; see ``effective_weights``). ``seen`` (finding id -> observed
    states, for the whole case) selects a ``given`` table: P(x | y, c) when the knowledge base
    declares that x depends on the observed y within a condition.

    An observation trusted with probability r < 1 (a value read from text) is soft evidence:
    with probability 1 - r the reading is wrong and says nothing about the condition, so its
    likelihood is r * P(x | c) + (1 - r) * m, where m is the mean of P(x | c) over conditions.
    The likelihood ratios shrink towards 1 as r falls, and never change sign.
    """
    compiled = model.findings[obs.finding_id]
    table = compiled.table_for(obs.weeks, seen)
    weight = compiled.finding.weight if weight is None else weight
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
