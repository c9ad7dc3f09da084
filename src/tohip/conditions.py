"""The condition ids fixed by the shared contract (``shared/contract.md``): the eight named
conditions, and ``other`` (none of the eight: another cause of hip pain), which the contract
allows beside them.

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
    OTHER = "other"


CONDITION_IDS: tuple[str, ...] = tuple(c.value for c in ConditionId)
