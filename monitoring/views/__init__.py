"""The monitoring pages, one module per use case; urls.py names them through this package (views.worklist)."""

from monitoring.views.assessments import assessment_create, assessment_detail, assessment_list, criteria_edit
from monitoring.views.verification import result_photo, result_record, sample_detail, sample_list, sample_supplement
from monitoring.views.visits import (
    STATE_FILTERS,
    visit_create,
    visit_detail,
    visit_photo,
    visit_update,
    visit_void,
    worklist,
)
from monitoring.views.workbook import worklist_export, worklist_marked, worklist_upload

__all__ = [
    "worklist",
    "visit_create",
    "visit_update",
    "visit_detail",
    "visit_void",
    "visit_photo",
    "STATE_FILTERS",
    "assessment_list",
    "assessment_create",
    "assessment_detail",
    "criteria_edit",
    "sample_list",
    "sample_detail",
    "sample_supplement",
    "result_record",
    "result_photo",
    "worklist_export",
    "worklist_upload",
    "worklist_marked",
]
