"""Reads of goods, packages, allocations and the budget picture; allocations through
`allocations_visible_to` (the one door), the catalogue and packages are province-wide."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from beneficiaries.models import Person
from beneficiaries.selectors import name_or_nik_q
from disbursements.models import (
    Allocation,
    AllocationLine,
    GoodsItem,
    Handover,
    HandoverDay,
    HandoverLine,
    Package,
    PackageLine,
)
from disbursements.permissions import can_view_allocations, can_view_catalogue, can_view_handovers
from programs.models import BudgetYear, Ceiling, Program
from programs.selectors import ceilings_visible_to
from proposals.models import ItemStatus, ProposalItem
from proposals.selectors import proposals_visible_to
from regions.models import Regency
from training.models import Attendance, AttendanceStatus
from training.selectors import attended, training_gate


def goods_visible_to(user) -> QuerySet[GoodsItem]:
    return GoodsItem.objects.all() if can_view_catalogue(user) else GoodsItem.objects.none()


def packages_visible_to(user) -> QuerySet[Package]:
    """Packages with their total at today's prices and their lines with the goods (two queries)."""
    if not can_view_catalogue(user):
        return Package.objects.none()
    return (
        Package.objects.with_total()
        .select_related("business_type")
        .prefetch_related(Prefetch("lines", queryset=PackageLine.objects.select_related("goods")))
    )


def allocations_visible_to(user) -> QuerySet[Allocation]:
    if not can_view_allocations(user):
        return Allocation.objects.none()
    return Allocation.objects.filter(user.regency_q("regency"))


def allocation_list(queryset: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """What a row of the allocation list shows (recipient, regency, package), one query."""
    return queryset.select_related(
        "regency", "budget_year", "package", "item__person", "item__group__village", "item__proposal"
    )


def allocation_detail(*, user, pk: int) -> Allocation:
    """One visible allocation with its lines; raises Allocation.DoesNotExist when absent or out of scope."""
    return (
        allocation_list(allocations_visible_to(user))
        .select_related("created_by", "voided_by", "ceiling")
        .prefetch_related(Prefetch("lines", queryset=AllocationLine.objects.select_related("goods")))
        .get(pk=pk)
    )


def recipients_to_allocate(
    *, user, budget_year: BudgetYear, regency=None, program=None, query: str = ""
) -> QuerySet[ProposalItem]:
    """Approved recipients (items) of the year in the user's scope that hold no active allocation yet; `query`
    narrows them to a name (a woman's, or a KUBE group's) or a NIK."""
    active = Allocation.objects.filter(item=OuterRef("pk"), status=Allocation.Status.ACTIVE)
    items = ProposalItem.objects.filter(
        proposal__in=proposals_visible_to(user).filter(budget_year=budget_year),
        status=ItemStatus.APPROVED,
    ).filter(~Exists(active))
    if regency:
        items = items.filter(proposal__regency=regency)
    if program:
        items = items.filter(proposal__program=program)
    query = " ".join((query or "").split())
    if query:
        items = items.filter(
            Q(person__in=Person.objects.filter(name_or_nik_q(query)).values("pk")) | Q(group__name__icontains=query)
        )
    return items.select_related("proposal__regency", "person__village", "group__village", "business_type").order_by(
        "proposal__regency", "proposal__program", "id"
    )


@dataclass
class CeilingCost:
    """What an allocation would take from one ceiling (the preview, and the service's check)."""

    regency: Regency
    program: str
    count: int = 0
    cost: Decimal = Decimal(0)
    ceiling: Ceiling | None = None

    @property
    def remaining(self) -> Decimal:
        return self.ceiling.remaining if self.ceiling else Decimal(0)

    @property
    def remaining_after(self) -> Decimal:
        return self.remaining - self.cost

    @property
    def problem(self) -> str:
        from core.formatting import rupiah

        label = f"{self.program} {self.regency}"
        if self.ceiling is None:
            return f"Pagu {label} belum ditetapkan."
        if self.cost > self.remaining:
            return (
                f"Sisa pagu {label} {rupiah(self.remaining)} tidak cukup untuk alokasi {rupiah(self.cost)} "
                f"(kurang {rupiah(self.cost - self.remaining)})."
            )
        return ""


def matching_packages(items) -> tuple[dict[Package, list], list]:
    """Each recipient's package by its program and jenis usaha (the first active one by name, with its `total`):
    ({package: items}, the items no active package fits). One query."""
    packages: dict[tuple, Package] = {}
    for package in Package.objects.with_total().filter(is_active=True).order_by("name"):
        packages.setdefault((package.program, package.business_type_id), package)
    groups: dict[Package, list] = defaultdict(list)
    unmatched = []
    for item in items:
        package = packages.get((item.proposal.program, item.business_type_id))
        if package is None:
            unmatched.append(item)
        else:
            groups[package].append(item)
    return dict(groups), unmatched


def costs_per_ceiling_by_package(groups: dict, ceilings) -> list[CeilingCost]:
    """`costs_per_ceiling` of several packages at once ({package: items}): each package's cost, added up per
    ceiling — what `allocations_create_matching` will take from each."""
    merged: dict[tuple, CeilingCost] = {}
    for package, items in groups.items():
        lines = [(line.goods, line.quantity) for line in package.lines.select_related("goods")]
        for cost in costs_per_ceiling(items, lines, ceilings):
            key = (cost.regency.pk, cost.program)
            if key in merged:
                merged[key].count += cost.count
                merged[key].cost += cost.cost
            else:
                merged[key] = cost
    return list(merged.values())


def business_type_mismatches(items, package) -> list[str]:
    """The recipients whose jenis usaha is not the package's: a warning before allocating (not a refusal)."""
    if package is None or package.business_type_id is None:
        return []
    return [
        f"{item.person.full_name if item.person_id else item.group.label}: jenis usaha "
        f"{item.business_type_label or '(kosong)'}, paket untuk {package.business_type}"
        for item in items
        if item.business_type_id != package.business_type_id
    ]


def costs_per_ceiling(items, lines, ceilings) -> list[CeilingCost]:
    """Group the cost of giving `lines` [(goods, quantity)] to each item by (regency, program), against
    `ceilings` {(regency code, program): Ceiling}."""
    each = sum((goods.unit_price * quantity for goods, quantity in lines), Decimal(0))
    groups: dict[tuple, CeilingCost] = {}
    for item in items:
        key = (item.proposal.regency_id, item.proposal.program)
        group = groups.setdefault(key, CeilingCost(regency=item.proposal.regency, program=key[1]))
        group.count += 1
        group.cost += each
        group.ceiling = ceilings.get(key)
    return list(groups.values())


@dataclass
class OverviewRow:
    regency: Regency
    program: str
    ceiling: Ceiling | None
    approved: int = 0
    realised: Decimal = Decimal(0)

    @property
    def started(self) -> bool:
        return self.ceiling is not None and self.ceiling.amount > 0


@dataclass
class BudgetOverview:
    budget_year: BudgetYear
    rows: list[OverviewRow] = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    @property
    def unallocated(self) -> Decimal:
        """Of the year's total, what no ceiling holds yet."""
        return self.budget_year.total_ceiling - self.totals["amount"]


def budget_overview(*, user, budget_year: BudgetYear) -> BudgetOverview:
    """Per regency (the user's scope) and program: ceiling, target, approved recipients, committed and
    remaining, and realised (the value of delivered handovers); regencies without a ceiling show as not
    started. Four queries."""
    ceilings = {(c.regency_id, c.program): c for c in ceilings_visible_to(user).filter(budget_year=budget_year)}
    approved = defaultdict(int)
    counts = (
        ProposalItem.objects.filter(
            proposal__in=proposals_visible_to(user).filter(budget_year=budget_year), status=ItemStatus.APPROVED
        )
        .values_list("proposal__regency", "proposal__program")
        .annotate(n=Count("id"))
    )
    for regency_code, program, n in counts:
        approved[(regency_code, program)] = n
    delivered = Handover.objects.realised().filter(user.regency_q("regency"), budget_year=budget_year)
    realised = {
        (regency, program): value
        for regency, program, value in delivered.values_list("regency", "program").annotate(value=Sum("value"))
    }
    regencies = Regency.objects.filter(user.regency_q("pk")).order_by("code")
    overview = BudgetOverview(budget_year=budget_year)
    for regency in regencies:
        for program in Program.values:
            overview.rows.append(
                OverviewRow(
                    regency=regency,
                    program=program,
                    ceiling=ceilings.get((regency.pk, program)),
                    approved=approved[(regency.pk, program)],
                    realised=realised.get((regency.pk, program), Decimal(0)),
                )
            )
    amount = sum((c.amount for c in ceilings.values()), Decimal(0))
    committed = sum((c.committed for c in ceilings.values()), Decimal(0))
    overview.totals = {
        "target": sum(c.target_count for c in ceilings.values()),
        "approved": sum(approved.values()),
        "amount": amount,
        "committed": committed,
        "remaining": amount - committed,
        "realised": sum(realised.values(), Decimal(0)),
    }
    return overview


def suggested_ceilings(budget_year: BudgetYear) -> dict[tuple[str, str], tuple[int, Decimal]]:
    """'Approved count × package value' per (regency, program): where the ceiling editor can start."""
    values = {Program.WRSE: budget_year.wrse_package_value, Program.KUBE: budget_year.kube_package_value}
    counts = (
        ProposalItem.objects.filter(proposal__budget_year=budget_year, status=ItemStatus.APPROVED)
        .values_list("proposal__regency", "proposal__program")
        .annotate(n=Count("id"))
    )
    return {(regency, program): (n, n * values[program]) for regency, program, n in counts}


FILTER_KEYS = ("tahun", "kabkota", "program", "status", "q")


def _scope_filters(queryset: QuerySet, params, statuses) -> tuple[QuerySet, str]:
    """The filters allocation and BAST lists share (year, regency, program, status); returns the queryset
    and the normalised search text for the caller's own match."""
    if (year := params.get("tahun", "")).isdigit():
        queryset = queryset.filter(budget_year__year=int(year))
    if regency := params.get("kabkota"):
        queryset = queryset.filter(regency=regency)
    if (program := params.get("program")) in Program.values:
        queryset = queryset.filter(program=program)
    if (status := params.get("status")) in statuses:
        queryset = queryset.filter(status=status)
    return queryset, " ".join((params.get("q") or "").split())


def allocation_filters(queryset: QuerySet[Allocation], params) -> QuerySet[Allocation]:
    """The allocation list's filters: year, regency, program, status, recipient name or NIK."""
    queryset, query = _scope_filters(queryset, params, Allocation.Status.values)
    if query:
        queryset = queryset.filter(
            Q(item__person__nik=query)
            | Q(item__person__full_name__icontains=query)
            | Q(item__group__name__icontains=query)
        )
    return queryset


def handovers_visible_to(user) -> QuerySet[Handover]:
    if not can_view_handovers(user):
        return Handover.objects.none()
    return Handover.objects.filter(user.regency_q("regency"))


def delivered_by_day(*, user, budget_year) -> list[tuple]:
    """The year's delivered BASTs in the user's sight, a row per regency, program, handover date and whether the
    signed scan is attached (realised): (regency code, program, date, realised, count, value). Read from the tally
    the triggers keep (HandoverDay), a few rows per day of handovers, from which the dashboard's money and funnel
    (reports.selectors.recap) and the schedule of visits (monitoring.selectors.schedule_counts) both count."""
    return list(
        HandoverDay.objects.filter(user.regency_q("regency"), budget_year=budget_year).values_list(
            "regency", "program", "handed_over_on", "realised", "n", "value"
        )
    )


def handover_list(queryset: QuerySet[Handover]) -> QuerySet[Handover]:
    """What the register and the BAST page show, lines included (two queries)."""
    return queryset.select_related(
        "regency", "budget_year", "allocation__item__person__village", "allocation__item__group__village"
    ).prefetch_related(Prefetch("lines", queryset=HandoverLine.objects.select_related("goods")))


def handover_filters(queryset: QuerySet[Handover], params) -> QuerySet[Handover]:
    """The register's filters: year, regency, program, status, number or recipient name."""
    queryset, query = _scope_filters(queryset, params, Handover.Status.values)
    if query:
        queryset = queryset.filter(Q(number__icontains=query) | Q(second_party_name__icontains=query))
    return queryset


def handover_blockers(allocation: Allocation) -> list[str]:
    """Why the goods of an allocation cannot be handed over now (empty: they can)."""
    if allocation.status != Allocation.Status.ACTIVE:
        return ["Alokasi ini sudah dibatalkan."]
    if allocation.handovers.filter(status=Handover.Status.DELIVERED).exists():
        return ["Barang alokasi ini sudah diserahterimakan."]
    return training_gate(allocation.item)


def delivered_handover(allocation: Allocation) -> Handover | None:
    return allocation.handovers.filter(status=Handover.Status.DELIVERED).first()


def session_allocations(session) -> list[Allocation]:
    """The batch of one Bimtek session: active allocations without a BAST whose recipients were present at
    `session` and meet the Bimtek rule (a KUBE: its three officers), in primary-key order (a fixed number of
    queries)."""
    present = Attendance.objects.filter(session=session, status=AttendanceStatus.PRESENT).values("item_id")
    allocations = list(
        Allocation.objects.filter(item__in=present, status=Allocation.Status.ACTIVE)
        .exclude(handovers__status=Handover.Status.DELIVERED)
        .select_related("item__person", "item__group", "regency")
        .order_by("pk")
    )
    trained = attended((a.item_id, a.item.person_id, a.item.group_id, a.budget_year_id, a.program) for a in allocations)
    return [a for a in allocations if a.item_id in trained]


PARTY_FIELDS = ["first_party_name", "first_party_nip", "first_party_position", "witness_name", "witness_nip",
                "witness_position"]  # fmt: skip


def remembered_parties(regency) -> dict:
    """The first party and witness of the regency's latest BAST: what the next batch form starts from."""
    latest = Handover.objects.filter(regency=regency).order_by("-created_at", "-pk").values(*PARTY_FIELDS).first()
    return latest or {}
