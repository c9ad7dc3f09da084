"""The structured case: what is known about one patient's hip problem.

Every field is optional and a missing field means *unknown*, never absent: ``"trauma": false``
says there was no trauma, leaving ``trauma`` out says nobody asked. Labs accept a bare number in
the canonical unit or ``{"value": 4.5, "unit": "mg/dL"}``; they are stored canonically.
The JSON Schema of this model is published at ``schemas/case.schema.json``.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from tohip.case.dates import ClinicalDate
from tohip.case.units import LABS, to_canonical


class _Part(BaseModel):
    # defer_build: each model's validator is built when first used, not when tohip is imported
    # (start-up of `tohip assess`, issue 9; BENCHMARKS.md, start-up, session 6)
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True, defer_build=True)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"


class PregnancyStatus(StrEnum):
    NOT_PREGNANT = "not_pregnant"
    PREGNANT = "pregnant"
    POSTPARTUM = "postpartum"


class Onset(StrEnum):
    SUDDEN = "sudden"
    GRADUAL = "gradual"
    INSIDIOUS = "insidious"


class RangeOfMotion(StrEnum):
    NORMAL = "normal"
    MILDLY_LIMITED = "mildly_limited"
    SEVERELY_LIMITED = "severely_limited"
    LIMITED = "limited"  # limited, degree not stated: mildly or severely


class JointSpace(StrEnum):
    PRESERVED = "preserved"
    NARROWED = "narrowed"


class EdemaPattern(StrEnum):
    NONE = "none"
    DIFFUSE_HEAD_NECK = "diffuse_head_neck"
    SUBCHONDRAL_HEAD = "subchondral_head"
    FEMORAL_NECK = "femoral_neck"
    BOTH_SIDES_OF_JOINT = "both_sides_of_joint"


class BoneScanPattern(StrEnum):
    NORMAL = "normal"
    DIFFUSE_HEAD_NECK = "diffuse_head_neck"
    PHOTOPENIC_HEAD = "photopenic_head"
    FOCAL_NECK = "focal_neck"
    PERIARTICULAR = "periarticular"
    MULTIFOCAL = "multifocal"


class Site(StrEnum):
    FEMORAL_HEAD = "femoral_head"
    FEMORAL_NECK = "femoral_neck"
    INTERTROCHANTERIC = "intertrochanteric"
    ACETABULUM = "acetabulum"
    OTHER_JOINT = "other_joint"


class Culture(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class Crystals(StrEnum):
    NONE = "none"
    URATE = "urate"
    CPPD = "cppd"


class BandShape(StrEnum):
    """Shape of a subchondral low-signal band on MRI.

    An irregular band convex to the articular surface and parallel to it points to subchondral
    insufficiency fracture; a smooth band concave to the surface enclosing fat-like marrow (the
    reactive rim of a necrotic segment) points to osteonecrosis.
    """

    IRREGULAR_CONVEX = "irregular_convex"
    SMOOTH_CONCAVE_RIM = "smooth_concave_rim"


class FractureSide(StrEnum):
    """Femoral neck stress fracture site: the superolateral tension side or the inferomedial
    compression side (tension-side fractures are prone to displacement)."""

    TENSION = "tension"
    COMPRESSION = "compression"


class FractureExtent(StrEnum):
    UNDER_HALF = "under_half"  # fracture line under 50% of the neck width
    HALF_OR_MORE = "half_or_more"
    COMPLETE = "complete"


class EdemaCourse(StrEnum):
    RESOLVED = "resolved"
    IMPROVING = "improving"
    UNCHANGED = "unchanged"
    WORSE = "worse"


class FollowUpModality(StrEnum):
    XRAY = "xray"
    MRI = "mri"
    CT = "ct"


class Pregnancy(_Part):
    """Pregnancy status; give gestational weeks or trimester, or weeks since delivery."""

    status: PregnancyStatus
    gestational_weeks: StrictFloat | None = Field(default=None, ge=0, le=44)
    trimester: Literal[1, 2, 3] | None = None

    @field_validator("trimester", mode="before")
    @classmethod
    def _whole_number(cls, raw: Any) -> Any:
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int)):
            raise ValueError("trimester must be 1, 2 or 3")
        return raw

    postpartum_weeks: StrictFloat | None = Field(default=None, ge=0, le=104)

    @model_validator(mode="after")
    def _consistent(self) -> Pregnancy:
        pregnant = self.status == PregnancyStatus.PREGNANT
        if not pregnant and (self.gestational_weeks is not None or self.trimester is not None):
            raise ValueError("gestational_weeks and trimester apply only when status is 'pregnant'")
        if self.status != PregnancyStatus.POSTPARTUM and self.postpartum_weeks is not None:
            raise ValueError("postpartum_weeks applies only when status is 'postpartum'")
        if self.gestational_weeks is not None and self.trimester is not None:
            implied = 1 if self.gestational_weeks < 14 else 2 if self.gestational_weeks < 28 else 3
            if implied != self.trimester:
                raise ValueError(
                    f"gestational_weeks {self.gestational_weeks:g} is trimester {implied}, "
                    f"not {self.trimester}"
                )
        return self


class Patient(_Part):
    age: StrictFloat | None = Field(default=None, ge=0, le=120, description="Age in years")
    sex: Sex | None = None
    pregnancy: Pregnancy | None = None
    lactating: StrictBool | None = None
    allergies: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None,
        max_length=50,
        description="Drug allergies by medicine or class name; [] means none known, "
        "leaving it out means not recorded",
    )
    medications: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None,
        max_length=100,
        description="Current medicines by name; [] means none, leaving it out means not recorded",
    )


class History(_Part):
    trauma: StrictBool | None = Field(default=None, description="A fall or injury before the pain")
    corticosteroids: StrictBool | None = Field(
        default=None, description="Systemic steroids, current or past year"
    )
    alcohol_excess: StrictBool | None = None
    sickle_cell_disease: StrictBool | None = None
    sle: StrictBool | None = Field(default=None, description="Systemic lupus erythematosus")
    malignancy: StrictBool | None = Field(default=None, description="Known or past cancer")
    running_or_military_training: StrictBool | None = None
    osteoporosis: StrictBool | None = Field(
        default=None, description="Known osteoporosis or low BMD"
    )
    inflammatory_arthritis: StrictBool | None = Field(default=None, description="Known RA/SpA/PsA")
    infection_risk: StrictBool | None = Field(
        default=None,
        description="Immunosuppression, diabetes, injecting drug use, recent joint injection, "
        "bacteraemia or skin infection",
    )
    prior_episodes: StrictBool | None = Field(
        default=None,
        description="Earlier transient BME / transient osteoporosis episode that resolved "
        "(either hip, another joint, or an earlier pregnancy)",
    )
    other_joints_involved: StrictBool | None = Field(
        default=None,
        description="Marrow edema or transient osteoporosis in another joint, now or before "
        "(migratory); not joint pain alone (see polyarthralgia)",
    )
    polyarthralgia: StrictBool | None = Field(
        default=None,
        description="Pain or swelling in several other joints (points to inflammatory "
        "arthritis, not to migratory osteoporosis)",
    )
    contralateral_avn: StrictBool | None = Field(
        default=None, description="Known or silent osteonecrosis of the other hip"
    )
    # risk factors for osteonecrosis
    smoking: StrictBool | None = Field(default=None, description="Current or heavy past smoker")
    hiv: StrictBool | None = None
    organ_transplant: StrictBool | None = None
    thrombophilia: StrictBool | None = None
    chemotherapy: StrictBool | None = Field(
        default=None, description="Current or past chemotherapy"
    )
    # risk factors for insufficiency fracture
    prior_fragility_fracture: StrictBool | None = None
    energy_deficiency: StrictBool | None = Field(
        default=None,
        description="RED-S: amenorrhoea, disordered eating or low BMI with high training load",
    )
    pelvic_radiotherapy: StrictBool | None = None
    # obstetric
    heparin_in_pregnancy: StrictBool | None = None
    ckd: StrictBool | None = Field(default=None, description="Chronic kidney disease")
    # Conditions that change which treatments are safe (care plan, issue 4)
    peptic_ulcer_or_gi_bleed: StrictBool | None = Field(
        default=None, description="Peptic ulcer or gastrointestinal bleeding, ever"
    )
    heart_failure: StrictBool | None = None
    oesophageal_disorder: StrictBool | None = Field(
        default=None, description="Stricture, achalasia or other disorder delaying emptying"
    )
    skeletal_radiation: StrictBool | None = Field(
        default=None, description="Past external-beam or implant radiation involving bone"
    )
    paget_disease: StrictBool | None = Field(default=None, description="Paget's disease of bone")


class Symptoms(_Part):
    side: Side | None = None
    onset: Onset | None = None
    onset_date: ClinicalDate | None = None
    presentation_date: ClinicalDate | None = Field(
        default=None,
        description="When the patient first presented with this pain; symptom duration is "
        "measured to it (else to assessment_date), so re-assessing later does not lengthen it",
    )
    duration_weeks: StrictFloat | None = Field(
        default=None, ge=0, le=520, description="Weeks from onset to presentation"
    )
    duration_weeks_at_least: StrictFloat | None = Field(
        default=None, ge=0, le=520, description="Duration known only as 'at least N weeks'"
    )
    groin_buttock_or_thigh_pain: StrictBool | None = None
    weight_bearing_pain: StrictBool | None = None
    night_pain: StrictBool | None = None
    morning_stiffness_over_60_min: StrictBool | None = None
    limp: StrictBool | None = None
    unable_to_bear_weight: StrictBool | None = None
    constitutional: StrictBool | None = Field(
        default=None, description="Weight loss, night sweats, malaise"
    )
    fever: StrictBool | None = Field(
        default=None,
        description="Fever during this episode, in words (febrile, fevers, pyrexia, rigors, a "
        "fever at home); false for afebrile, apyrexial, no fever. A measured temperature goes in "
        "labs.temperature; either one showing fever counts",
    )
    improving: StrictBool | None = Field(default=None, description="Pain already easing untreated")
    worsening: StrictBool | None = Field(default=None, description="Pain getting worse")


class Exam(_Part):
    range_of_motion: RangeOfMotion | None = None
    pain_on_hop_or_heel_strike: StrictBool | None = None
    warmth_swelling_or_redness: StrictBool | None = None


# A lab is a number in the canonical unit or {"value": number, "unit": text}; the validator below
# converts both to the canonical number, so the published schema states the input form.
_LAB_INPUT_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {
            "type": "object",
            "properties": {
                "value": {"type": "number"},
                "unit": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
            "required": ["value"],
            "additionalProperties": False,
        },
        {"type": "null"},
    ],
    "default": None,
}
LabValue = Annotated[StrictFloat | None, WithJsonSchema(_LAB_INPUT_SCHEMA, mode="validation")]


class Labs(_Part):
    """Lab values in canonical units (see ``tohip.case.units``)."""

    crp: LabValue = Field(default=None, description="C-reactive protein, mg/L")
    esr: LabValue = Field(default=None, description="ESR, mm/h")
    wbc: LabValue = Field(default=None, description="Blood white cells, 10^9/L")
    temperature: LabValue = Field(default=None, description="Highest temperature, degC")
    synovial_wbc: LabValue = Field(default=None, description="Synovial white cells, cells/uL")
    egfr: LabValue = Field(default=None, description="eGFR, mL/min/1.73m2")
    vitamin_d: LabValue = Field(default=None, description="25-OH vitamin D, nmol/L")
    calcium: LabValue = Field(default=None, description="Adjusted calcium, mmol/L")
    alp: LabValue = Field(default=None, description="Alkaline phosphatase, U/L")
    phosphate: LabValue = Field(default=None, description="Serum phosphate, mmol/L")
    synovial_neutrophil_pct: LabValue = Field(
        default=None, description="Synovial neutrophils, % of white cells"
    )
    dxa_t_score: LabValue = Field(default=None, description="Lowest DXA T-score, SD")
    joint_fluid_culture: Culture | None = None
    gram_stain: Culture | None = Field(default=None, description="Joint fluid Gram stain")
    crystals: Crystals | None = Field(default=None, description="Joint fluid crystals")
    autoantibodies_positive: StrictBool | None = Field(
        default=None, description="RF, anti-CCP or HLA-B27"
    )
    inflammatory_markers: Literal["normal", "raised"] | None = Field(
        default=None,
        description="CRP and/or ESR reported in words without a number: normal for 'inflammatory "
        "markers normal', 'CRP unremarkable', 'bloods NAD incl. CRP'; raised for 'raised / "
        "elevated inflammatory markers'. A measured CRP or ESR goes in crp / esr; the worse of "
        "the words and the numbers counts",
    )

    @field_validator(*LABS, mode="before")
    @classmethod
    def _canonical(cls, raw: Any, info: Any) -> Any:
        if raw is None:
            return None
        value, unit = raw, None
        if isinstance(raw, dict):
            unknown = set(raw) - {"value", "unit"}
            if unknown or "value" not in raw:
                raise ValueError('give a number or {"value": number, "unit": text}')
            value, unit = raw["value"], raw.get("unit")
            if unit is not None and not isinstance(unit, str):
                raise ValueError('unit must be text, such as "mg/dL"')
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("value must be a number")
        if not math.isfinite(value):
            raise ValueError("value must be finite")
        return to_canonical(info.field_name, float(value), unit)


class _Imaging(_Part):
    date: ClinicalDate | None = None
    weeks_after_onset: StrictFloat | None = Field(default=None, ge=0, le=520)
    side: Side | None = None
    normal: StrictBool | None = Field(
        default=None, description="Reported normal: unreported findings are absent"
    )
    other_cause: StrictBool | None = Field(
        default=None,
        description="Shows a cause of the pain that is none of the eight hip conditions and is "
        "offered as its explanation (e.g. a sacral, pubic or other pelvic fracture away from the "
        "femoral neck, a labral tear, a bursitis or tendon tear, a hernia, a spinal lesion); "
        "not an incidental finding",
    )


# Why a named constant: the knowledge base reads every study's fracture line as the femur's
# (femoral neck stress fracture, subchondral or pathological fracture). A pelvic fracture away
# from the femur is another cause of the pain (``other_cause``), not this field.
PROXIMAL_FEMUR_FRACTURE_LINE = (
    "A fracture line, sclerotic fracture band or cortical break of the proximal femur (head, neck, "
    "trochanteric or subtrochanteric region); a sacral, pubic, acetabular or other pelvic fracture "
    "is not this field (see other_cause)"
)


class XRay(_Imaging):
    osteopenia: StrictBool | None = Field(
        default=None, description="Regional osteopenia of femoral head/neck"
    )
    joint_space: JointSpace | None = None
    osteophytes: StrictBool | None = None
    crescent_or_collapse: StrictBool | None = None
    fracture_line: StrictBool | None = Field(default=None, description=PROXIMAL_FEMUR_FRACTURE_LINE)
    lytic_lesion: StrictBool | None = None
    erosions: StrictBool | None = None
    subchondral_cortical_loss: StrictBool | None = Field(
        default=None, description="Loss of the subchondral cortical line of the femoral head"
    )
    sclerosis: StrictBool | None = Field(default=None, description="Subchondral or band sclerosis")
    sclerotic_lesion: StrictBool | None = None
    periosteal_reaction: StrictBool | None = None
    cortical_destruction: StrictBool | None = None


class Contrast(_Part):
    """Gadolinium-enhanced findings; give this only when contrast was given."""

    non_enhancing_segment: StrictBool | None = None
    enhancing_fragment: StrictBool | None = None
    rim_enhancing_collection: StrictBool | None = None
    diffuse_enhancement: StrictBool | None = Field(
        default=None, description="Diffuse marrow enhancement of the edematous area"
    )


class MRI(_Imaging):
    edema_pattern: EdemaPattern | None = None
    sites: list[Site] = []
    necrotic_segment: StrictBool | None = Field(
        default=None, description="Double-line sign / demarcated segment"
    )
    subchondral_fracture_line: StrictBool | None = None
    neck_fracture_line: StrictBool | None = None
    joint_effusion: StrictBool | None = None
    synovitis: StrictBool | None = None
    soft_tissue_edema: StrictBool | None = None
    abscess: StrictBool | None = Field(
        default=None,
        description="Pus: an abscess, or a rim-enhancing or infected collection (bland bursal "
        "or iliopsoas fluid goes in fluid_collection)",
    )
    cartilage_loss: StrictBool | None = None
    erosions: StrictBool | None = None
    marrow_replacing_lesion: StrictBool | None = None
    fluid_collection: StrictBool | None = Field(
        default=None, description="Bursal, iliopsoas or other fluid collection, not an abscess"
    )
    collapse: StrictBool | None = Field(default=None, description="Femoral head collapse on MRI")
    medial_head_spared: StrictBool | None = Field(
        default=None, description="Edema spares the medial femoral head"
    )
    subchondral_band_thickness_mm: StrictFloat | None = Field(default=None, gt=0, le=60)
    subchondral_band_length_mm: StrictFloat | None = Field(default=None, gt=0, le=80)
    subchondral_band_shape: BandShape | None = None
    neck_fracture_side: FractureSide | None = None
    neck_fracture_extent: FractureExtent | None = None
    neck_fracture_displaced: StrictBool | None = None
    contrast: Contrast | None = None


class CT(_Imaging):
    fracture_line: StrictBool | None = Field(default=None, description=PROXIMAL_FEMUR_FRACTURE_LINE)
    lytic_lesion: StrictBool | None = None
    sclerosis: StrictBool | None = None
    sclerotic_lesion: StrictBool | None = None
    cortical_destruction: StrictBool | None = None
    periosteal_reaction: StrictBool | None = None
    collapse: StrictBool | None = None
    osteopenia: StrictBool | None = None
    erosions: StrictBool | None = None
    osteophytes: StrictBool | None = None
    joint_effusion: StrictBool | None = None
    fluid_collection: StrictBool | None = None
    abscess: StrictBool | None = None


class Ultrasound(_Imaging):
    joint_effusion: StrictBool | None = None
    synovitis: StrictBool | None = None
    fluid_collection: StrictBool | None = Field(default=None, description="Not an abscess")
    abscess: StrictBool | None = None


class FollowUpStudy(_Part):
    """A later study of the same hip, compared with the first: how the edema changed and
    whether a band, collapse or fracture line is present."""

    modality: FollowUpModality
    date: ClinicalDate | None = None
    weeks_after_onset: StrictFloat | None = Field(default=None, ge=0, le=520)
    edema: EdemaCourse | None = None
    necrotic_segment_or_band: StrictBool | None = Field(
        default=None, description="A persisting subchondral band or necrotic segment"
    )
    collapse: StrictBool | None = None
    fracture_line: StrictBool | None = Field(default=None, description=PROXIMAL_FEMUR_FRACTURE_LINE)
    osteopenia: StrictBool | None = None
    normal: StrictBool | None = None


class BoneScan(_Imaging):
    pattern: BoneScanPattern | None = None
    other_joints_uptake: StrictBool | None = None


class Imaging(_Part):
    """The first diagnostic study of each kind, and any later studies in ``followup``."""

    xray: XRay | None = None
    mri: MRI | None = None
    bone_scan: BoneScan | None = None
    ct: CT | None = None
    ultrasound: Ultrasound | None = None
    followup: list[FollowUpStudy] = Field(default=[], max_length=50)


class Case(_Part):
    """One patient's case. ``schema`` names the version of this format."""

    schema_: Literal["tohip.case/2", "tohip.case/1"] = Field(default="tohip.case/2", alias="schema")
    id: str | None = Field(
        default=None,
        max_length=200,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="No control characters",
    )
    assessment_date: ClinicalDate | None = None
    patient: Patient = Patient()
    history: History = History()
    symptoms: Symptoms = Symptoms()
    exam: Exam = Exam()
    labs: Labs = Labs()
    imaging: Imaging = Imaging()

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_enum_values=True, populate_by_name=True
    )

    @model_validator(mode="after")
    def _coherent(self) -> Case:
        sex = self.patient.sex
        pregnancy = self.patient.pregnancy
        if sex == Sex.MALE and pregnancy and pregnancy.status != PregnancyStatus.NOT_PREGNANT:
            raise ValueError("patient.pregnancy is given for a male patient")
        if sex == Sex.MALE and self.patient.lactating:
            raise ValueError("patient.lactating is true for a male patient")
        onset = self.symptoms.onset_date
        if onset and self.assessment_date and onset > self.assessment_date:
            raise ValueError("symptoms.onset_date is after assessment_date")
        for name in ("xray", "mri", "bone_scan", "ct", "ultrasound"):
            study = getattr(self.imaging, name)
            if study and study.date and onset and study.date < onset:
                raise ValueError(f"imaging.{name}.date is before symptoms.onset_date")
        for i, later in enumerate(self.imaging.followup):
            if later.date and onset and later.date < onset:
                raise ValueError(f"imaging.followup[{i}].date is before symptoms.onset_date")
        presented = self.symptoms.presentation_date
        if presented and onset and presented < onset:
            raise ValueError("symptoms.presentation_date is before symptoms.onset_date")
        return self
