"""Reads of graduation: the assessments a user may see, the candidates, the review history."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from audit.selectors import object_history
from disbursements.models import Handover
from monitoring.models import (
    Assessment,
    Visit,
)
from monitoring.permissions import can_view_visits
from monitoring.selectors.visits import handovers_for_visits


def assessments_visible_to(user) -> QuerySet[Assessment]:
    if not can_view_visits(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(user.regency_q("regency"))


def assessment_list(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return queryset.select_related(
        "regency",
        "handover__allocation__item__person__village",
        "handover__allocation__item__group__village",
    )


def assessment_detail(*, user, pk: int) -> Assessment:
    return assessment_list(assessments_visible_to(user)).select_related("created_by", "reviewed_by").get(pk=pk)


def graduation_candidates(*, user, budget_year, regency_id: str | None = None) -> QuerySet[Handover]:
    """Delivered recipients of the year whose last scheduled visit is recorded and who have no assessment under way
    or approved: ready to be assessed."""
    last = max(budget_year.months)
    handovers = handovers_for_visits(user).filter(budget_year=budget_year)
    if regency_id:
        handovers = handovers.filter(regency_id=regency_id)
    return (
        handovers.filter(
            Exists(Visit.objects.valid().filter(handover=OuterRef("pk"), due_month=last)),
        )
        .exclude(Exists(Assessment.objects.filter(handover=OuterRef("pk")).exclude(status=Assessment.Status.RETURNED)))
        .select_related("regency", "allocation__item__person__village", "allocation__item__group__village")
        .order_by("regency_id", "id")
    )


def assessment_open(handover: Handover) -> Assessment | None:
    """The assessment of a BAST still being worked on (draft, submitted or returned), if any."""
    return (
        Assessment.objects.filter(handover=handover, status__in=["draft", "submitted", "returned"])
        .order_by("-id")
        .first()
    )


@dataclass
class ReviewStep:
    """One step of an assessment's way between the regency and the province, kept after it is resubmitted."""

    when: datetime.datetime
    who: object | None
    label: str
    note: str


REVIEW_STEPS = {
    "assessment.submit": ("Diajukan kabupaten/kota", "note"),
    "assessment.return": ("Dikembalikan provinsi", "review_note"),
    "assessment.approve": ("Disetujui provinsi", "review_note"),
}


def assessment_history(assessment) -> list[ReviewStep]:
    """Every submit, return and approval of the assessment, oldest first, with its note — from the audit trail,
    so a return note stays readable after the regency resubmits (the assessment keeps only the latest). One query;
    the caller has checked that the user may see the assessment."""
    events = object_history(obj=assessment, limit=100)
    steps = []
    for event in reversed(events):
        if event.action not in REVIEW_STEPS:
            continue
        label, key = REVIEW_STEPS[event.action]
        steps.append(ReviewStep(event.created_at, event.actor, label, str((event.after or {}).get(key) or "")))
    return steps
