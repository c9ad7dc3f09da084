"""Lab units: every lab is stored in one canonical unit, converted at the boundary.

Accepted spellings are matched case-insensitively with spaces removed (``mg/dL`` = ``mg/dl``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabSpec:
    canonical: str
    factors: dict[str, float]  # accepted unit (normalised spelling) -> multiply to get canonical
    low: float  # plausible range in the canonical unit; outside it the value is rejected
    high: float


LABS: dict[str, LabSpec] = {
    "crp": LabSpec("mg/L", {"mg/l": 1.0, "mg/dl": 10.0}, 0.0, 1000.0),
    "esr": LabSpec("mm/h", {"mm/h": 1.0, "mm/hr": 1.0, "mm/hour": 1.0}, 0.0, 200.0),
    "wbc": LabSpec(
        "10^9/L",
        {
            "10^9/l": 1.0,
            "x10^9/l": 1.0,
            "10*9/l": 1.0,
            "g/l": 1.0,
            "10^3/ul": 1.0,
            "k/ul": 1.0,
            "/ul": 0.001,
            "cells/ul": 0.001,
            "/mm3": 0.001,
            "cells/mm3": 0.001,
        },
        0.0,
        500.0,
    ),
    "temperature": LabSpec("degC", {"degc": 1.0, "c": 1.0, "°c": 1.0}, 25.0, 45.0),
    "synovial_wbc": LabSpec(
        "cells/uL",
        {
            "cells/ul": 1.0,
            "/ul": 1.0,
            "/mm3": 1.0,
            "cells/mm3": 1.0,
            "10^9/l": 1000.0,
            "10^3/ul": 1000.0,
        },
        0.0,
        1_000_000.0,
    ),
    "egfr": LabSpec(
        "mL/min/1.73m2", {"ml/min/1.73m2": 1.0, "ml/min/1.73m^2": 1.0, "ml/min": 1.0}, 0.0, 200.0
    ),
    "vitamin_d": LabSpec("nmol/L", {"nmol/l": 1.0, "ng/ml": 2.496}, 0.0, 500.0),
    "calcium": LabSpec("mmol/L", {"mmol/l": 1.0, "mg/dl": 0.2495}, 0.5, 5.0),
    "alp": LabSpec("U/L", {"u/l": 1.0, "iu/l": 1.0, "ukat/l": 60.0}, 0.0, 10_000.0),
    "phosphate": LabSpec("mmol/L", {"mmol/l": 1.0, "mg/dl": 0.3229}, 0.1, 5.0),
    "synovial_neutrophil_pct": LabSpec("%", {"%": 1.0, "percent": 1.0}, 0.0, 100.0),
    "dxa_t_score": LabSpec("SD", {"sd": 1.0}, -8.0, 5.0),
}
FAHRENHEIT = {"f", "degf", "°f"}


def _spelling(unit: str) -> str:
    return unit.strip().lower().replace(" ", "").replace("µ", "u").replace("μ", "u")


def to_canonical(lab: str, value: float, unit: str | None) -> float:
    """Convert ``value`` in ``unit`` (canonical when None) to the lab's canonical unit.

    Raises ``ValueError`` naming the accepted units or the plausible range.
    """
    spec = LABS[lab]
    if unit is None:
        converted = value
    elif lab == "temperature" and _spelling(unit) in FAHRENHEIT:
        converted = (value - 32.0) * 5.0 / 9.0
    else:
        factor = spec.factors.get(_spelling(unit))
        if factor is None:
            accepted = ", ".join(sorted(spec.factors))
            raise ValueError(f"unit {unit!r} is not recognised for {lab}; use one of {accepted}")
        converted = value * factor
    if not spec.low <= converted <= spec.high:
        raise ValueError(
            f"{value:g} {unit or spec.canonical} is outside the plausible range for {lab} "
            f"({spec.low:g}-{spec.high:g} {spec.canonical})"
        )
    return converted
