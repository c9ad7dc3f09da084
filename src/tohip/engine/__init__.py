"""Reasoning over the knowledge base: observations, posterior, explanation, red flags, tests."""

from tohip.engine.assess import assess_case
from tohip.engine.types import Assessment

__all__ = ["Assessment", "assess_case"]
