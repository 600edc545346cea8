"""The outcomes of monitoring for the dashboard: visits due and done in each schedule window, business status and
turnover at each visit month, KUBE stages, goods units by condition, verification findings."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from disbursements.models import Handover
from disbursements.permissions import can_view_handovers
from disbursements.selectors import delivered_by_day
from monitoring import schedule
from monitoring.models import (
    DISCREPANCIES,
    FINDING_CONDITIONS,
    GOODS_COUNT_FIELDS,
    KEPT_CONDITIONS,
    RUNNING_STATUSES,
    Assessment,
    BusinessStatus,
    GoodsCondition,
    Outcome,
    Recommendation,
    VisitTally,
)
from monitoring.permissions import can_view_visits
from monitoring.selectors.assessments import assessments_visible_to
from monitoring.selectors.verification import results_visible_to
from monitoring.selectors.visits import visits_visible_to
from programs.models import Program
from regions.selectors import regencies_visible_to


@dataclass
class RegencyOutcome:
    regency: object
    recipients: dict = field(default_factory=dict)  # program -> delivered recipients
    graduates: dict = field(default_factory=dict)  # program -> approved "lulus"
    due: int = 0
    overdue: int = 0
    done: int = 0

    @property
    def recipients_total(self) -> int:
        return sum(self.recipients.values())

    @property
    def graduates_total(self) -> int:
        return sum(self.graduates.values())


@dataclass
class MonthOutcome:
    month: int
    visits: int = 0
    running: int = 0
    growing: int = 0
    median_turnover: Decimal | None = None
    stages: dict = field(default_factory=dict)

    @property
    def running_percent(self):
        return round(100 * self.running / self.visits) if self.visits else None

    @property
    def growing_percent(self):
        return round(100 * self.growing / self.visits) if self.visits else None


@dataclass
class Outcomes:
    regencies: list[RegencyOutcome]
    months: list[MonthOutcome]
    goods: dict  # condition -> units of goods seen at valid visits
    verification: dict  # outcome -> sampled recipients
    verification_sampled: int

    @property
    def goods_total(self) -> int:
        return sum(self.goods.values())

    @property
    def goods_kept_percent(self):
        kept = sum(self.goods.get(c, 0) for c in KEPT_CONDITIONS)
        return round(100 * kept / self.goods_total) if self.goods_total else None

    @property
    def findings(self) -> dict:
        """Goods sold, transferred or lost at visits; goods not received or incomplete at verification."""
        found = {GoodsCondition(c).label: self.goods.get(c, 0) for c in FINDING_CONDITIONS}
        found |= {Outcome(o).label: self.verification.get(o, 0) for o in DISCREPANCIES}
        return found

    @property
    def has_stages(self) -> bool:
        return any(m.stages for m in self.months)

    @property
    def done_total(self) -> int:
        return sum(r.done for r in self.regencies)

    @property
    def due_total(self) -> int:
        return sum(r.due for r in self.regencies)

    @property
    def overdue_total(self) -> int:
        return sum(r.overdue for r in self.regencies)

    @property
    def verification_rows(self) -> list[tuple[str, int]]:
        checked = sum(self.verification.values())
        rows = [(label, self.verification.get(value, 0)) for value, label in Outcome.choices]
        return [*rows, ("Belum diperiksa", self.verification_sampled - checked)]

    @property
    def recipients_total(self) -> int:
        return sum(r.recipients_total for r in self.regencies)

    @property
    def graduates_total(self) -> int:
        return sum(r.graduates_total for r in self.regencies)


def tallies_visible_to(user) -> QuerySet[VisitTally]:
    """The counted visits (VisitTally) in the user's sight: the same door as visits_visible_to."""
    if not can_view_visits(user):
        return VisitTally.objects.none()
    return VisitTally.objects.filter(user.regency_q("regency"))


def done_counts(months, windows, counted) -> dict:
    """The aggregates counting the visits of a scheduled month done in each schedule window (each visit with its
    BAST's date) and in all; `counted(condition)` is the aggregate over the rows read (a Sum of the tally's n, or a
    Count of visits)."""
    counts = {"done": counted(Q(due_month__in=months))}
    for (state_, month), window in windows.items():
        counts[f"{state_}_{month}"] = counted(Q(due_month=month) & schedule.within(window, "handed_over_on"))
    return counts


def tallied(condition) -> Sum:
    """The visits (or BASTs) of a tally's rows that meet `condition`: the sum of their `n`."""
    return Sum("n", filter=condition, default=0)


def voided_since(user, budget_year, months, windows, narrow: Q | None = None) -> list[dict]:
    """The visits of the year's BASTs voided since (few, by handover_void_idx), as rows to add to the tally's that
    take them out of the visits done (and so back out of what is no longer due): such a visit stays in the month
    figures but no longer counts as a scheduled visit done. `narrow`: the visits of one regency or program only."""
    voided = Handover.objects.filter(budget_year=budget_year, status=Handover.Status.VOID)
    rows = (
        visits_visible_to(user)
        .valid()
        .filter(narrow or Q(), budget_year=budget_year, handover__in=voided)
        .values("regency_id")
        .annotate(**done_counts(months, windows, lambda condition: Count("id", filter=condition)))
        .order_by()
    )
    return [{key: value if key == "regency_id" else -value for key, value in row.items()} for row in rows]


def schedule_counts(
    *,
    user,
    budget_year,
    today: datetime.date,
    into: dict | None = None,
    days: list | None = None,
    done: list[dict] | None = None,
) -> dict:
    """Per regency in the user's sight: recipients per program, and the scheduled visits due / overdue (not yet
    recorded) and done today. Two grouped queries — none when given the BASTs counted by day
    (disbursements.selectors.delivered_by_day) and the rows of done_counts, as the dashboard counts them with its
    other figures. {regency code: RegencyOutcome}."""
    regencies = into if into is not None else {r.code: RegencyOutcome(r) for r in regencies_visible_to(user)}
    months = budget_year.months
    # The recipients, and the BASTs whose visit of each month is due / overdue today, per regency: a range of BAST
    #    dates per month and state (schedule.handed_over_by) …
    windows = schedule.windows(budget_year, today)
    if not can_view_handovers(user):
        days = []
    elif days is None:
        days = delivered_by_day(user=user, budget_year=budget_year)
    for regency, program, day, _, n, _ in days:
        line = regencies.get(regency)
        if line is None:
            continue
        line.recipients[program] = line.recipients.get(program, 0) + n
        for (state_, _), (low, high) in windows.items():
            if day <= high and (low is None or day >= low):
                if state_ == schedule.DUE:
                    line.due += n
                else:
                    line.overdue += n
    # … less the visits already recorded for them, counted by the tally (one per BAST and month, by constraint) less
    # those of BASTs voided since
    if done is None:
        counted = tallies_visible_to(user).filter(budget_year=budget_year)
        done = [
            *counted.values("regency_id").annotate(**done_counts(months, windows, tallied)).order_by(),
            *voided_since(user, budget_year, months, windows),
        ]
    for row in done:
        line = regencies.get(row["regency_id"])
        if line is not None:
            line.done += row["done"]
            line.due -= sum(row[f"{schedule.DUE}_{m}"] for m in months)
            line.overdue -= sum(row[f"{schedule.OVERDUE}_{m}"] for m in months)
    return regencies


def _median_turnovers(visits, per_month: dict) -> None:
    """Each month's median turnover: the middle one or two of its `visits` in turnover order, read off the index
    visit_turnover_idx (budget year, month, turnover of valid visits) — a few entries per month, where a median
    aggregate sorts every visit of the year. One query on PostgreSQL; one per month where a compound query cannot
    hold a LIMIT (SQLite)."""
    middles = [
        visits.filter(due_month=month.month)
        .order_by("turnover")
        .values_list("due_month", "turnover")[(month.visits - 1) // 2 : month.visits // 2 + 1]
        for month in per_month.values()
        if month.visits
    ]
    if len(middles) > 1 and connections[visits.db].features.supports_slicing_ordering_in_compound:
        middles = [middles[0].union(*middles[1:], all=True)]
    found = defaultdict(list)
    for middle in middles:
        for month, turnover in middle:
            found[month].append(turnover)
    for month, values in found.items():
        per_month[month].median_turnover = sum(values) / len(values)


def outcomes(*, user, budget_year, today: datetime.date | None = None, days: list | None = None) -> Outcomes:
    """The monitoring figures of a year in the user's scope in a fixed number of queries (six with the regencies on
    PostgreSQL, whatever the number of recipients): visits due / overdue / done per regency, running and growing
    businesses and the median turnover at each visit month, goods kept, KUBE stages, graduates against recipients,
    verification."""
    today = today or timezone.localdate()
    months = budget_year.months
    regencies = {r.code: RegencyOutcome(r) for r in regencies_visible_to(user).order_by("code")}

    # 1–4. one pass over the visits counted by the tally the database keeps (VisitTally: a few rows per regency,
    # month, program, stage, business status and BAST date), less those of BASTs voided since: the visits done in
    # each schedule window; business status at each visit month; KUBE stages; goods conditions (counted on each visit
    # when recorded: no join of every goods line) …
    windows = schedule.windows(budget_year, today)
    per_month = {m: MonthOutcome(m) for m in months}
    totals = dict.fromkeys(GOODS_COUNT_FIELDS, 0)
    rows = list(
        tallies_visible_to(user)
        .filter(budget_year=budget_year)
        .values("regency_id", "due_month", "program", "stage")
        .annotate(
            visits=Sum("n"),
            running=tallied(Q(business_status__in=RUNNING_STATUSES)),
            growing=tallied(Q(business_status=BusinessStatus.GROWING)),
            **{condition: Sum(name) for condition, name in GOODS_COUNT_FIELDS.items()},
            **done_counts(months, windows, tallied),
        )
        .order_by()
    )
    voided = voided_since(user, budget_year, months, windows)
    # … with the recipients and the visits due / overdue per regency …
    schedule_counts(user=user, budget_year=budget_year, today=today, into=regencies, days=days, done=[*rows, *voided])
    for row in rows:
        for condition in totals:
            totals[condition] += row[condition]
        month = per_month.get(row["due_month"])
        if month is None:  # an extra visit: its goods only
            continue
        month.visits += row["visits"]
        month.running += row["running"]
        month.growing += row["growing"]
        if row["program"] == Program.KUBE and row["stage"]:
            month.stages[row["stage"]] = month.stages.get(row["stage"], 0) + row["visits"]
    goods = {condition: n for condition, n in totals.items() if n}
    # … and the median turnover of each month from its middle visits
    _median_turnovers(visits_visible_to(user).valid().filter(budget_year=budget_year), per_month)

    # 5. graduates per regency and program
    for row in (
        assessments_visible_to(user)
        .filter(budget_year=budget_year, status=Assessment.Status.APPROVED, decision=Recommendation.GRADUATE)
        .values("regency_id", "program")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["regency_id"] in regencies:
            regencies[row["regency_id"]].graduates[row["program"]] = row["n"]

    # 6. verification results
    results = results_visible_to(user).filter(sample__budget_year=budget_year)
    verification = dict(results.values("outcome").annotate(n=Count("id")).order_by().values_list("outcome", "n"))
    sampled = sum(verification.values())
    verification.pop("", None)
    return Outcomes(list(regencies.values()), list(per_month.values()), goods, verification, sampled)
