"""Reads of complaints: the one door (scope and sensitivity), the list with time left, the figures."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
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
    """The list's order: by the deadline running now (the first response while new, else the resolution), so the
    longest overdue come first, then the nearest deadlines; closed ones after the open, newest first."""
    running = Case(
        When(status=Status.CLOSED, then=Value(None)),
        When(status=Status.NEW, then=F("respond_by")),
        default=F("resolve_by"),
    )
    return (
        queryset.select_related("regency")
        .annotate(running_deadline=running)
        .order_by(F("running_deadline").asc(nulls_last=True), "-received_on", "id")
    )


def status_summary(queryset: QuerySet[Complaint]) -> list[tuple[str, str, int]]:
    """(status, label, count) of the complaints in sight, in the order of the flow: one grouped query."""
    counts = dict(queryset.values("status").annotate(n=Count("id")).order_by().values_list("status", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


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
    return working_days_between(today, running_deadline(complaint)[1])


def running_deadline(complaint: Complaint) -> tuple[str, datetime.date]:
    """The deadline that counts now, named: the first response while the complaint is new, else the resolution
    (the list's order, complaint_list, is the same rule in SQL)."""
    if complaint.status == Status.NEW:
        return "tanggapan pertama", complaint.respond_by
    return "penyelesaian", complaint.resolve_by


@dataclass
class Deadline:
    label: str  # "Tanggapan pertama" / "Penyelesaian"
    due: datetime.date
    met_on: datetime.date | None  # the day it was answered / closed
    days_left: int | None  # working days to `due` while open (negative: late), None once met
    late: bool  # met after `due`, or still open past it

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def deadlines(complaint: Complaint, today: datetime.date | None = None) -> list[Deadline]:
    """Both deadlines of a complaint with what became of each: a first response given late stays recorded as late,
    but once given it no longer counts down; the one still running says how many working days are left."""
    today = today or timezone.localdate()
    result = []
    for label, due, at in (
        ("Tanggapan pertama", complaint.respond_by, complaint.responded_at),
        ("Penyelesaian", complaint.resolve_by, complaint.closed_at),
    ):
        met_on = timezone.localtime(at).date() if at else None
        days_left = None if met_on else working_days_between(today, due)
        result.append(Deadline(label, due, met_on, days_left, late=(met_on or today) > due))
    return result


@dataclass
class ComplaintFigures:
    per_regency: list[dict]  # {"regency", "open", "closed", "overdue"}
    per_category: dict  # category -> count
    per_status: dict  # status -> count
    overdue: int
    median_days: float | None  # calendar days from receipt to closing, of the closed ones


def figures(*, user, year: int, today: datetime.date | None = None) -> ComplaintFigures:
    """Complaints received in a calendar year (the budget year's: Indonesia's fiscal year is the calendar year) in
    the user's sight, and those overdue today whenever received — the same count as the home page's "Pengaduan
    terlambat". Three grouped queries and the closed ones' durations (for the median)."""
    today = today or timezone.localdate()
    visible = complaints_visible_to(user)
    complaints = visible.filter(year=year)
    late = (Q(resolve_by__lt=today) | Q(status=Status.NEW, respond_by__lt=today)) & ~Q(status=Status.CLOSED)
    received = Q(year=year)
    per_regency = list(
        visible.filter(received | late)
        .values("regency_id", "regency__name", "regency__kind")
        .annotate(
            total=Count("id", filter=received),
            open=Count("id", filter=received & ~Q(status=Status.CLOSED)),
            closed=Count("id", filter=received & Q(status=Status.CLOSED)),
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


def complaints_about(user, *, person=None, group=None, handover=None) -> list[Complaint]:
    """The complaints the user may see that name this person, KUBE group or BAST (a BAST's also through its
    recipient), newest first — for the record's own page. One query."""
    if handover is not None:
        item = handover.allocation.item
        about = Q(handover=handover) | (Q(person=item.person_id) if item.person_id else Q(group=item.group_id))
    elif person is not None:
        about = Q(person=person)
    else:
        about = Q(group=group)
    return list(complaints_visible_to(user).filter(about).order_by("-received_on", "-id"))
