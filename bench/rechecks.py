"""The quarterly re-check (issue 32) at 100,000 recipients of an open year and a province-wide DTSEN extract of every
resident, two quarters of it: the worklist page as Samarinda's officer opens it (about 21,000 recipients of hers; 3 %
rose above the ceiling, 1 % left the register), as Admin Provinsi asks for Samarinda, and the dashboard's share of
recipients checked against the current period — beside the floor, a minimal logged-in view, in the same run, on fresh
statistics. Production settings.

    .venv/bin/python bench/rechecks.py

Needs bench/worklists.py's year 2097 in kube_bench (DATABASE_URL to override). The two snapshots it imports are
removed afterwards.
"""

import datetime
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from worklists import RUNS, timed  # noqa: E402 — the same settings and timing as the worklists' bench

YEAR = 2097
REGISTER = 1_000_000


def _niks(count: int, known: set[str]):
    """`count` valid Kaltim NIKs that are not in `known`."""
    from beneficiaries.identity import make_nik

    districts = ["647101", "647203", "640201", "640301", "640701", "647401"]
    made, serial = 0, 5000
    start = datetime.date(1950, 1, 1)
    while made < count:
        for n, district in enumerate(districts):
            born = start + datetime.timedelta(days=(serial * 7 + n) % 20000)
            nik = make_nik(district, born, "P" if serial % 2 else "L", serial % 9000 + 1000)
            if nik not in known:
                known.add(nik)
                made += 1
                yield nik
                if made == count:
                    return
        serial += 1


def extract(rows) -> bytes:
    return ("NIK;Nama;Desil\n" + "".join(f"{nik};{name};{desil}\n" for nik, name, desil in rows)).encode()


def _import(admin, people, filler, recipients) -> None:
    from dtsen.services import import_snapshot

    began = time.perf_counter()
    before = [(nik, name, 1 + pk % 4) for pk, nik, name in people + filler]
    import_snapshot(user=admin, data=extract(before), file_name="q3.csv", period=datetime.date(2096, 7, 1),
                    source="bench.rechecks")  # fmt: skip
    now = [(nik, name, 7 if pk in recipients and pk % 100 < 3 else desil)
           for (pk, _, _), (nik, name, desil) in zip(people + filler, before, strict=True)
           if not (pk in recipients and pk % 100 == 3)]  # fmt: skip
    import_snapshot(user=admin, data=extract(now), file_name="q4.csv", period=datetime.date(2096, 10, 1),
                    source="bench.rechecks")  # fmt: skip
    print(f"two snapshots of {len(before):,} and {len(now):,} rows imported in {time.perf_counter() - began:.0f} s")


def main():
    keep = "--keep" in sys.argv  # keep the snapshots (to look at the plans); a later run uses them
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from beneficiaries.models import Person
    from disbursements.models import Allocation
    from dtsen.models import Snapshot
    from programs.models import BudgetYear
    from rechecks.selectors import checked_share
    from rechecks.selectors import worklist as rechecks_worklist

    budget_year = BudgetYear.objects.get(year=YEAR)
    BudgetYear.objects.exclude(year=YEAR).filter(status="open").update(status="planning")
    BudgetYear.objects.filter(year=YEAR).update(status="open")
    admin = User.objects.get(username="bench.admin")
    operator = User.objects.get(username="bench.operator.64.72")
    recipients = set(
        Allocation.objects.active().filter(budget_year=budget_year).values_list("item__person_id", flat=True)
    )
    people = list(Person.objects.values_list("pk", "nik", "full_name"))
    if Snapshot.objects.filter(source="bench.rechecks", status=Snapshot.Status.READY).count() != 2:
        Snapshot.objects.filter(source="bench.rechecks").delete()
        # The province's register is about a million people: the registry's, and as many more as it takes.
        known = {nik for _, nik, _ in people}
        filler = [(-n, nik, f"Warga {n}") for n, nik in enumerate(_niks(REGISTER - len(people), known), 1)]
        _import(admin, people, filler, recipients)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    clients = {}
    for who in (admin, operator):
        clients[who.username] = Client()
        clients[who.username].force_login(who)

    def page(who, path, **query):
        def get():
            response = clients[who.username].get(path, query, secure=True)
            assert response.status_code == 200, (path, response.status_code)

        return get

    codes = list(budget_year.ceilings.values_list("regency", flat=True).distinct()) or ["64.72"]
    worklist = rechecks_worklist("64.72")
    url = "/dtsen/verifikasi-lapangan/"

    def afresh(function):
        def run():
            cache.clear()  # the verdicts counted again, as after a new snapshot or allocation
            function()

        return run

    share = f"/dasbor/dtsen/?tahun={YEAR}"
    figures = [
        ("minimal logged-in view (floor)", timed(page(operator, "/pemberitahuan/jumlah/"))),
        (f"worklist, operator ({worklist.counts['total']:,} to check)", timed(page(operator, url))),
        ("worklist, operator, every state, page 10", timed(page(operator, url, status="semua", page=10))),
        ("worklist, Admin Provinsi, 64.72", timed(page(admin, url, kabupaten="64.72"))),
        ("worklist, operator, verdicts counted afresh", timed(afresh(page(operator, url)))),
        ("dashboard DTSEN section, province, kept copy", timed(page(admin, share))),
        ("dashboard DTSEN section, province, counted afresh", timed(afresh(page(admin, share)))),
        ("  of which checked_share", timed(lambda: checked_share(budget_year=budget_year, regency_codes=codes))),
    ]
    print(f"\n{len(recipients):,} recipients in {YEAR}, PostgreSQL {connection.pg_version // 10000}, production "
          f"settings, medians of {RUNS}")  # fmt: skip
    width = max(len(name) for name, _ in figures) + 2
    for name, ms in figures:
        print(f"{name:<{width}}{ms:>8.1f} ms")
    if not keep:
        Snapshot.objects.filter(source="bench.rechecks").delete()


if __name__ == "__main__":
    main()
