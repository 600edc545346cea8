"""Reads of complaints: the one door (scope and sensitivity), the list with time left, the figures."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from complaints.models import Category, Complaint, Status
from complaints.permissions import can_see_sensitive, can_view_complaints
from core.workdays import working_days_between


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """The complaints of the user's regencies; sensitive ones only for those who may see them."""
    if not can_view_complaints(user):
        return Complaint.objects.none()
    queryset = Complaint.objects.filter(user.regency_q("regency"))
    if not can_see_sensitive(user):
        queryset = queryset.filter(sensitive=False)
    return queryset


def complaint_list(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return queryset.select_related("regency")


def overdue(queryset: QuerySet[Complaint], today: datetime.date | None = None) -> QuerySet[Complaint]:
    """Open complaints past their deadline to resolve, or still unanswered past the first-response deadline."""
    today = today or timezone.localdate()
    return queryset.exclude(status=Status.CLOSED).filter(
        Q(resolve_by__lt=today) | Q(status=Status.NEW, respond_by__lt=today)
    )


def time_left(complaint: Complaint, today: datetime.date | None = None) -> int | None:
    """Working days left to the deadline that matters now (the first response while new, else the resolution);
    negative when late, None once closed."""
    if complaint.is_closed:
        return None
    today = today or timezone.localdate()
    deadline = complaint.respond_by if complaint.status == Status.NEW else complaint.resolve_by
    return working_days_between(today, deadline)


@dataclass
class ComplaintFigures:
    per_regency: list[dict]  # {"regency", "open", "closed", "overdue"}
    per_category: dict  # category -> count
    per_status: dict  # status -> count
    overdue: int
    median_days: float | None  # calendar days from receipt to closing, of the closed ones


def figures(*, user, year: int, today: datetime.date | None = None) -> ComplaintFigures:
    """Complaints of a year (by date received) in the user's sight: three grouped queries and the closed ones'
    durations (for the median)."""
    today = today or timezone.localdate()
    complaints = complaints_visible_to(user).filter(year=year)
    late = (Q(resolve_by__lt=today) | Q(status=Status.NEW, respond_by__lt=today)) & ~Q(status=Status.CLOSED)
    per_regency = list(
        complaints.values("regency_id", "regency__name", "regency__kind")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=~Q(status=Status.CLOSED)),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
            overdue=Count("id", filter=late),
        )
        .order_by("regency_id")
    )
    per_category = dict(complaints.values("category").annotate(n=Count("id")).order_by().values_list("category", "n"))
    per_status = dict(complaints.values("status").annotate(n=Count("id")).order_by().values_list("status", "n"))
    durations = [
        (timezone.localtime(closed).date() - received).days
        for received, closed in complaints.filter(status=Status.CLOSED).values_list("received_on", "closed_at")
    ]
    return ComplaintFigures(
        per_regency=per_regency,
        per_category={Category(k).label: v for k, v in per_category.items()},
        per_status={Status(k).label: v for k, v in per_status.items()},
        overdue=sum(r["overdue"] for r in per_regency),
        median_days=statistics.median(durations) if durations else None,
    )
