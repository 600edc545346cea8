"""The requests a user may see (an officer: her regency's), with the time left of their 3×24 hours."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from privacy.models import Status, SubjectRequest
from privacy.permissions import can_view_requests


def requests_visible_to(user) -> QuerySet[SubjectRequest]:
    if not can_view_requests(user):
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(user.regency_q("regency")).select_related("person", "regency")


def hours_left(request: SubjectRequest, now: datetime.datetime | None = None) -> float | None:
    """Hours to the 3×24-hour deadline while open (negative: late); None once answered."""
    if request.status != Status.OPEN:
        return None
    return round(((request.due_at - (now or timezone.now())).total_seconds()) / 3600, 1)


def open_requests(user) -> QuerySet[SubjectRequest]:
    """The to-do list: open requests, the nearest deadline first."""
    return requests_visible_to(user).filter(status=Status.OPEN).order_by("received_at", "pk")
