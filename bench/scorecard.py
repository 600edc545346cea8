"""The data-quality scorecard (issue 34) of the whole province, counted afresh, at 100,000 recipients of budget year
2097 (bench/worklists.py or bench/monitoring.py) and the registry behind them (1,000,000 people with
bench/people_list.py), beside the recap of the same data (reports.selectors.recap: the dashboard's peer) and the
floor: the same grouped statements run on the cursor without the Python around them. Each measure's own statements
timed too, so the slowest is named. Medians of 7 after a warm-up; fresh statistics first.

    .venv/bin/python bench/scorecard.py
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"
YEAR = 2097

from bench.monitoring import print_timings, statements_of, timed  # noqa: E402


def main():
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from beneficiaries.models import Person
    from programs.models import BudgetYear
    from proposals.models import ProposalItem
    from quality.selectors import scorecard, thresholds_for
    from reports.selectors import recap

    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "SET client_min_messages = error; ANALYZE"], check=True)
    budget_year = BudgetYear.objects.get(year=YEAR)
    user = User.objects.filter(groups__name="Pimpinan").first() or User.objects.get(username="bench.admin")
    thresholds_for(budget_year)
    print(f"budget year {YEAR}: {ProposalItem.objects.filter(proposal__budget_year=budget_year).count():,} "
          f"recipients, registry of {Person.objects.count():,} people; {user.username}")  # fmt: skip
    statements = statements_of(lambda: scorecard(user, budget_year))

    def floor():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    slowest = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            began = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            slowest.append(((time.perf_counter() - began) * 1000, " ".join(sql.split())[:110]))
    from django.core.cache import cache

    def cold():
        cache.clear()  # nothing kept from a run before (the page keeps the scorecard a while otherwise)
        scorecard(user, budget_year)

    print_timings([
        ("scorecard, the province, counted afresh", timed(cold)),
        ("recap of the same year (peer)", timed(lambda: recap(user=user, budget_year=budget_year))),
        (f"floor: its {len(statements)} statements on the cursor", timed(floor)),
    ])  # fmt: skip
    print("slowest statements (one run):")
    for ms, sql in sorted(slowest, reverse=True)[:5]:
        print(f"  {ms:7.1f} ms  {sql}")


if __name__ == "__main__":
    main()
