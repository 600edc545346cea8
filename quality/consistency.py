"""The scorecard's consistency and rework measures, each one or two grouped statements: the desil typed in the
workbook against the register's current period, the allocation's value against the year's package, turnover that
jumps between a recipient's visits beyond the regency's own spread (2 and 3 standard deviations, WHO/DHIS2's outlier
rule; the changes kept on the visits), and the days from a returned item to its resubmission (from the audit trail)."""

import math
import statistics

from django.db import connection
from django.db.models import Case, Count, DecimalField, F, FloatField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Abs, Cast
from django.utils import timezone

from audit.models import AuditEvent
from disbursements.models import Allocation
from monitoring.models import Visit
from programs.models import Program


def band(budget_year) -> float:
    """The share of the standard value an allocation may differ by and stay "in the band" (a budget year's
    setting, default 25 %)."""
    return budget_year.package_band_percent / 100


def tally(found: dict, regency, month, part: int, whole: int) -> None:
    """Add to a measure's {regency: {month or None: [part, whole]}} (how every measure of the scorecard is counted)."""
    pair = found.setdefault(regency, {}).setdefault(month, [0, 0])
    pair[0] += part
    pair[1] += whole


PATHS = [
    ("proposals_proposalitem i", "i.person_id"),  # the women of WRSE items
    ("proposals_proposalitem i JOIN beneficiaries_kubemember m ON m.group_id = i.group_id", "m.person_id"),  # KUBEs
]


def desil_differences(budget_year, regency_id: str, limit: int) -> list[tuple[int, int, int]]:
    """(person, typed desil, register's desil) of one regency's proposed people whose desil differs: the records
    behind the measure (counted in quality.selectors._people) — women of WRSE items and members of KUBE items — by
    the register's desil the database keeps per person (dtsen_listing: dtsen.kept)."""
    found: list = []
    with connection.cursor() as cursor:
        for items, person in PATHS:
            cursor.execute(
                f"SELECT pe.id, pe.desil, l.desil FROM {items}"
                " JOIN proposals_proposal p ON p.id = i.proposal_id"
                f" JOIN beneficiaries_person pe ON pe.id = {person}"
                " JOIN dtsen_listing l ON l.person_id = pe.id"
                " WHERE p.budget_year_id = %s AND p.regency_id = %s AND l.desil <> pe.desil"
                " ORDER BY pe.id LIMIT %s",
                [budget_year.pk, regency_id, limit - len(found)],
            )
            found += cursor.fetchall()
            if len(found) >= limit:
                break
    return found


def with_gap(allocations, budget_year):
    """Allocations annotated with their program's standard value of the year (`package_value`) and how far their
    value lies from it (`gap`)."""
    package = Case(
        When(program=Program.WRSE, then=Value(budget_year.wrse_package_value)),
        default=Value(budget_year.kube_package_value),
        output_field=DecimalField(max_digits=15, decimal_places=0),
    )
    return allocations.annotate(package_value=package, gap=Abs(F("total") - package))


def off_band(budget_year) -> Q:
    """Of allocations `with_gap`: those whose value lies outside the year's band around the standard value."""
    return Q(package_value__gt=0, gap__gt=F("package_value") * band(budget_year))


def outside_band(scope, budget_year) -> dict:
    """Active allocations of the year, and those whose value lies outside the year's band around its standard
    value (`BudgetYear.package_band_percent`)."""
    found: dict = {}
    active = Allocation.objects.filter(scope("regency"), budget_year=budget_year, status=Allocation.Status.ACTIVE)
    rows = (
        with_gap(active, budget_year)
        .values_list("regency")
        .annotate(whole=Count("pk"), part=Count("pk", filter=off_band(budget_year)))
        .order_by()
    )
    for regency_id, whole, part in rows:  # no trend: an allocation's value is fixed when it is made
        tally(found, regency_id, None, part, whole)
    return found


def _changes(scope, budget_year):
    return Visit.objects.filter(
        scope("regency"), budget_year=budget_year, status=Visit.Status.VALID, turnover_change__isnull=False
    )


def turnover_spread(scope, budget_year) -> tuple[dict, dict]:
    """The changes of turnover per regency and month of the later visit (as `tally` counts them), and each regency's
    (mean, standard deviation) of its changes — one statement, an index-only scan of visit_turnover_change_idx."""
    change = Cast("turnover_change", FloatField())
    found: dict = {}
    sums: dict = {}
    for regency_id, day, n, total, squares in (
        _changes(scope, budget_year)
        .values_list("regency", "visited_on")
        .annotate(n=Count("pk"), s=Sum(change), q=Sum(change * change))
        .order_by()
    ):
        tally(found, regency_id, day.month, 0, n)
        n_, s_, q_ = sums.get(regency_id, (0, 0.0, 0.0))
        sums[regency_id] = (n_ + n, s_ + total, q_ + squares)
    bounds = {}
    for regency_id, (n, total, squares) in sums.items():
        mean = total / n
        sd = math.sqrt(max(0.0, squares / n - mean * mean))
        if sd > 0:
            bounds[regency_id] = (mean, sd)
    return found, bounds


def beyond(bounds: dict, k: int) -> Q:
    """The changes more than `k` standard deviations from their regency's mean: a range of the index per side."""
    outside = Q(pk__in=[])
    for regency_id, (mean, sd) in bounds.items():
        outside |= Q(regency=regency_id, turnover_change__gt=math.floor(mean + k * sd))
        outside |= Q(regency=regency_id, turnover_change__lt=math.ceil(mean - k * sd))
    return outside


def turnover_jumps(scope, budget_year) -> tuple[dict, dict]:
    """Per regency and month of the later visit: the changes of turnover between a recipient's consecutive scheduled
    visits (Visit.turnover_change, kept by the services), and those beyond 3 standard deviations of the regency's own
    changes; with those beyond 2 per regency in the second dict. Two statements: the spread, then the few changes
    beyond 2 deviations."""
    found, bounds = turnover_spread(scope, budget_year)
    beyond_two: dict = {}
    if not bounds:
        return found, beyond_two
    rows = (
        _changes(scope, budget_year).filter(beyond(bounds, 2)).values_list("regency", "visited_on", "turnover_change")
    )
    for regency_id, day, value in rows:
        mean, sd = bounds[regency_id]
        z = abs(value - mean) / sd
        if z > 2:
            beyond_two[regency_id] = beyond_two.get(regency_id, 0) + 1
        if z > 3:
            tally(found, regency_id, day.month, 1, 0)
    return found, beyond_two


def resubmission_days(scope, budget_year) -> dict:
    """Per regency and month of resubmission, the days each returned item waited to be sent again (audit trail: a
    "proposal_item.resubmit" event and the item's "proposal_item.returned" before it)."""
    returned = AuditEvent.objects.filter(
        action="proposal_item.returned", object_type="proposals.proposalitem", object_id=OuterRef("object_id"),
        created_at__lt=OuterRef("created_at"),
    ).order_by("-created_at").values("created_at")[:1]  # fmt: skip
    found: dict = {}
    for regency_id, sent, back in (
        AuditEvent.objects.filter(scope("regency"), action="proposal_item.resubmit",
                                  created_at__year=budget_year.year)
        .annotate(returned=Subquery(returned))
        .filter(returned__isnull=False)
        .values_list("regency", "created_at", "returned")
    ):  # fmt: skip
        days = (sent - back).total_seconds() / 86400
        found.setdefault(regency_id, {}).setdefault(timezone.localtime(sent).month, []).append(days)
    return found


def median(values: list) -> float | None:
    return round(statistics.median(values), 1) if values else None
