"""Generating 1,000,000 synthetic people on PostgreSQL: `seed_synthetic` against the same rows written
the plain way (COPY in 100k chunks into the table with its indexes, one connection) and the floor (the
same COPY into a bare table without indexes or constraints). Each run starts from an empty database.

    .venv/bin/python bench/seed_people.py --people 1000000 [--bulk-create]
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE = os.environ.get("BENCH_PG", "postgres://kube:kube@127.0.0.1:5432")
DB = "kube_seed_bench"
os.environ["DATABASE_URL"] = f"{BASE}/{DB}"
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"


# The cascade empties the proposal items too; their counts (kept by triggers, which TRUNCATE skips) go with them.
TRUNCATE = "TRUNCATE beneficiaries_person, proposals_itemcount CASCADE"


def fresh_database():
    subprocess.run(["psql", f"{BASE}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", f"{BASE}/postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--bulk-create", action="store_true", help="also time bulk_create in batches of 10k")
    args = parser.parse_args()

    fresh_database()
    import django

    django.setup()
    from django.db import connection, transaction

    from beneficiaries import synthetic
    from beneficiaries.models import Person

    started = time.perf_counter()
    synthetic.insert(args.people, seed=1)
    ours = time.perf_counter() - started
    assert Person.objects.count() == args.people
    print(f"seed_synthetic (ours): {args.people:,} people in {ours:.1f} s")

    rows = list(synthetic.generate(args.people, seed=2))  # generated once, outside the timings below
    texts = [synthetic._copy_text(rows[i : i + 100_000]).getvalue() for i in range(0, len(rows), 100_000)]
    columns = ", ".join(synthetic.COLUMNS)

    def copy_into(table):
        import io

        started = time.perf_counter()
        for text in texts:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))
        return time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute(TRUNCATE)
    peer = copy_into("beneficiaries_person")
    print(f"peer: plain COPY in 100k chunks, indexes in place (rows pre-generated): {peer:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE bare_person AS SELECT * FROM beneficiaries_person WITH NO DATA")
    floor = copy_into("bare_person")
    print(f"floor: the same COPY into a bare table (no indexes, no constraints): {floor:.1f} s")
    if args.bulk_create:
        with connection.cursor() as cursor:
            cursor.execute(TRUNCATE)
        started = time.perf_counter()
        for i in range(0, len(rows), 10_000):
            batch = [Person(**dict(zip(synthetic.COLUMNS, row, strict=True))) for row in rows[i : i + 10_000]]
            with transaction.atomic():
                Person.objects.bulk_create(batch)
        print(f"peer: bulk_create in batches of 10k: {time.perf_counter() - started:.1f} s")
    print(f"ours / plain COPY: {ours / peer:.2f}   (target: ours <= 60 s)")


if __name__ == "__main__":
    main()
