"""Output format option shared by every command (text for people, JSON for programs)."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
