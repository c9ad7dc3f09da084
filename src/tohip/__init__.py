"""tohip: clinical decision support for transient osteoporosis of the hip and its mimics.

Decision support for clinicians, not a diagnosis. Typical use::

    from tohip import Case, assess
    result = assess(Case.model_validate({"patient": {"age": 44, "sex": "male"}}))
    result.differential[0].condition

The public names are loaded on first use, so that importing a submodule (the command's thin
client, ``tohip.cli.main``) does not import pydantic and the engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tohip._version import __version__

if TYPE_CHECKING:
    from tohip.case.schema import Case
    from tohip.conditions import ConditionId
    from tohip.engine.assess import assess_case as assess
    from tohip.engine.types import Assessment

__all__ = ["Assessment", "Case", "ConditionId", "__version__", "assess"]

_LAZY = {
    "Assessment": ("tohip.engine.types", "Assessment"),
    "Case": ("tohip.case.schema", "Case"),
    "ConditionId": ("tohip.conditions", "ConditionId"),
    "assess": ("tohip.engine.assess", "assess_case"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(import_module(module), attribute)
        globals()[name] = value  # once loaded, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
