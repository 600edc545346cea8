"""A visit's deadline in SQL, the same on PostgreSQL and SQLite: the BAST date plus the visit's months (the 31st
becoming the month's last day where it has none, as monitoring.schedule.add_months does), plus the grace days."""

from django.db.models import DateField, Func


class VisitDeadline(Func):
    """VisitDeadline("handed_over_on", "due_month", 30): handed_over_on + due_month months + 30 days."""

    output_field = DateField()

    def __init__(self, day, months, grace: int, **extra):
        self.grace = int(grace)
        super().__init__(day, months, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        (day, day_params), (months, month_params) = (compiler.compile(e) for e in self.source_expressions)
        # date + interval clamps to the month's end (31 Aug + 6 months = 28/29 Feb), as add_months does
        sql = f"(({day} + make_interval(months => {months}))::date + {self.grace})"
        return sql, (*day_params, *month_params)

    def as_sqlite(self, compiler, connection, **extra):
        (day, day_params), (months, month_params) = (compiler.compile(e) for e in self.source_expressions)
        # SQLite rolls 31 Aug + 6 months over into March: clamp to the last day of the target month instead
        added = f"date({day}, '+' || {months} || ' months')"
        last = f"date({day}, 'start of month', '+' || ({months} + 1) || ' months', '-1 day')"
        sql = (
            f"date(CASE WHEN strftime('%%d', {added}) <> strftime('%%d', {day}) THEN {last} ELSE {added} END,"
            f" '+{self.grace} days')"
        )
        order = (day_params, month_params, day_params, day_params, month_params, day_params, month_params)
        return sql, tuple(p for params in order for p in params)
