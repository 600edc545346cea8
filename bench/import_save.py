"""Where the save of a 10,000-row import spends its time, for the province's decision on the 1.5 s target: the
preview's check and the save (`upload_check`, `upload_commit`) run in process, committed into the scratch year of
`import_http.py` and removed afterwards, as built and in two variants that are experiments only, never the app:

- "checks at each COPY": the deferred foreign keys checked at the end of each COPY (`SET CONSTRAINTS ALL
  IMMEDIATE`) instead of all at COMMIT, where Python has nothing left to do;
- "no event per row": without the audit event of each new person and item (`audit_record_rows` a no-op): what
  one event per import instead of one per row would save (UU 27/2022's record of who changed whom is the price).

The variants alternate run by run, so a noisy hour touches them alike; COMMIT is timed on its own.

    .venv/bin/python bench/import_save.py [--rows 10000] [--repeat 3]

Needs PostgreSQL (kube_bench with people: bench/people_list.py or bench/worklists.py) and Redis on 127.0.0.1.
"""

import argparse
import contextlib
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The environment of import_http.py (the same database, production settings, Redis, media), set as it is imported.
from bench.import_http import existing_women, remove_scratch, scratch_year  # noqa: E402


@contextlib.contextmanager
def immediate_checks():
    from django.db import connection

    import proposals.imports as imports

    original = imports.import_lock

    def lock_then_immediate():
        original()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    imports.import_lock = lock_then_immediate
    try:
        yield
    finally:
        imports.import_lock = original


@contextlib.contextmanager
def no_row_events():
    import proposals.imports.writing as writing

    original = writing.audit_record_rows
    writing.audit_record_rows = lambda **kwargs: 0
    try:
        yield
    finally:
        writing.audit_record_rows = original


@contextlib.contextmanager
def commit_timed(seconds: list):
    from django.db.backends.base.base import BaseDatabaseWrapper

    original = BaseDatabaseWrapper._commit

    def _commit(self):
        began = time.perf_counter()
        try:
            return original(self)
        finally:
            seconds.append(time.perf_counter() - began)

    BaseDatabaseWrapper._commit = _commit
    try:
        yield
    finally:
        BaseDatabaseWrapper._commit = original


VARIANTS = {"as built": contextlib.nullcontext, "checks at each COPY": immediate_checks,
            "no event per row": no_row_events}  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Max

    from accounts.models import User
    from bench.import_proposals import workbook
    from beneficiaries.models import Person
    from programs.models import BudgetYear
    from proposals.imports import upload_check, upload_commit
    from regions.models import Regency

    regency = Regency.objects.get(code="64.72")
    user, _ = User.objects.get_or_create(username="bench.import.operator", defaults={"regency": regency})
    existing = existing_women(regency)
    data = workbook(args.rows, existing)
    gc.freeze()  # as the Celery worker does once the app is loaded (kubeprogram/celery.py)
    opened = list(BudgetYear.objects.filter(status=BudgetYear.Status.OPEN).values_list("pk", flat=True))
    runs = {name: [] for name in VARIANTS}
    try:
        for round_ in range(args.repeat + 1):  # the first round warms the process up and is not counted
            for name, variant in VARIANTS.items():
                people_before = Person.objects.aggregate(last=Max("pk"))["last"]
                commits: list = []
                try:
                    proposal = scratch_year(regency)
                    began = time.perf_counter()
                    upload = upload_check(proposal=proposal, data=data, filename="bench.xlsx", actor=user)
                    checked = time.perf_counter()
                    with variant(), commit_timed(commits):
                        upload_commit(upload=upload, actor=user)
                    saved = time.perf_counter()
                finally:
                    remove_scratch(people_before, user)
                if round_:
                    runs[name].append((checked - began, saved - checked, commits[-1]))
    finally:
        BudgetYear.objects.filter(pk__in=opened).update(status=BudgetYear.Status.OPEN)
    print(f"{args.rows:,} rows in process, committed; registry {Person.objects.count():,} people; medians of "
          f"{args.repeat}, the variants alternating")  # fmt: skip
    print(f"{'':<22}{'check s':>9}{'save s':>9}{'save, fastest–slowest':>24}{'of which COMMIT s':>19}")
    for name, times in runs.items():
        check, save, commit = (statistics.median(t[i] for t in times) for i in range(3))
        spread = f"{min(t[1] for t in times):.2f}–{max(t[1] for t in times):.2f}"
        print(f"{name:<22}{check:>9.2f}{save:>9.2f}{spread:>24}{commit:>19.3f}")


if __name__ == "__main__":
    main()
