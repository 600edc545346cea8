"""The worklist of monitoring visits, in the database: for each of the budget year's visit months, every delivered BAST
in the user's sight is one scheduled visit, whose state today follows from its BAST date alone (a range of dates
per state and month, schedule.handed_over_by) and from whether a valid visit of that month is recorded. Filtering,
the order (by village, or by date) and the page are done by the query; the counts by state by one grouped query.
Nothing is loaded per recipient, so the page costs the same at 1,000 recipients or 100,000.

    rows = worklist_rows(user=user, budget_year=year, states=OPEN_STATES)   # lazy: rows[:50] runs one page
    counts = worklist_counts(user=user, budget_year=year)                   # {state: n}
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from disbursements.models import Handover, HandoverLine
from disbursements.selectors import handovers_visible_to
from monitoring import schedule
from monitoring.models import Visit

OPEN_STATES = (schedule.DUE, schedule.OVERDUE)
ORDERS = {"desa": ("village_name", "recipient", "month", "pk"), "tanggal": ("due_on", "pk", "month")}
CHUNK = 2000  # rows per query when a whole worklist is read (its workbook)


class AddMonths(Func):
    """`date` plus a whole number of months, a month's end clamped as schedule.add_months does (31 Aug + 6 months =
    28/29 Feb): PostgreSQL's date + interval does; SQLite's date() would run into March, so it is clamped there."""

    output_field = DateField()

    def __init__(self, expression, months: int, **extra):
        self.months = int(months)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql}) + INTERVAL '{self.months} months' AS date)", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        m = self.months
        plain = f"date({sql}, '+{m} months')"
        clamped = f"date({sql}, 'start of month', '+{m + 1} months', '-1 day')"
        return (
            f"CASE WHEN strftime('%%d', {plain}) = strftime('%%d', {sql}) THEN {plain} ELSE {clamped} END",
            params * 4,
        )


def _scope(user, budget_year, regency_id, program) -> QuerySet[Handover]:
    handovers = handovers_visible_to(user).delivered().filter(budget_year=budget_year)
    if regency_id:
        handovers = handovers.filter(regency_id=regency_id)
    if program:
        handovers = handovers.filter(program=program)
    return handovers


def _conditions(budget_year, month: int, today: datetime.date) -> tuple[Exists, dict]:
    """The recorded visit of `month` (as a subquery) and the condition of each state on a BAST, for one month."""
    recorded = Exists(Visit.objects.valid().filter(handover=OuterRef("pk"), due_month=month))
    opens = budget_year.visit_window_days
    _, overdue_to = schedule.handed_over_by(month, state_=schedule.OVERDUE, today=today, opens_before=opens)
    due_from, due_to = schedule.handed_over_by(month, state_=schedule.DUE, today=today, opens_before=opens)
    return recorded, {
        schedule.DONE: Q(recorded),
        schedule.OVERDUE: Q(handed_over_on__lte=overdue_to) & ~Q(recorded),
        schedule.DUE: Q(handed_over_on__gte=due_from, handed_over_on__lte=due_to) & ~Q(recorded),
        schedule.UPCOMING: Q(handed_over_on__gt=due_to) & ~Q(recorded),
    }


def worklist_counts(
    *, user, budget_year, regency_id: str | None = None, program: str | None = None, today=None
) -> dict[str, int]:
    """{state: scheduled visits in it} over the user's delivered BASTs of the year: one grouped query."""
    today = today or timezone.localdate()
    aggregates = {}
    for month in budget_year.months:
        _, conditions = _conditions(budget_year, month, today)
        for state_, condition in conditions.items():
            aggregates[f"{state_}_{month}"] = Count("pk", filter=condition)
    counts = dict.fromkeys(schedule.STATE_LABELS, 0)
    if not aggregates:
        return counts
    found = _scope(user, budget_year, regency_id, program).aggregate(**aggregates)
    for key, n in found.items():
        counts[key.rsplit("_", 1)[0]] += n or 0
    return counts


@dataclass
class WorklistRows:
    """The scheduled visits of a worklist, read a page at a time: len() is the count (from worklist_counts),
    rows[a:b] one query for the page and two for what it shows, iteration a chunk at a time."""

    user: object
    budget_year: object
    regency_id: str | None
    program: str | None
    states: tuple
    order: str
    today: datetime.date
    with_lines: bool
    counts: dict

    def count(self) -> int:
        return sum(self.counts[state_] for state_ in self.states)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        for start in range(0, self.count(), CHUNK):
            yield from self[start : start + CHUNK]

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        return self._page(index.start or 0, index.stop if index.stop is not None else self.count())

    def _keys(self):
        """One query: (BAST id, month, state, due date) of the scheduled visits in `states`, ordered."""
        branches = []
        person, group = "allocation__item__person", "allocation__item__group"
        base = _scope(self.user, self.budget_year, self.regency_id, self.program)
        for month in self.budget_year.months:
            recorded, conditions = _conditions(self.budget_year, month, self.today)
            wanted = Q()
            for state_ in self.states:
                wanted |= conditions[state_]
            state_expression = Case(
                When(recorded, then=Value(schedule.DONE)),
                When(conditions[schedule.OVERDUE], then=Value(schedule.OVERDUE)),
                When(conditions[schedule.DUE], then=Value(schedule.DUE)),
                default=Value(schedule.UPCOMING),
                output_field=CharField(),
            )
            branches.append(
                base.filter(wanted)
                .annotate(
                    month=Value(month, output_field=IntegerField()),
                    state=state_expression,
                    due_on=AddMonths(F("handed_over_on"), month),
                    village_name=Coalesce(F(f"{person}__village__name"), F(f"{group}__village__name"), Value("")),
                    recipient=Coalesce(F(f"{person}__full_name"), F(f"{group}__name"), Value("")),
                )
                .values_list("pk", "month", "state", "due_on", "village_name", "recipient")
                .order_by()
            )
        if not branches:
            return None
        keys = branches[0] if len(branches) == 1 else branches[0].union(*branches[1:], all=True)
        return keys.order_by(*ORDERS.get(self.order, ORDERS["desa"]))

    def _page(self, start: int, stop: int) -> list[schedule.ScheduledVisit]:
        keys = self._keys()
        if keys is None or stop <= start:
            return []
        keys = list(keys[start:stop])
        handovers = Handover.objects.select_related(
            "regency", "allocation__item__person__village", "allocation__item__group__village"
        )
        if self.with_lines:
            handovers = handovers.prefetch_related(
                Prefetch("lines", queryset=HandoverLine.objects.select_related("goods"))
            )
        found = handovers.in_bulk({pk for pk, *_ in keys})
        done = {(pk, month) for pk, month, state_, *_ in keys if state_ == schedule.DONE}
        visits = {}
        if done:
            recorded = Visit.objects.valid().filter(
                handover__in={pk for pk, _ in done}, due_month__in={month for _, month in done}
            )
            visits = {(v.handover_id, v.due_month): v for v in recorded}
        return [
            schedule.ScheduledVisit(found[pk], month, due, visits.get((pk, month)), state_)
            for pk, month, state_, due, *_ in keys
        ]


def worklist_rows(
    *,
    user,
    budget_year,
    regency_id: str | None = None,
    program: str | None = None,
    states=OPEN_STATES,
    order: str = "desa",
    today: datetime.date | None = None,
    with_lines: bool = False,
    counts: dict | None = None,
) -> WorklistRows:
    """The scheduled visits of the year's delivered recipients in the user's scope in `states` (every state when
    empty), ordered by village (to plan a trip) or by date ("tanggal")."""
    today = today or timezone.localdate()
    if counts is None:
        counts = worklist_counts(user=user, budget_year=budget_year, regency_id=regency_id, program=program,
                                 today=today)  # fmt: skip
    return WorklistRows(user, budget_year, regency_id, program, tuple(states or schedule.STATE_LABELS), order,
                        today, with_lines, counts)  # fmt: skip
