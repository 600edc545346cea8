"""Who the register's newest period puts in question, per regency: the recipients of the years still open (a WRSE
woman, a KUBE's members) whose desil in that period is above their programme's ceiling, or who were in an earlier
period and are not in it — with both periods' desil and the outcome recorded. And the share of a year's recipients
checked against the province's current period, per regency.

Set-based, never a subquery per recipient: a regency has some 20,000 recipients and the register a million rows. The
few in question are found by two index-backed statements (desil above the lowest ceiling; absent from the period),
then only they are read further; a page of them is one more query."""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from beneficiaries.models import KubeMember, Person
from disbursements.models import Allocation
from dtsen.models import Entry, Snapshot, period_label
from programs.models import BudgetYear, Program
from rechecks.models import Recheck

ABOVE, LEFT = "above", "left"
REASONS = {ABOVE: "Desil di atas batas program", LEFT: "Tidak lagi terdaftar di DTSEN"}
PENDING, RECORDED, ALL = "", "sudah", "semua"
STATES = {PENDING: "Belum diverifikasi", RECORDED: "Sudah diverifikasi", ALL: "Semua"}
DEFAULT_CEILING = 5  # Kepmensos 79/HUK/2025: desil 1–5 for social-welfare programmes


def _covering(regency_code: str) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(Q(regency__isnull=True) | Q(regency=regency_code), status=Snapshot.Status.READY)


def current_period(regency_code: str | None = None) -> datetime.date | None:
    """The newest period of the register for a regency (None: for the province, the newest of any snapshot)."""
    snapshots = _covering(regency_code) if regency_code else Snapshot.objects.filter(status=Snapshot.Status.READY)
    return snapshots.order_by("-period").values_list("period", flat=True).first()


def _open_allocations(regency_code: str, program: str) -> QuerySet[Allocation]:
    still_open = [BudgetYear.Status.PLANNING, BudgetYear.Status.OPEN]
    return Allocation.objects.active().filter(regency=regency_code, program=program, budget_year__status__in=still_open)


def _recipients(regency_code: str) -> dict[str, QuerySet[Person]]:
    """The regency's recipients of the years still open, per programme: the WRSE women, the KUBE groups' members."""
    return {
        Program.WRSE: Person.objects.filter(
            pk__in=_open_allocations(regency_code, Program.WRSE).values("item__person")
        ),
        Program.KUBE: Person.objects.filter(
            pk__in=KubeMember.objects.filter(
                group__proposal_items__allocations__in=_open_allocations(regency_code, Program.KUBE)
            ).values("person")
        ),
    }


def _ceilings() -> dict[str, int]:
    """The strictest ceiling of the years still open, per programme."""
    years = list(
        BudgetYear.objects.exclude(status=BudgetYear.Status.CLOSED).values_list("wrse_max_desil", "kube_max_desil")
    )
    return {
        Program.WRSE: min((w for w, _ in years), default=DEFAULT_CEILING),
        Program.KUBE: min((k for _, k in years), default=DEFAULT_CEILING),
    }


@dataclass
class Flag:
    """One recipient in question: the period's desil (None: not in it), the newest earlier one, the outcome."""

    person_id: int
    ceiling: int
    desil_now: int | None
    desil_before: int | None = None
    period_before: datetime.date | None = None
    outcome: str | None = None


@dataclass
class Worklist:
    regency_code: str
    period: datetime.date | None
    flags: dict[int, Flag] = field(default_factory=dict)

    @property
    def period_label(self) -> str:
        return f"DTSEN {period_label(self.period)}" if self.period else ""

    @property
    def counts(self) -> dict[str, int]:
        return {"total": len(self.flags), "recorded": sum(1 for flag in self.flags.values() if flag.outcome)}

    def people(self, state: str = ALL) -> QuerySet[Person]:
        """The people in question in the worklist's order (by district, village, name), filtered by state; a page of
        them read by `annotate_page`."""
        chosen = [
            pk for pk, flag in self.flags.items() if state == ALL or (state == RECORDED) == (flag.outcome is not None)
        ]
        return (
            Person.objects.filter(pk__in=chosen)
            .select_related("village", "district")
            .order_by("district__name", "village__name", "full_name", "pk")
        )

    def annotate_page(self, people) -> list[Person]:
        """The page's people, each with the flag's facts as attributes (desil_now, desil_before, …)."""
        rows = list(people)
        for person in rows:
            flag = self.flags[person.pk]
            person.ceiling, person.desil_now, person.outcome = flag.ceiling, flag.desil_now, flag.outcome
            person.desil_before, person.period_before = flag.desil_before, flag.period_before
        return rows


KEEP_SECONDS = 600


def worklist(regency_code: str, *, person_id: int | None = None) -> Worklist:
    """The regency's recipients in question against its newest period (`person_id`: only that one, if in question).
    The verdicts — a pass over the regency's recipients, 0.1–0.3 s for 20,000 against a million-row register — are
    kept for KEEP_SECONDS under a key that changes with what changes them: the snapshots in force, the ceilings,
    the regency's allocations and KUBE members. The outcomes are read fresh. Seven queries on a kept copy."""
    snapshots = list(_covering(regency_code).values_list("pk", "period"))
    if not snapshots:
        return Worklist(regency_code=regency_code, period=None)
    period = max(day for _, day in snapshots)
    ceilings = _ceilings()
    if person_id is not None:
        verdicts = _verdicts(regency_code, snapshots, period, ceilings, person_id)
    else:
        allocations = Allocation.objects.filter(regency=regency_code).aggregate(
            last=Max("pk"), active=Count("pk", filter=Q(status=Allocation.Status.ACTIVE))
        )
        members = KubeMember.objects.filter(group__regency=regency_code).aggregate(last=Max("pk"), n=Count("pk"))
        kept = [pk for pk, _ in sorted(snapshots)] + [ceilings[Program.WRSE], ceilings[Program.KUBE]]
        key = f"rechecks:v1:{regency_code}:" + "-".join(map(str, [*kept, *allocations.values(), *members.values()]))
        verdicts = cache.get(key)
        if verdicts is None:
            verdicts = _verdicts(regency_code, snapshots, period, ceilings)
            cache.set(key, verdicts, KEEP_SECONDS)
    flags = {pk: Flag(pk, *facts) for pk, facts in verdicts.items()}
    outcomes = Recheck.objects.filter(period=period, person__in=list(flags)).values_list("person_id", "outcome")
    for pk, outcome in outcomes if flags else []:
        flags[pk].outcome = outcome
    return Worklist(regency_code=regency_code, period=period, flags=flags)


def _verdicts(regency_code, snapshots, period, ceilings, person_id=None) -> dict[int, tuple]:
    """{person: (ceiling, the period's desil or None, the newest earlier desil, its period)} of those in question."""
    now = [pk for pk, day in snapshots if day == period]
    older = [pk for pk, day in snapshots if day < period]
    found: dict[int, tuple[str, int | None, int]] = {}  # person -> (nik, the period's desil, ceiling)
    for program, recipients in _recipients(regency_code).items():
        if person_id is not None:
            recipients = recipients.filter(pk=person_id)
        ceiling = ceilings[program]
        # One index probe per recipient (entry_nik_once_per_snapshot), never a scan of the register.
        listed = Entry.objects.filter(nik=OuterRef("nik"), snapshot__in=now)
        rows = (
            recipients.exclude(Exists(listed.filter(desil__lte=ceiling)))
            .annotate(desil_now=Subquery(listed.order_by("-desil").values("desil")[:1]))
            .values_list("pk", "nik", "desil_now")
        )
        for pk, nik, desil in rows:
            # A woman also in a KUBE group: whichever programme's ceiling flags her (the stricter).
            if pk not in found or ceiling < found[pk][2]:
                found[pk] = (nik, desil, ceiling)
    before: dict[str, tuple[int, datetime.date]] = {}
    if older and found:
        entries = (
            Entry.objects.filter(snapshot__in=older, nik__in=[nik for nik, _, _ in found.values()])
            .order_by("nik", "-snapshot__period", "-snapshot_id")
            .values_list("nik", "desil", "snapshot__period")
        )
        for nik, desil, day in entries:
            before.setdefault(nik, (desil, day))
    # Not in the period and never before: the not-in-DTSEN list (Musdes/SIKS-NG), not a re-check.
    return {
        pk: (ceiling, desil, *before.get(nik, (None, None)))
        for pk, (nik, desil, ceiling) in found.items()
        if desil is not None or nik in before
    }


def flagged_person(regency_code: str, person_pk: int):
    """One person of the regency's worklist with the facts as attributes, or None: only they may be recorded."""
    work = worklist(regency_code, person_id=person_pk)
    if person_pk not in work.flags:
        return None
    return work.annotate_page(Person.objects.filter(pk=person_pk).select_related("village"))[0]


def checked_share(*, budget_year, regency_codes) -> dict:
    """Per regency, of the year's recipients (a WRSE woman, each member of a KUBE): how many the province's current
    period has checked — listed in it within the ceiling (in the province's extract or the regency's), or re-checked in
    the field for it. {"period", "label", "regencies": {code: {"recipients", "checked", "percent"}}}; empty while there
    is no snapshot. One statement per programme and per set of snapshots that cover the regencies (usually one)."""
    snapshots = list(Snapshot.objects.filter(status=Snapshot.Status.READY).values_list("pk", "period", "regency_id"))
    if not snapshots:
        return {}
    period = max(day for _, day, _ in snapshots)
    province = [pk for pk, day, regency in snapshots if day == period and regency is None]
    covering: dict[tuple, list[str]] = {}
    for code in regency_codes:
        own = [pk for pk, day, regency in snapshots if day == period and regency == code]
        covering.setdefault(tuple(province + own), []).append(code)
    shares = {code: {"recipients": 0, "checked": 0} for code in regency_codes}
    for ids, codes in covering.items():
        allocations = Allocation.objects.active().filter(budget_year=budget_year, regency__in=codes)
        women = allocations.filter(program=Program.WRSE)
        members = KubeMember.objects.filter(group__proposal_items__allocations__in=allocations.filter(program="KUBE"))
        for rows, person, regency, ceiling in (
            (women, "item__person", "regency", budget_year.wrse_max_desil),
            (members, "person", "group__regency", budget_year.kube_max_desil),
        ):
            listed = Entry.objects.filter(nik=OuterRef(f"{person}__nik"), snapshot__in=list(ids), desil__lte=ceiling)
            rechecked = Recheck.objects.filter(person=OuterRef(person), period=period)
            # Counted from the other side: those neither listed within the ceiling nor re-checked (an anti-join the
            # planner answers in one pass), subtracted from all.
            unchecked = dict(
                rows.exclude(Exists(listed))
                .exclude(Exists(rechecked))
                .values(code=F(regency))
                .annotate(n=Count("pk"))
                .values_list("code", "n")
            )
            for code, recipients in rows.values(code=F(regency)).annotate(n=Count("pk")).values_list("code", "n"):
                share = shares.setdefault(code, {"recipients": 0, "checked": 0})
                share["recipients"] += recipients
                share["checked"] += recipients - unchecked.get(code, 0)
    for share in shares.values():
        share["percent"] = round(100 * share["checked"] / share["recipients"], 1) if share["recipients"] else None
    return {"period": period, "label": f"DTSEN {period_label(period)}", "regencies": shares}
