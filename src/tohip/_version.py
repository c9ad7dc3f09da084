"""The single source of tohip's version (read by hatch and by every assessment)."""

__version__ = "0.1.0"
