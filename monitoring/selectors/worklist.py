"""The worklist of monitoring visits, in the database: for each of the budget year's visit months, every delivered BAST
in the user's sight is one scheduled visit, whose state today follows from its BAST date alone (a range of dates
per state and month, schedule.windows) and from whether a valid visit of that month is recorded. Filtering,
the order (by village, or by date) and the page are done by one statement; the counts by state come from the tallies
the triggers keep. Nothing is loaded per recipient into Python (bench/worklists.py).

    rows = worklist_rows(user=user, budget_year=year, states=OPEN_STATES)   # lazy: rows[:50] runs one page
    counts = worklist_counts(user=user, budget_year=year)                   # {state: n}
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.roles import Role
from disbursements.models import Handover, HandoverDay, HandoverLine
from disbursements.permissions import can_view_handovers
from disbursements.selectors import handovers_visible_to
from monitoring import schedule
from monitoring.models import Visit
from monitoring.selectors.dashboard import done_counts, tallied, tallies_visible_to, voided_since

OPEN_STATES = (schedule.DUE, schedule.OVERDUE)
ORDERS = {"desa": ("village_name", "recipient", "id", "month"), "tanggal": ("due_on", "id", "month")}
CHUNK = 2000  # rows per query when a whole worklist is read (its workbook)


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)  # SQLite: text


def _scope(user, budget_year, regency_id, program) -> QuerySet[Handover]:
    handovers = handovers_visible_to(user).delivered().filter(budget_year=budget_year)
    if regency_id:
        handovers = handovers.filter(regency_id=regency_id)
    if program:
        handovers = handovers.filter(program=program)
    return handovers


def _own_regency(user) -> str | None:
    """An Operator's regency (the only one they see); None for the provincial roles."""
    return user.regency_id if getattr(user, "role", None) == Role.OPERATOR else None


def _months_sql(budget_year, today: datetime.date) -> tuple[str, list]:
    """A derived table of the year's visit months with, for each, the last BAST date whose visit is overdue today and
    the range of BAST dates whose visit is due (schedule.handed_over_by): one row per month. A VALUES list, so the
    planner knows its number of rows (a UNION of SELECTs it counts as one)."""
    date = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    rows, params = [], []
    windows = schedule.windows(budget_year, today)
    for month in budget_year.months:
        _, overdue_to = windows[(schedule.OVERDUE, month)]
        due_from, due_to = windows[(schedule.DUE, month)]
        rows.append(f"(%s, {date}, {date}, {date})")
        params += [month, overdue_to.isoformat(), due_from.isoformat(), due_to.isoformat()]
    columns = "column1 AS month, column2 AS overdue_to, column3 AS due_from, column4 AS due_to"
    return f"SELECT {columns} FROM (VALUES {', '.join(rows)}) AS months", params


# The BAST dates of each state of a month without its visit, and of the adjacent states together.
DATE_RANGES = {
    frozenset({schedule.OVERDUE}): "h.handed_over_on <= m.overdue_to",
    frozenset({schedule.DUE}): "h.handed_over_on >= m.due_from AND h.handed_over_on <= m.due_to",
    frozenset({schedule.UPCOMING}): "h.handed_over_on > m.due_to",
    frozenset({schedule.OVERDUE, schedule.DUE}): "h.handed_over_on <= m.due_to",
    frozenset({schedule.DUE, schedule.UPCOMING}): "h.handed_over_on >= m.due_from",
    frozenset(
        {schedule.OVERDUE, schedule.UPCOMING}
    ): "(h.handed_over_on <= m.overdue_to OR h.handed_over_on > m.due_to)",
}


def _states_sql(states, visited: str) -> str:
    """The condition on a (BAST, month) row to be in one of `states`, written as dates and a visit found or not —
    without the CASE that names the state, whose share of the rows the planner cannot guess (it guessed one row and
    sorted them all instead of walking the index in order)."""
    wanted = set(states or schedule.STATE_LABELS)
    dated = frozenset(wanted - {schedule.DONE})
    if len(dated) == 3:
        return "" if schedule.DONE in wanted else f" AND NOT {visited}"
    if schedule.DONE not in wanted:
        return f" AND NOT {visited} AND {DATE_RANGES[dated]}"
    return f" AND ({visited} OR {DATE_RANGES[dated]})" if dated else f" AND {visited}"


def _due_sql() -> str:
    """The BAST date plus the row's months, a month's end clamped as schedule.add_months does (31 Aug + 6 = 28/29
    Feb): PostgreSQL's date + interval does; SQLite's date() would run into March, so it is clamped there."""
    if connection.vendor == "postgresql":
        return "CAST(h.handed_over_on + make_interval(months => m.month) AS date)"
    plain = "date(h.handed_over_on, '+' || m.month || ' months')"
    clamped = "date(h.handed_over_on, 'start of month', '+' || (m.month + 1) || ' months', '-1 day')"
    return f"CASE WHEN strftime('%%d', {plain}) = strftime('%%d', h.handed_over_on) THEN {plain} ELSE {clamped} END"


def _scheduled_sql(
    scope: QuerySet[Handover],
    budget_year,
    today: datetime.date,
    *,
    regency_id=None,
    program=None,
    states=(),
) -> tuple[str, list]:
    """Every scheduled visit of the BASTs in `scope` (one row per BAST and month) with its state, its due date and
    the recipient's village and name to order by (copied on the BAST, disbursements 0008): the BASTs crossed with
    the year's months, a valid visit of the month looked up by (BAST, month). In the order by village the planner
    walks the year's BASTs in index order (handover_worklist_idx, or handover_regency_worklist_idx for one regency),
    each BAST's months sorted on their own, and stops at the page."""
    scope_sql, scope_params = scope.values("pk").order_by().query.sql_with_params()
    # The scope's own conditions written on the BASTs again, so that the planner starts from the year's (and the
    # regency's) BASTs by their index instead of crossing every BAST ever made with the months.
    narrow, narrow_params = "h.budget_year_id = %s AND h.status = %s", [budget_year.pk, Handover.Status.DELIVERED]
    if regency_id:
        narrow, narrow_params = narrow + " AND h.regency_id = %s", [*narrow_params, regency_id]
    if program:
        narrow, narrow_params = narrow + " AND h.program = %s", [*narrow_params, program]
    wanted = set(states or schedule.STATE_LABELS)
    if wanted <= {schedule.OVERDUE, schedule.DUE}:
        # Only visits due or overdue: a BAST dated after every month's due range has none yet. Said of the BAST, the
        # planner can count such BASTs from its statistics and, early in a season when few are due, find them by
        # date (handover_year_date_idx) rather than walk every BAST of the year in village order to find none.
        windows = schedule.windows(budget_year, today)
        last_due = max((due_to for (state, _), (_, due_to) in windows.items() if state == schedule.DUE), default=None)
        if last_due is not None:
            narrow, narrow_params = narrow + " AND h.handed_over_on <= %s", [*narrow_params, last_due]
    months_sql, months_params = _months_sql(budget_year, today)
    visited = (
        "EXISTS (SELECT 1 FROM monitoring_visit v WHERE v.handover_id = h.id AND v.due_month = m.month"
        " AND v.status = %s)"
    )
    states_sql = _states_sql(states, visited)
    sql = (
        f"SELECT h.id AS id, m.month AS month,"
        f" CASE WHEN {visited} THEN '{schedule.DONE}'"
        f" WHEN {DATE_RANGES[frozenset({schedule.OVERDUE})]} THEN '{schedule.OVERDUE}'"
        f" WHEN {DATE_RANGES[frozenset({schedule.DUE})]} THEN '{schedule.DUE}'"
        f" ELSE '{schedule.UPCOMING}' END AS state,"
        f" {_due_sql()} AS due_on, h.village_name AS village_name, h.recipient_name AS recipient"
        f" FROM disbursements_handover h CROSS JOIN ({months_sql}) m"
        f" WHERE {narrow}{states_sql} AND h.id IN ({scope_sql})"
    )
    visits = [Visit.Status.VALID] * states_sql.count("EXISTS")
    return sql, [Visit.Status.VALID, *months_params, *narrow_params, *visits, *scope_params]


def worklist_counts(
    *, user, budget_year, regency_id: str | None = None, program: str | None = None, today=None
) -> dict[str, int]:
    """{state: scheduled visits in it} over the user's delivered BASTs of the year, from the tallies the triggers keep
    (a few rows per BAST date, however many recipients): the BASTs per month and state by their date ranges
    (HandoverDay), and the valid visits per month and the same ranges (VisitTally: a visit carries its BAST's year,
    regency, program and date), less the visits of BASTs voided since (few: dashboard.voided_since). Due = due BASTs
    less their visits; upcoming = the rest. The same counts as the dashboard's (dashboard.schedule_counts), for one
    regency or program too."""
    today = today or timezone.localdate()
    counts = dict.fromkeys(schedule.STATE_LABELS, 0)
    months = budget_year.months
    if not months or not can_view_handovers(user):
        return counts
    narrow = Q(budget_year=budget_year)
    if regency_id:
        narrow &= Q(regency_id=regency_id)
    if program:
        narrow &= Q(program=program)
    windows = schedule.windows(budget_year, today)
    found = HandoverDay.objects.filter(user.regency_q("regency"), narrow).aggregate(
        basts=Sum("n", default=0),
        **{f"{state_}_{month}": tallied(schedule.within(window, "handed_over_on")) for (state_, month), window
           in windows.items()},
    )  # fmt: skip
    done = tallies_visible_to(user).filter(narrow).aggregate(**done_counts(months, windows, tallied))
    for row in voided_since(user, budget_year, months, windows, narrow):  # negative: no longer scheduled visits done
        for key in done:
            done[key] += row[key]
    counts[schedule.DONE] = done["done"]
    for state_, month in windows:
        key = f"{state_}_{month}"
        counts[state_] += found[key] - done[key]
    counts[schedule.UPCOMING] = found["basts"] * len(months) - sum(counts.values())
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

    def _keys(self, start: int, stop: int) -> list[tuple]:
        """One query: (BAST id, month, state, due date) of the scheduled visits in `states`, ordered, one page."""
        if not self.budget_year.months:
            return []
        scope = _scope(self.user, self.budget_year, self.regency_id, self.program)
        regency_id = self.regency_id or _own_regency(self.user)
        sql, params = _scheduled_sql(scope, self.budget_year, self.today, regency_id=regency_id,
                                     program=self.program, states=self.states)  # fmt: skip
        order = ", ".join(ORDERS.get(self.order, ORDERS["desa"]))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, month, state, due_on FROM ({sql}) s ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, stop - start, start],
            )
            return [(pk, month, state_, _date(due)) for pk, month, state_, due in cursor.fetchall()]

    def _page(self, start: int, stop: int) -> list[schedule.ScheduledVisit]:
        if stop <= start:
            return []
        keys = self._keys(start, stop)
        if not keys:
            return []
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
