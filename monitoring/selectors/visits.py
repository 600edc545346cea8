"""Reads of monitoring visits: what a user may see, the schedule of a BAST (the worklist of due visits is
monitoring.selectors.worklist)."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from disbursements.models import Handover, HandoverLine
from disbursements.selectors import handovers_visible_to
from monitoring import schedule
from monitoring.models import (
    Visit,
    VisitGoods,
    VisitPhoto,
)
from monitoring.permissions import can_record_visits, can_view_visits


def visits_visible_to(user) -> QuerySet[Visit]:
    if not can_view_visits(user):
        return Visit.objects.none()
    return Visit.objects.filter(user.regency_q("regency"))


def visit_detail(*, user, pk: int) -> Visit:
    """One visible visit with what its page shows; raises Visit.DoesNotExist when absent or out of scope."""
    return (
        visits_visible_to(user)
        .select_related(
            "regency",
            "budget_year",
            "created_by",
            "voided_by",
            "handover__allocation__item__person__village",
            "handover__allocation__item__group__village",
        )
        .prefetch_related(
            Prefetch("goods", queryset=VisitGoods.objects.select_related("line__goods")),
            "photos",
        )
        .get(pk=pk)
    )


def photo_visible(*, user, pk: int) -> VisitPhoto:
    return VisitPhoto.objects.select_related("visit").get(pk=pk, visit__in=visits_visible_to(user))


def handovers_for_visits(user) -> QuerySet[Handover]:
    """The delivered BASTs whose recipients the user may record visits for."""
    if not (can_view_visits(user) and can_record_visits(user)):
        return Handover.objects.none()
    return handovers_visible_to(user).delivered()


def handover_for_visit(*, user, pk: int) -> Handover:
    """A delivered BAST in the user's scope, with its recipient and goods lines (for the visit form)."""
    return (
        handovers_for_visits(user)
        .select_related(
            "budget_year",
            "regency",
            "allocation__item__person__village",
            "allocation__item__group__village",
        )
        .prefetch_related(Prefetch("lines", queryset=HandoverLine.objects.select_related("goods")))
        .get(pk=pk)
    )


def visits_by_month(handovers) -> dict[int, dict[int, Visit]]:
    """{handover id: {due month: valid visit}} of `handovers` (one query)."""
    found: dict[int, dict[int, Visit]] = defaultdict(dict)
    for visit in Visit.objects.valid().filter(handover__in=handovers, due_month__isnull=False).order_by("id"):
        found[visit.handover_id][visit.due_month] = visit
    return found


def handover_schedule(handover: Handover, *, today: datetime.date | None = None) -> list[schedule.ScheduledVisit]:
    """The scheduled visits of one BAST (a voided BAST has none)."""
    if handover.status != Handover.Status.DELIVERED:
        return []
    today = today or timezone.localdate()
    budget_year = handover.budget_year
    return schedule.schedule(
        handover,
        budget_year.months,
        visits_by_month([handover]).get(handover.pk, {}),
        today=today,
        opens_before=budget_year.visit_window_days,
    )


def state_counts(rows) -> dict[str, int]:
    """{state: n} of a worklist (counted by its grouped query) or of a list of scheduled visits."""
    if hasattr(rows, "counts"):
        return dict(rows.counts)
    counts = dict.fromkeys(schedule.STATE_LABELS, 0)
    for row in rows:
        counts[row.state] += 1
    return counts


def recipient_name(handover: Handover) -> str:
    item = handover.allocation.item
    return item.person.listed_name if item.person_id else item.group.name


def recipient_village(handover: Handover):
    item = handover.allocation.item
    return item.person.village if item.person_id else item.group.village


def _village(handover: Handover) -> str:
    village = recipient_village(handover)
    return village.name if village else ""
