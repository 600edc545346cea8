"""The monitoring outcomes at 100,000 recipients × 3 visits: the dashboard's outcomes section (monitoring.selectors.
outcomes), the whole dashboard page, and the monitoring recap workbook, beside the floor: the same aggregate SQL
statements run straight on the database cursor, in the same run. Fresh statistics (ANALYZE) after seeding.

    .venv/bin/python bench/monitoring.py [--recipients 100000]

Uses kube_bench (DATABASE_URL to override): people from seed_synthetic, recipients and visits from
seed_monitoring (budget year 2097), both created once and kept.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"
YEAR = 2097
RUNS = 7


def timed(function, runs=RUNS) -> float:
    function()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def statements_of(call) -> list[tuple[str, object]]:
    """The SQL statements (with their parameters) that `call()` runs on the default connection."""
    from django.db import connection

    run = []

    def capture(execute, sql, params, many, context):
        run.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        call()
    return run


def print_timings(results: list[tuple[str, float]]) -> None:
    width = max(len(name) for name, _ in results) + 2
    for name, ms in results:
        print(f"{name:<{width}}{ms:>9.0f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create
    from beneficiaries import synthetic as people
    from beneficiaries.models import Person
    from core.excel import ReportWriter
    from disbursements.models import Handover
    from monitoring import synthetic
    from monitoring.models import Visit
    from monitoring.selectors import outcomes
    from programs.models import BudgetYear
    from reports.exports import MONITORING_RECAP_COLUMNS, monitoring_recap_rows

    call_command("migrate", verbosity=0)
    need = args.recipients - Handover.objects.filter(budget_year__year=YEAR).count()
    if need > 0:
        spare = Person.objects.count() - Handover.objects.count()
        if spare < need:
            print(f"seed_synthetic: {need - spare:,} people …", flush=True)
            people.insert(need - spare + 1000, seed=2097)
        print(f"seed_monitoring: {need:,} recipients …", flush=True)
        started = time.perf_counter()
        synthetic.insert(year=YEAR, count=need, seed=YEAR)
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    budget_year = BudgetYear.objects.get(year=YEAR)
    leader = User.objects.filter(username="bench.pimpinan").first() or user_create(
        username="bench.pimpinan", password="bench-pass-2097", role=Role.PIMPINAN, regency=None
    )
    recipients = Handover.objects.filter(budget_year=budget_year).count()
    visits = Visit.objects.filter(budget_year=budget_year).count()

    def ours():
        return outcomes(user=leader, budget_year=budget_year)

    with CaptureQueriesContext(connection) as captured:
        found = ours()
    statements = [q["sql"] for q in captured.captured_queries]

    def floor():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    def median_aggregate():  # the peer of the median read off the index: PostgreSQL's aggregate, which sorts them all
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT due_month, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY turnover) FROM monitoring_visit"
                " WHERE status = 'valid' AND budget_year_id = %s AND due_month = ANY(%s) GROUP BY 1",
                [budget_year.pk, budget_year.months],
            )
            return dict(cursor.fetchall())

    median_sql = [sql for sql in statements if '"turnover"' in sql and "UNION" in sql.upper()]

    def median_ours():
        with connection.cursor() as cursor:
            for sql in median_sql:
                cursor.execute(sql)
                cursor.fetchall()

    assert {m.month: m.median_turnover for m in found.months if m.visits} == median_aggregate()

    def workbook():
        writer = ReportWriter("Rekapitulasi Monitoring dan Graduasi", MONITORING_RECAP_COLUMNS, filters=[])
        for row in monitoring_recap_rows(ours()):
            writer.append(row)
        writer.save(io.BytesIO())

    client = Client()
    client.force_login(leader)

    def page():
        response = client.get("/dasbor/", {"tahun": YEAR})
        assert response.status_code == 200

    page()
    figures = {
        "outcomes (ours)": timed(ours),
        "same SQL on the cursor (floor)": timed(floor),
        "  of which the medians, off the index": timed(median_ours),
        "  medians by aggregate, sorting (peer)": timed(median_aggregate),
        "recap workbook (outcomes + xlsx)": timed(workbook),
        "whole dashboard page": timed(page, runs=5),
    }
    print(f"\n{recipients:,} recipients, {visits:,} visits ({visits / max(recipients, 1):.2f} each), "
          f"PostgreSQL {connection.pg_version // 10000}\n")  # fmt: skip
    print(f"outcomes: {len(statements)} queries (two of them the user's role and regencies)")
    for name, ms in figures.items():
        print(f"  {name:<36} {ms:8.1f} ms (median of {RUNS})")
    print(f"\noverdue {found.overdue_total:,}, done {found.done_total:,}, goods kept {found.goods_kept_percent}%, "
          f"median turnover at 12 months {found.months[-1].median_turnover}")  # fmt: skip


if __name__ == "__main__":
    main()
