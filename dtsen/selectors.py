"""Reads of the register: the snapshots a user may see, and what the register says of given people — their entry in
the newest period that covers their regency, and the one before it."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from dtsen.models import Entry, Snapshot, period_label, quarters_between
from dtsen.permissions import can_view_register


def snapshots_visible_to(user) -> QuerySet[Snapshot]:
    """The province's snapshots, and a regency's own (an officer sees those of their regency only)."""
    if not can_view_register(user):
        return Snapshot.objects.none()
    snapshots = Snapshot.objects.select_related("regency", "imported_by")
    scope = user.regency_q("regency")
    # Q() | Q(…) is Q(…) alone: a provincial user's empty filter must not shrink to the province's snapshots.
    return snapshots.filter(Q(regency__isnull=True) | scope) if scope else snapshots


def _covering(regency_code: str | None) -> Q:
    """Snapshots that speak for a regency: the province's, and the regency's own."""
    return Q(regency__isnull=True) | Q(regency=regency_code) if regency_code else Q(regency__isnull=True)


@dataclass(frozen=True)
class Fact:
    desil: int | None
    period: datetime.date
    dtsen_id: str = ""

    @property
    def label(self) -> str:
        return f"Desil {self.desil} (DTSEN {period_label(self.period)})"


@dataclass
class Register:
    """What the register says of some people of one regency: `current` is the newest period covering the regency,
    `latest[nik]` the person's entry of that period (absent: not in it), `before[nik]` their newest earlier entry."""

    current: datetime.date | None
    latest: dict[str, Fact] = field(default_factory=dict)
    before: dict[str, Fact] = field(default_factory=dict)
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def current_label(self) -> str:
        return period_label(self.current) if self.current else ""

    def age_quarters(self) -> int | None:
        return quarters_between(self.current, self.today) if self.current else None


def registers_for(niks_by_regency: dict[str | None, set[str]]) -> dict[str | None, Register]:
    """The register's word on people, per regency: {regency code: the NIKs asked} -> {regency code: Register}. Two
    queries for any number of people and regencies (one while no snapshot covers them)."""
    snapshots = list(
        Snapshot.objects.filter(status=Snapshot.Status.READY)
        .filter(Q(regency__isnull=True) | Q(regency__in=[code for code in niks_by_regency if code]))
        .values_list("pk", "regency_id", "period")
    )
    registers = {}
    for code in niks_by_regency:
        periods = [period for _, regency, period in snapshots if regency in (None, code)]
        registers[code] = Register(current=max(periods) if periods else None)
    niks = {nik for code, asked in niks_by_regency.items() if registers[code].current for nik in asked if nik}
    if not niks:
        return registers
    where = {pk: regency for pk, regency, _ in snapshots}
    rows = (
        Entry.objects.filter(snapshot__in=list(where), nik__in=niks)
        .order_by("nik", "-snapshot__period", "-snapshot_id")
        .values_list("nik", "desil", "snapshot__period", "dtsen_id", "snapshot_id")
    )
    for nik, desil, period, dtsen_id, snapshot in rows:
        fact = Fact(desil=desil, period=period, dtsen_id=dtsen_id)
        for code, register in registers.items():
            if nik not in niks_by_regency[code] or where[snapshot] not in (None, code):
                continue
            if period == register.current:
                register.latest.setdefault(nik, fact)
            elif nik not in register.before:
                register.before[nik] = fact
    return registers


def register_exists() -> bool:
    """Whether any snapshot of the register is in force."""
    return Snapshot.objects.filter(status=Snapshot.Status.READY).exists()


def register_version(regency_code: str | None) -> list[int]:
    """The snapshots in force for a regency, as a part of what a plan was decided on (a new one changes it)."""
    return list(
        Snapshot.objects.filter(_covering(regency_code), status=Snapshot.Status.READY)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def history(nik: str) -> list[Fact]:
    """A person's desil by period, newest first (one query)."""
    return [
        Fact(desil=desil, period=period, dtsen_id=dtsen_id)
        for desil, period, dtsen_id in Entry.objects.filter(nik=nik, snapshot__status=Snapshot.Status.READY)
        .order_by("-snapshot__period", "-snapshot_id")
        .values_list("desil", "snapshot__period", "dtsen_id")
    ]
