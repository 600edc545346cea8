"""Writes of monitoring, one module per use case: visits, graduation assessments, post-distribution verification.
Every public service is importable from here (monitoring.services.visit_record)."""

from monitoring.services.assessments import (
    assessment_compute,
    assessment_review,
    assessment_save,
    criteria_ensure,
    criteria_of,
    criteria_save,
    thresholds_save,
)
from monitoring.services.verification import (
    sample_draw,
    sample_supplement,
    verification_problems,
    verification_record,
)
from monitoring.services.visits import (
    FIELDS,
    Goods,
    turnover_changes_refresh,
    visit_photo_add,
    visit_problems,
    visit_record,
    visit_update,
    visit_void,
)

__all__ = [
    "visit_problems",
    "visit_record",
    "visit_update",
    "visit_void",
    "visit_photo_add",
    "turnover_changes_refresh",
    "Goods",
    "FIELDS",
    "criteria_of",
    "criteria_ensure",
    "criteria_save",
    "thresholds_save",
    "assessment_compute",
    "assessment_save",
    "assessment_review",
    "sample_draw",
    "sample_supplement",
    "verification_problems",
    "verification_record",
]
