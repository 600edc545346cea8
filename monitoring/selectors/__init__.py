"""Reads of monitoring, one module per use case: visits and the worklist, graduation, verification, the dashboard's
outcomes. Every public selector is importable from here (monitoring.selectors.worklist)."""

from monitoring.selectors.assessments import (
    REVIEW_STEPS,
    ReviewStep,
    assessment_detail,
    assessment_history,
    assessment_list,
    assessment_open,
    assessments_visible_to,
    graduation_candidates,
)
from monitoring.selectors.dashboard import MonthOutcome, Outcomes, RegencyOutcome, outcomes, schedule_counts
from monitoring.selectors.verification import (
    delivered_ids,
    results_visible_to,
    sample_draws,
    sample_newcomers,
    sample_results,
    sample_summaries,
    samples_visible_to,
)
from monitoring.selectors.visits import (
    handover_for_visit,
    handover_schedule,
    handovers_for_visits,
    photo_visible,
    recipient_name,
    recipient_village,
    state_counts,
    visit_detail,
    visits_by_month,
    visits_visible_to,
)
from monitoring.selectors.worklist import OPEN_STATES
from monitoring.selectors.worklist import worklist_rows as worklist  # the pages' name for it

__all__ = [
    "visits_visible_to",
    "visit_detail",
    "photo_visible",
    "handovers_for_visits",
    "handover_for_visit",
    "visits_by_month",
    "handover_schedule",
    "worklist",
    "state_counts",
    "recipient_name",
    "recipient_village",
    "OPEN_STATES",
    "assessments_visible_to",
    "assessment_list",
    "assessment_detail",
    "graduation_candidates",
    "assessment_open",
    "ReviewStep",
    "assessment_history",
    "REVIEW_STEPS",
    "samples_visible_to",
    "sample_summaries",
    "sample_draws",
    "sample_newcomers",
    "delivered_ids",
    "results_visible_to",
    "sample_results",
    "RegencyOutcome",
    "MonthOutcome",
    "Outcomes",
    "schedule_counts",
    "outcomes",
]
