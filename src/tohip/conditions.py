"""The eight condition ids fixed by the shared contract (``shared/contract.md``).

They live here, once, so that the knowledge base, the engine and every interface agree.
"""

from enum import StrEnum


class ConditionId(StrEnum):
    """A condition the differential always ranks. Values are the contract's ids."""

    TRANSIENT_OSTEOPOROSIS = "transient_osteoporosis"
    OSTEONECROSIS = "osteonecrosis"
    STRESS_FRACTURE = "stress_fracture"
    SUBCHONDRAL_INSUFFICIENCY_FRACTURE = "subchondral_insufficiency_fracture"
    OSTEOARTHRITIS = "osteoarthritis"
    SEPTIC_ARTHRITIS = "septic_arthritis"
    INFLAMMATORY_ARTHRITIS = "inflammatory_arthritis"
    NEOPLASM = "neoplasm"


CONDITION_IDS: tuple[str, ...] = tuple(c.value for c in ConditionId)
