"""Reads of complaints: the one door (scope and sensitivity), the list with time left, the figures."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.models import Complaint, Status
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
