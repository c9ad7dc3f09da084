"""What the knowledge-base probe tests share: the shipped knowledge base, its compiled model, the
differential for a case given as data, and one finding's likelihood ratio between two conditions
(the quantity a likelihood row changes, so a probe can pin the row and not only the ranking)."""

from __future__ import annotations

import math
from typing import Any

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case
from tohip.engine.inference import log_likelihood
from tohip.engine.model import compile_model
from tohip.engine.observe import Observation
from tohip.kb.loader import load_knowledge_base

KB = load_knowledge_base()
MODEL = compile_model(KB)


def probs(data: dict[str, Any]) -> dict[str, float]:
    """Each condition's probability for the case ``data`` (the case format as JSON data)."""
    return {r.condition: r.probability for r in assess_case(case_from_data(data), KB).differential}


def likelihood_ratio(finding: str, state: str, top: str, bottom: str, **seen: str) -> float:
    """P(finding = state | top) / P(finding = state | bottom), other findings as ``seen``."""
    obs = Observation(finding, frozenset({state}), field="test", weeks=None)
    given = {k: frozenset({v}) for k, v in seen.items()}
    term = log_likelihood(MODEL, obs, seen=given)
    return math.exp(term[MODEL.conditions.index(top)] - term[MODEL.conditions.index(bottom)])


def p_state(finding: str, state: str, condition: str) -> float:
    """P(finding = state | condition) as the engine uses it (no other finding seen)."""
    obs = Observation(finding, frozenset({state}), field="test", weeks=None)
    return math.exp(log_likelihood(MODEL, obs, seen={})[MODEL.conditions.index(condition)])
