"""Who the register's newest period puts in question, per regency: the recipients of the years still open (a WRSE
woman, a KUBE's members) whose desil in that period is above their programme's ceiling, or who were in an earlier
period and are not in it — with both periods' desil and the outcome recorded. One query for a page of them, one for
the counts; and the share of a year's recipients checked against the province's current period, per regency."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from beneficiaries.models import KubeMember, Person
from disbursements.models import Allocation
from dtsen.models import Entry, Snapshot, period_label
from programs.models import BudgetYear, Program
from rechecks.models import Recheck

ABOVE, LEFT = "above", "left"
REASONS = {ABOVE: "Desil di atas batas program", LEFT: "Tidak lagi terdaftar di DTSEN"}
PENDING, RECORDED, ALL = "", "sudah", "semua"
STATES = {PENDING: "Belum diverifikasi", RECORDED: "Sudah diverifikasi", ALL: "Semua"}


def _covering(regency_code: str) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(Q(regency__isnull=True) | Q(regency=regency_code), status=Snapshot.Status.READY)


def current_period(regency_code: str | None = None) -> datetime.date | None:
    """The newest period of the register for a regency (None: for the province, the newest of any snapshot)."""
    snapshots = _covering(regency_code) if regency_code else Snapshot.objects.filter(status=Snapshot.Status.READY)
    return snapshots.order_by("-period").values_list("period", flat=True).first()


def _open_allocations(regency_code: str, program: str) -> QuerySet[Allocation]:
    still_open = [BudgetYear.Status.PLANNING, BudgetYear.Status.OPEN]
    return Allocation.objects.active().filter(regency=regency_code, program=program, budget_year__status__in=still_open)


def _ceilings() -> tuple[int, int]:
    """The strictest ceiling of the years still open, per programme (WRSE, KUBE); 5 with no year (Kepmensos 79/2025)."""
    years = BudgetYear.objects.exclude(status=BudgetYear.Status.CLOSED).values_list("wrse_max_desil", "kube_max_desil")
    years = list(years)
    return (min((w for w, _ in years), default=5), min((k for _, k in years), default=5))


@dataclass
class Worklist:
    regency_code: str
    period: datetime.date | None
    people: QuerySet[Person]  # flagged, annotated: desil_now, desil_before, period_before, ceiling, outcome
    counts: dict[str, int]

    @property
    def period_label(self) -> str:
        return f"DTSEN {period_label(self.period)}" if self.period else ""


def flagged(regency_code: str, period: datetime.date | None = None) -> QuerySet[Person]:
    """The recipients of the regency that the register's `period` (by default its newest) puts in question."""
    period = period or current_period(regency_code)
    if period is None:
        return Person.objects.none()
    covering = _covering(regency_code)
    wrse = _open_allocations(regency_code, Program.WRSE).values("item__person_id")
    kube = KubeMember.objects.filter(
        group__proposal_items__allocations__in=_open_allocations(regency_code, Program.KUBE)
    ).values("person_id")
    wrse_ceiling, kube_ceiling = _ceilings()
    now = Entry.objects.filter(nik=OuterRef("nik"), snapshot__in=covering.filter(period=period))
    before = Entry.objects.filter(nik=OuterRef("nik"), snapshot__in=covering.filter(period__lt=period)).order_by(
        "-snapshot__period", "-snapshot_id"
    )
    recorded = Recheck.objects.filter(person=OuterRef("pk"), period=period)
    return (
        Person.objects.filter(Q(pk__in=wrse) | Q(pk__in=kube))
        .annotate(
            ceiling=Case(
                When(Q(pk__in=wrse) & Q(pk__in=kube), then=Value(min(wrse_ceiling, kube_ceiling))),
                When(pk__in=wrse, then=Value(wrse_ceiling)),
                default=Value(kube_ceiling),
                output_field=IntegerField(),
            ),
            desil_now=Subquery(now.values("desil")[:1]),
            desil_before=Subquery(before.values("desil")[:1]),
            period_before=Subquery(before.values("snapshot__period")[:1]),
            outcome=Subquery(recorded.values("outcome")[:1]),
        )
        .filter(Q(desil_now__gt=F("ceiling")) | Q(desil_now__isnull=True, period_before__isnull=False))
    )


def worklist(regency_code: str, state: str = PENDING) -> Worklist:
    period = current_period(regency_code)
    if period is None:
        return Worklist(regency_code=regency_code, period=None, people=Person.objects.none(), counts={})
    people = flagged(regency_code, period)
    counts = people.aggregate(total=Count("pk"), recorded=Count("pk", filter=Q(outcome__isnull=False)))
    if state == PENDING:
        people = people.filter(outcome__isnull=True)
    elif state == RECORDED:
        people = people.filter(outcome__isnull=False)
    people = people.select_related("village", "district").order_by("district__name", "village__name", "full_name", "pk")
    return Worklist(regency_code=regency_code, period=period, people=people, counts=counts)


def flagged_person(regency_code: str, person_pk: int):
    """One person of the regency's worklist (with the annotations), or None: only they may be recorded."""
    return flagged(regency_code).filter(pk=person_pk).select_related("village").first()


def checked_share(*, budget_year, regency_codes) -> dict[str, dict]:
    """Per regency, of the year's recipients (a WRSE woman, each member of a KUBE): how many the province's current
    period has checked — listed in it within the ceiling (in the province's extract or the regency's), or re-checked in
    the field for it. {code: {"recipients", "checked", "percent"}}; empty while there is no snapshot. Three queries."""
    period = current_period()
    if period is None:
        return {}
    snapshots = Snapshot.objects.filter(status=Snapshot.Status.READY, period=period)
    shares = {code: {"recipients": 0, "checked": 0} for code in regency_codes}
    allocations = Allocation.objects.active().filter(budget_year=budget_year, regency__in=regency_codes)
    ceilings = {Program.WRSE: budget_year.wrse_max_desil, Program.KUBE: budget_year.kube_max_desil}

    def listed(nik_ref, regency_ref, program):
        return Exists(
            Entry.objects.filter(nik=OuterRef(nik_ref), desil__lte=ceilings[program], snapshot__in=snapshots).filter(
                Q(snapshot__regency__isnull=True) | Q(snapshot__regency=OuterRef(regency_ref))
            )
        )

    def rechecked(person_ref):
        return Exists(Recheck.objects.filter(person=OuterRef(person_ref), period=period))

    wrse = (
        allocations.filter(program=Program.WRSE)
        .annotate(ok=listed("item__person__nik", "regency", Program.WRSE) | rechecked("item__person"))
        .values("regency")
        .annotate(recipients=Count("pk"), checked=Count("pk", filter=Q(ok=True)))
    )
    kube = (
        KubeMember.objects.filter(group__proposal_items__allocations__in=allocations.filter(program=Program.KUBE))
        .annotate(ok=listed("person__nik", "group__regency", Program.KUBE) | rechecked("person"))
        .values("group__regency")
        .annotate(recipients=Count("pk"), checked=Count("pk", filter=Q(ok=True)))
    )
    for row in [*wrse, *({**row, "regency": row["group__regency"]} for row in kube)]:
        share = shares.setdefault(row["regency"], {"recipients": 0, "checked": 0})
        share["recipients"] += row["recipients"]
        share["checked"] += row["checked"]
    for share in shares.values():
        share["percent"] = round(100 * share["checked"] / share["recipients"], 1) if share["recipients"] else None
    return {"period": period, "label": f"DTSEN {period_label(period)}", "regencies": shares}
