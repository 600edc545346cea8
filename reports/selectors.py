"""The figures of the dashboard and the recap workbook, computed once so both say the same: per regency ×
program the ceiling, the funnel (proposed → approved → allocated → trained → delivered), committed and
realised money; everything through the user's scope."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from audit.models import AuditEvent
from disbursements.models import Allocation, Handover
from disbursements.selectors import delivered_by_day
from monitoring.models import Assessment, Recommendation, Visit
from programs.models import BudgetYear, Program
from programs.selectors import ceilings_visible_to
from proposals.models import ItemCount, ItemStatus, Proposal, ProposalItem
from regions.models import Regency
from training.models import Attendance, AttendanceStatus
from training.selectors import attended

STAGES = ["proposed", "approved", "allocated", "trained", "delivered"]
STAGE_LABELS = ["Diusulkan", "Disetujui", "Dialokasikan", "Bimtek", "Diserahkan"]


@dataclass
class Line:
    """One regency × program of a budget year."""

    regency: Regency
    program: str
    target: int = 0
    amount: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    # Handed over, signed scan not attached yet: not realised, shown as its own figure.
    awaiting_scan: int = 0
    awaiting_value: Decimal = Decimal(0)
    counts: dict = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    has_ceiling: bool = False

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.committed

    @property
    def committed_percent(self) -> float:
        """Committed ÷ ceiling, in percent."""
        return round(float(self.committed) * 100 / float(self.amount), 1) if self.amount else 0.0

    @property
    def is_idle(self) -> bool:
        """A ceiling is set but nothing has been proposed yet."""
        return self.has_ceiling and not self.counts["proposed"]

    @property
    def absorption(self) -> float:
        """Realised ÷ ceiling, in percent (GLOSSARY: Penyerapan Anggaran)."""
        return round(float(self.realised) * 100 / float(self.amount), 2) if self.amount else 0.0

    def add(self, other: "Line") -> None:
        """Sum `other` into this line (totals per program, per regency, overall)."""
        self.target += other.target
        self.amount += other.amount
        self.committed += other.committed
        self.realised += other.realised
        self.awaiting_scan += other.awaiting_scan
        self.awaiting_value += other.awaiting_value
        self.has_ceiling = self.has_ceiling or other.has_ceiling
        for stage in STAGES:
            self.counts[stage] += other.counts[stage]


@dataclass
class Recap:
    budget_year: BudgetYear
    lines: list[Line]
    realised_months: dict = field(default_factory=dict)  # first day of a month -> value of the BASTs realised in it

    def total(self, program: str | None = None) -> Line:
        total = Line(regency=None, program=program or "")
        for line in self.lines:
            if not program or line.program == program:
                total.add(line)
        return total

    def per_regency(self) -> list[Line]:
        """Both programs of each regency together."""
        merged: dict[str, Line] = {}
        for line in self.lines:
            merged.setdefault(line.regency.pk, Line(regency=line.regency, program="")).add(line)
        return list(merged.values())

    def not_started(self) -> list[Regency]:
        """Regencies with no ceiling for either program yet."""
        return [line.regency for line in self.per_regency() if not line.has_ceiling]

    def by_month(self) -> list[dict]:
        """The realised budget (BASTs with their signed scan) month by month of the handover date, with the running
        total and its share of the ceilings: [{"month", "value", "cumulative", "percent"}]."""
        ceiling = sum(line.amount for line in self.lines)
        running, rows = Decimal(0), []
        for month in sorted(self.realised_months):
            value = self.realised_months[month]
            running += value
            percent = round(float(running) * 100 / float(ceiling), 1) if ceiling else 0.0
            rows.append({"month": month, "value": value, "cumulative": running, "percent": percent})
        return rows


def handovers_by_day(*, user, budget_year: BudgetYear) -> list[tuple]:
    """The year's delivered BASTs in the user's scope, by day (disbursements.selectors.delivered_by_day): what the
    recap and the visits' schedule both count from, so the dashboard reads them once."""
    return delivered_by_day(user=user, budget_year=budget_year)


def recap(*, user, budget_year: BudgetYear, days: list | None = None) -> Recap:
    """Every figure per regency × program in the user's scope. Money: ceilings, the sum of active
    allocations (= each ceiling's committed), the value of delivered handovers, month by month. Counts: items
    proposed, approved, allocated (an active allocation), trained (delivered, or allocated and Bimtek attended: the
    woman, or a KUBE's three officers), delivered (a realised BAST). A fixed number of queries, whatever the size;
    none reads every item.

    The counts rest on rules the database and the services keep: an allocation is made for an approved item of an
    approved proposal, whose decision no longer changes (proposals.services); one active allocation per item
    (allocation_one_active); one delivered BAST per allocation (handover_one_delivered); an allocation with a
    delivered BAST cannot be voided (disbursements.services.allocation_void). So an item is allocated exactly when
    it has an active allocation, and delivered exactly when it has a realised BAST — each counted on its own table."""
    regencies = list(Regency.objects.filter(user.regency_q("pk")).order_by("code"))
    lines = {(r.pk, p): Line(regency=r, program=p) for r in regencies for p in Program.values}
    for c in ceilings_visible_to(user).filter(budget_year=budget_year):
        line = lines[(c.regency_id, c.program)]
        line.target, line.amount, line.has_ceiling = c.target_count, c.amount, True
    # Proposed and approved from the item counts the triggers keep (proposals.ItemCount): a few rows per proposal.
    for regency, program, status, n in (
        ItemCount.objects.filter(
            proposal__in=Proposal.objects.filter(user.regency_q("regency"), budget_year=budget_year)
        )
        .values_list("proposal__regency", "proposal__program", "status")
        .annotate(n=Sum("n"))
        .order_by()
    ):
        counts = lines[(regency, program)].counts
        counts["proposed"] += n
        if status == ItemStatus.APPROVED:
            counts["approved"] += n
    scope = Q(user.regency_q("regency"), budget_year=budget_year)
    for regency, program, value, n in (
        Allocation.objects.filter(scope, status=Allocation.Status.ACTIVE)
        .values_list("regency", "program")
        .annotate(value=Sum("total"), n=Count("id"))
        .order_by()
    ):
        line = lines[(regency, program)]
        line.committed, line.counts["allocated"] = value, n
    # Delivered BASTs, per day of the handover (disbursements.selectors.delivered_by_day, or the rows the dashboard
    # counted once for this and the visits' schedule): realised (the signed scan attached) and awaiting their scan.
    if days is None:
        days = handovers_by_day(user=user, budget_year=budget_year)
    months: dict = {}
    for regency, program, day, realised, n, value in days:
        line = lines[(regency, program)]
        if realised:
            line.realised += value
            line.counts["delivered"] += n
            month = day.replace(day=1)
            months[month] = months.get(month, 0) + value
        else:
            line.awaiting_scan += n
            line.awaiting_value += value
    # Trained: every delivered item, and of the allocated ones not delivered yet those whose Bimtek rule holds —
    # the mark the database keeps on the allocation (disbursements.trained, the rule of training.selectors.attended),
    # counted from its partial index, and only where some are left (none once all are delivered).
    for line in lines.values():
        line.counts["trained"] = line.counts["delivered"]
    if any(line.counts["allocated"] > line.counts["delivered"] for line in lines.values()):
        realised = Handover.objects.realised().filter(allocation=OuterRef("pk"))
        for regency, program, n in (
            Allocation.objects.filter(scope, ~Exists(realised), status=Allocation.Status.ACTIVE, trained=True)
            .values_list("regency", "program")
            .annotate(n=Count("id"))
            .order_by()
        ):
            lines[(regency, program)].counts["trained"] += n
    return Recap(budget_year=budget_year, lines=list(lines.values()), realised_months=months)


def attendance_rate(*, user, budget_year: BudgetYear) -> tuple[int, int, float | None]:
    """(present, invited, percent) over the year's Bimtek sessions in the user's scope."""
    counts = Attendance.objects.filter(user.regency_q("session__regency"), session__budget_year=budget_year).aggregate(
        invited=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT))
    )
    rate = round(counts["present"] * 100 / counts["invited"], 1) if counts["invited"] else None
    return counts["present"], counts["invited"], rate


def recent_activity(*, user, limit: int = 12) -> list[dict]:
    """The latest changes in the user's scope, as a line each (what, which, where, when): the activity
    feed of the dashboard. No before/after values: those stay in the audit log for its readers."""
    events = (
        AuditEvent.objects.filter(user.regency_q("regency"))
        .exclude(action__endswith=".export")
        .select_related("actor", "regency")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        {
            "when": event.created_at,
            "what": event.action_label,
            # The kind of record, never a recipient's name: the feed is read on the head's dashboard.
            "which": event.object_kind,
            "where": event.regency,
            "who": event.actor,
        }
        for event in events
    ]


# The recipient's journey through a budget year, as far as the apps below record it. Visits and graduation
# join here when monitoring exists: this is the one place that knows every stage.
JOURNEY = ["Diusulkan", "Disetujui", "Dialokasikan", "Bimtek", "Diserahkan", "Dikunjungi", "Lulus"]


def journey(items) -> dict[int, int]:
    """How far each recipient (proposal item) has come: {item id: number of steps done} along proposed → approved →
    allocated → trained (Bimtek attended: the woman, or a KUBE's three officers) → delivered → visited (a monitoring
    visit recorded) → graduated (an approved "lulus" assessment). Each step is asked only of the items that reached
    the one before it (delivery stands for the training), so a list of proposed or delivered recipients costs fewer
    queries; at most seven for any number of items."""
    items = list(items)
    steps = {item.pk: 1 for item in items}
    approved = [item for item in items if item.status == ItemStatus.APPROVED]
    for item in approved:
        steps[item.pk] = 2
    if not approved:
        return steps
    ids = [item.pk for item in approved]
    allocated = set(
        Allocation.objects.filter(item__in=ids, status=Allocation.Status.ACTIVE).values_list("item_id", flat=True)
    )
    delivered = set(
        Handover.objects.realised().filter(allocation__item__in=ids).values_list("allocation__item_id", flat=True)
    )
    waiting = [item for item in approved if item.pk in allocated and item.pk not in delivered]  # trained yet?
    trained = attended(_scoped(waiting)) if waiting else set()
    visited = set(
        Visit.objects.valid()
        .filter(handover__allocation__item__in=delivered, handover__status=Handover.Status.DELIVERED)
        .values_list("handover__allocation__item_id", flat=True)
        if delivered
        else ()
    )
    graduated = set(
        Assessment.objects.filter(
            handover__allocation__item__in=visited, status=Assessment.Status.APPROVED, decision=Recommendation.GRADUATE
        ).values_list("handover__allocation__item_id", flat=True)
        if visited
        else ()
    )
    for item in approved:
        if item.pk in delivered:
            steps[item.pk] = 5 + (item.pk in visited) + (item.pk in graduated)
        elif item.pk in allocated:
            steps[item.pk] = 3 + (item.pk in trained)
    return steps


def _scoped(items) -> list[tuple]:
    """(item id, person id, group id, budget year id, program) of each item, as training.selectors.attended takes
    them: the year and program from the item's proposal where the item carries it (a proposal's own page), else read
    (one query)."""
    known = ProposalItem.proposal.is_cached
    scope = {item.pk: (item.proposal.budget_year_id, item.proposal.program) for item in items if known(item)}
    if len(scope) < len(items):
        scope.update(
            (pk, (year, program))
            for pk, year, program in ProposalItem.objects.filter(
                pk__in=[item.pk for item in items if item.pk not in scope]
            ).values_list("pk", "proposal__budget_year", "proposal__program")
        )
    return [(item.pk, item.person_id, item.group_id, *scope[item.pk]) for item in items if item.pk in scope]
