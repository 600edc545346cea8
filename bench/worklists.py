"""The monitoring and field worklists (issue 31) at 10,000 and 100,000 delivered recipients × 3 scheduled visits,
under the production settings, on fresh statistics: the pages as each role opens them, beside the floor — a
minimal logged-in view (the unread count) and the worklist page's own SQL run straight on the cursor — from the
same run. "Today" is mid-season of the synthetic year (its BASTs are dated August–December), so the due and overdue
lists are full.

    .venv/bin/python bench/worklists.py [--sizes 10000 100000]

Uses kube_bench (DATABASE_URL to override): people from seed_synthetic, recipients and visits from seed_monitoring
(budget years 2095 for 10,000 and 2097 for 100,000), created once and kept.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.production"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_ROOT", "/tmp/kube-bench-static")  # the production settings serve hashed static files
YEARS = {10_000: 2095, 100_000: 2097}
RUNS = 9


def timed(function, runs=RUNS) -> float:
    function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def seed(year: int, count: int) -> None:
    from beneficiaries import synthetic as people
    from beneficiaries.models import Person
    from disbursements.models import Handover
    from monitoring import synthetic

    need = count - Handover.objects.filter(budget_year__year=year).count()
    if need <= 0:
        return
    spare = Person.objects.count() - Handover.objects.count()
    if spare < need:
        print(f"seed_synthetic: {need - spare:,} people …", flush=True)
        people.insert(need - spare + 1000, seed=year)
    print(f"seed_monitoring {year}: {need:,} recipients …", flush=True)
    synthetic.insert(year=year, count=need, seed=year)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    for size in args.sizes:
        seed(YEARS[size], size)
    # The year benched is the open one the field page takes (budget_year_current): the others are closed meanwhile.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def user(username, role, regency=None):
        return User.objects.filter(username=username).first() or user_create(
            username=username, password="bench-pass-2097", role=role, regency=regency
        )

    admin = user("bench.admin", Role.ADMIN_PROVINSI)
    regency = "64.72"  # Kota Samarinda, the largest: about a fifth of the recipients
    from regions.models import Regency

    operator = user(f"bench.operator.{regency}", Role.OPERATOR, Regency.objects.get(code=regency))
    for size in args.sizes:
        bench(size, admin, operator, regency)


def bench(size: int, admin, operator, regency: str) -> None:
    """The pages of one size of registry, beside their floors."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from disbursements.models import Handover
    from programs.models import BudgetYear

    year = YEARS[size]
    BudgetYear.objects.exclude(year=year).filter(status="open").update(status="planning")
    BudgetYear.objects.filter(year=year).update(status="open")
    today = datetime.date(year + 1, 2, 20)  # mid-season: the 3- and 6-month visits due or overdue
    timezone.localdate = lambda *a, **k: today  # the pages' "today"
    recipients = Handover.objects.filter(budget_year__year=year).count()
    mine = Handover.objects.filter(budget_year__year=year, regency_id=regency).count()
    clients = {}
    for who in (admin, operator):
        clients[who.username] = Client()
        clients[who.username].force_login(who)

    def page(who, path, **query):
        def get():
            response = clients[who.username].get(path, {"tahun": year, **query}, secure=True)
            assert response.status_code == 200, (path, response.status_code)

        return get

    worklist_sql = []

    def capture():
        with CaptureQueriesContext(connection) as captured:
            page(operator, "/monev/")()
        worklist_sql.extend(q["sql"] for q in captured.captured_queries if "CROSS JOIN" in q["sql"])

    capture()

    def floor_sql():
        with connection.cursor() as cursor:
            for sql in worklist_sql:
                cursor.execute(sql)
                cursor.fetchall()

    figures = [
        ("minimal logged-in view (floor)", timed(page(operator, "/pemberitahuan/jumlah/"))),
        ("the worklist page's own SQL on the cursor (floor)", timed(floor_sql)),
        (f"/monev/ operator ({mine:,} recipients), due + overdue", timed(page(operator, "/monev/"))),
        ("/monev/ operator, every state", timed(page(operator, "/monev/", status="semua"))),
        ("/monev/ operator, by date, page 20", timed(page(operator, "/monev/", urut="tanggal", page=20))),
        (f"/monev/ Admin Provinsi, {regency}", timed(page(admin, "/monev/", kabupaten=regency))),
        ("/monev/ Admin Provinsi, the province (summary)", timed(page(admin, "/monev/"))),
        ("/lapangan/ operator", timed(page(operator, "/lapangan/"))),
        ("/lapangan/ Admin Provinsi", timed(page(admin, "/lapangan/"))),
    ]
    print(f"\n{recipients:,} recipients in {year} (today {today:%d/%m/%Y}), PostgreSQL "
          f"{connection.pg_version // 10000}, production settings, medians of {RUNS}")  # fmt: skip
    width = max(len(name) for name, _ in figures) + 2
    for name, ms in figures:
        print(f"{name:<{width}}{ms:>8.1f} ms")


if __name__ == "__main__":
    main()
