"""The possible-duplicates page at the bench registry's size (1,000,000 people with bench/people_list.py): the page
reading the groups of the last scan (ours), beside what it did before on every visit — grouping the whole registry
by KK/name/birth date and by village/name (the peer) — and the floor: the page's own SQL on the cursor. Also the
scan itself (nightly, or on demand as a background job). Medians of 7 runs after a warm-up; fresh statistics.

    .venv/bin/python bench/people_list.py --sizes 1000000    # seeds the registry once (kube_bench)
    .venv/bin/python bench/duplicates.py
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


def main():
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from bench.monitoring import print_timings, statements_of, timed
    from beneficiaries import duplicates
    from beneficiaries.models import Person

    url = os.environ["DATABASE_URL"]
    subprocess.run(["psql", url, "-q", "-c", "SET client_min_messages = error", "-c", "VACUUM (ANALYZE)"], check=True)
    people = Person.objects.filter(merged_into__isnull=True).count()
    started = time.perf_counter()
    scan = duplicates.scan()
    scan_seconds = time.perf_counter() - started
    subprocess.run(["psql", url, "-qc", "ANALYZE beneficiaries_duplicategroup"], check=True)
    reviewer = User.objects.filter(groups__name="Verifikator Provinsi", is_active=True).first()
    reviewer = reviewer or User.objects.filter(groups__name="Admin Provinsi", is_active=True).first()
    client = Client()
    client.force_login(reviewer)

    statements = statements_of(lambda: client.get("/penduduk/duplikat/"))
    page_sql = [(s, p) for s, p in statements if "beneficiaries_duplicate" in s or "beneficiaries_person" in s]

    def floor():
        with connection.cursor() as cursor:
            for sql, params in page_sql:
                cursor.execute(sql, params)
                cursor.fetchall()

    current = Person.objects.filter(merged_into__isnull=True)

    def before():  # the page's grouping before the scan kept its groups (its two grouped queries, LIMIT 100)
        list(current.values("kk_number", "name_key", "birth_date").annotate(n=Count("id")).filter(n__gt=1)
             .order_by("kk_number")[:100])  # fmt: skip
        list(current.values("village", "name_key").annotate(n=Count("id")).filter(n__gt=1).order_by("village")[:100])

    print(f"{people:,} current people; the scan found {scan.groups:,} groups in {scan_seconds:.1f} s")
    results = [
        ("page, groups of the last scan (ours)", timed(lambda: client.get("/penduduk/duplikat/"))),
        ("grouping the registry per visit (before)", timed(before, runs=3)),
        ("floor: the page's own SQL, cursor", timed(floor)),
    ]
    print_timings(results)
    print(f"page queries: {len(statements)}")


if __name__ == "__main__":
    main()
