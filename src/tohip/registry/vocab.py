"""The registry's closed vocabularies. The database enforces them with CHECK constraints, the
schemas with enums, so a value outside them never gets stored by any route."""

from __future__ import annotations

from enum import StrEnum

from tohip.case.schema import Sex, Side
from tohip.conditions import CONDITION_IDS, ConditionId

OTHER_DIAGNOSIS = ConditionId.OTHER.value
DIAGNOSES: tuple[str, ...] = CONDITION_IDS
"""Final diagnoses: the contract's condition ids, ``other`` (none of the eight) included."""

__all__ = [
    "DIAGNOSES",
    "OTHER_DIAGNOSIS",
    "Confirmation",
    "ImagingModality",
    "ImagingResult",
    "InputKind",
    "Joint",
    "RecurrenceSite",
    "Role",
    "Sex",
    "Side",
    "Treatment",
    "WeightBearing",
]


class Joint(StrEnum):
    """The joint of an episode: the hip, or another joint in regional migratory osteoporosis."""

    HIP = "hip"
    KNEE = "knee"
    ANKLE = "ankle"
    FOOT = "foot"
    OTHER = "other"


class Treatment(StrEnum):
    """Main treatment of the episode, for the Kaplan-Meier comparison by treatment."""

    CONSERVATIVE = "conservative"  # protected weight bearing and analgesia only
    BISPHOSPHONATE = "bisphosphonate"
    DENOSUMAB = "denosumab"
    TERIPARATIDE = "teriparatide"
    ILOPROST = "iloprost"
    CORE_DECOMPRESSION = "core_decompression"
    SURGERY_OTHER = "surgery_other"
    OTHER = "other"


class WeightBearing(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class ImagingModality(StrEnum):
    NONE = "none"
    XRAY = "xray"
    MRI = "mri"
    BONE_SCAN = "bone_scan"
    CT = "ct"


class ImagingResult(StrEnum):
    NOT_DONE = "not_done"
    NORMAL = "normal"
    MARROW_EDEMA = "marrow_edema"
    EDEMA_IMPROVING = "edema_improving"
    EDEMA_RESOLVED = "edema_resolved"
    OSTEOPENIA = "osteopenia"
    FRACTURE = "fracture"
    COLLAPSE = "collapse"
    OTHER = "other"


class Confirmation(StrEnum):
    """How the final diagnosis was confirmed."""

    MRI_RESOLUTION = "mri_resolution"  # marrow edema resolved on follow-up MRI
    CLINICAL_COURSE = "clinical_course"  # self-limiting course, no other cause found
    IMAGING = "imaging"  # diagnostic imaging finding (e.g. double line, fracture line)
    HISTOLOGY = "histology"
    MICROBIOLOGY = "microbiology"
    SURGERY = "surgery"
    OTHER = "other"


class RecurrenceSite(StrEnum):
    """Where a recurrence appeared; anything but the same hip counts as migration."""

    SAME_HIP = "same_hip"
    CONTRALATERAL_HIP = "contralateral_hip"
    OTHER_JOINT = "other_joint"


MIGRATION_SITES = (RecurrenceSite.CONTRALATERAL_HIP, RecurrenceSite.OTHER_JOINT)


class InputKind(StrEnum):
    CASE = "case"  # a structured case (tohip.case/1)
    NOTE = "note"  # a free-text note
    SYNTHETIC = "synthetic"  # finding states drawn by the synthetic generator


class Role(StrEnum):
    CLINICIAN = "clinician"  # reads and writes the registry
    RESEARCHER = "researcher"  # may only produce the de-identified export
