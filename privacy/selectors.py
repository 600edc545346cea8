"""The requests a user may see (an officer: her regency's), with the time left of their 3×24 hours."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from complaints.models import Category
from complaints.models import Status as ComplaintStatus
from complaints.selectors import complaints_visible_to
from notifications.services import notify
from privacy.models import ANSWER_HOURS, Status, SubjectRequest
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


def complaints_awaiting_request(user) -> QuerySet:
    """Requests about personal data sent through the public complaint page, not yet recorded as a request."""
    return (
        complaints_visible_to(user)
        .filter(category=Category.PERSONAL_DATA, subject_requests__isnull=True)
        .exclude(status=ComplaintStatus.CLOSED)
    )


def overdue(requests: QuerySet[SubjectRequest]) -> QuerySet[SubjectRequest]:
    limit = timezone.now() - datetime.timedelta(hours=ANSWER_HOURS)
    return requests.filter(status=Status.OPEN, received_at__lt=limit)


def notify_overdue() -> int:
    """One notification per late request to those who answer it and to the officer of the person's regency."""
    handlers = list(
        User.objects.filter(groups__permissions__codename="handle_subjectrequest", is_active=True).distinct()
    )
    sent = 0
    for request in overdue(SubjectRequest.objects.select_related("regency")):
        officers = User.objects.filter(groups__name=Role.OPERATOR.label, regency_id=request.regency_id, is_active=True)
        created = notify([*handlers, *officers], text=f"{request} ({request.regency}) melewati batas 3×24 jam",
                         url=request.get_absolute_url(), key=f"subject_request.overdue:{request.pk}")  # fmt: skip
        sent += len(created)
    return sent
