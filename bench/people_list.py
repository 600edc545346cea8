"""People list at 10k / 100k / 1M rows: our page vs the Django admin changelist, with the raw SQL floor.

Server time = the whole request in-process (middleware, queries, template), as a load balancer would
see it minus the network. Medians of --repeat runs after one warm-up.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"


def ensure_database():
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    ensure_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create
    from beneficiaries import synthetic
    from beneficiaries.models import Person
    from beneficiaries.selectors import people_visible_to, person_list
    from core.pagination import keyset_page

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="bench-admin").exists():
        admin = user_create(username="bench-admin", password="x-bench-12345", role=Role.ADMIN_PROVINSI)
        admin.is_staff = admin.is_superuser = True
        admin.save()
    admin = User.objects.get(username="bench-admin")

    client = Client()
    client.force_login(admin)
    client.get("/")

    def timed(url):
        client.get(url)  # warm-up
        times, statuses = [], set()
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert statuses == {200}, (url, statuses)
        return statistics.median(times), len(queries)

    def floor(filters):
        """The page's own two queries (keys, then rows), without the request and the template."""
        queryset = people_visible_to(admin).filter(**filters)
        keyset_page(queryset, order=("full_name", "id"), rows=person_list)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            keyset_page(queryset, order=("full_name", "id"), rows=person_list)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    cases = [
        ("unfiltered", "/penduduk/", "/admin/beneficiaries/person/", {}),
        (
            "one regency",
            "/penduduk/?regency=64.72",
            "/admin/beneficiaries/person/?regency__code__exact=64.72",
            {"regency": "64.72"},
        ),
        (
            "name search 'siti'",
            "/penduduk/?q=siti",
            "/admin/beneficiaries/person/?q=siti",
            {"full_name__icontains": "siti"},
        ),
    ]
    # The admin does not filter on merged_into IS NULL, so our partial list indexes cannot serve its
    # ORDER BY: give the peer full indexes of its own for a fair comparison (dropped at the end).
    peer_indexes = {
        "bench_admin_name_idx": "(full_name, id)",
        "bench_admin_regency_idx": "(regency_id, full_name, id)",
    }
    print(f"PostgreSQL {connection.pg_version}; medians of {args.repeat}; times in ms (server, in-process)")
    print("peer: Django admin changelist of Person (list_filter regency/sex/desil, search full_name), with full")
    print("      (full_name, id) and (regency, full_name, id) indexes of its own and the trigram index")
    for size in sorted(args.sizes):
        have = Person.objects.count()
        if have < size:
            started = time.perf_counter()
            synthetic.insert(size - have, seed=size)
            seconds = time.perf_counter() - started
            print(f"\nseed_synthetic: {size - have:,} people in {seconds:.1f} s ({(size - have) / seconds:,.0f}/s)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE beneficiaries_person") if False else cursor.execute(
                "ANALYZE beneficiaries_person"
            )
        with connection.cursor() as cursor:
            for name, columns in peer_indexes.items():
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON beneficiaries_person {columns}")
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "ANALYZE beneficiaries_person"], check=True)
        total = Person.objects.count()
        print(f"\n== {total:,} people")
        print(f"{'case':<22}{'ours':>9}{'queries':>9}{'admin':>9}{'queries':>9}{'ratio':>8}{'floor':>9}")
        for name, ours_url, admin_url, filters in cases:
            ours, ours_q = timed(ours_url)
            peer, peer_q = timed(admin_url)
            print(f"{name:<22}{ours:>9.1f}{ours_q:>9}{peer:>9.1f}{peer_q:>9}{peer / ours:>7.1f}x{floor(filters):>9.1f}")
        # The person page (target: at most 25 ms, flat): a recipient with her history, and someone never proposed,
        # beside the unfiltered list above.
        recipient = Person.objects.filter(proposal_items__isnull=False).order_by("-pk").first()
        never = Person.objects.filter(proposal_items__isnull=True).order_by("pk").first()
        for name, person in (("person page, recipient", recipient), ("person page, never proposed", never)):
            if person is not None:
                ours, ours_q = timed(f"/penduduk/{person.pk}/")
                print(f"{name:<22}{ours:>9.1f}{ours_q:>9}")
        reset_queries()
    with connection.cursor() as cursor:
        for name in peer_indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


if __name__ == "__main__":
    main()
