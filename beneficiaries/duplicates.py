"""The possible-duplicates scan: the groups of current people who may be one person, found with two grouped
INSERT … SELECT statements over the whole registry (a few seconds at a million people) and kept as keys in
DuplicateGroup, so the review page reads them in milliseconds instead of grouping the registry on every visit.

Run nightly (Celery beat "beneficiaries.scan_duplicates", or `manage.py scan_duplicates` from cron), after a
synthetic load, and on demand from the page ("Periksa ulang sekarang", a background job). A person merged or
corrected since the scan drops out at once (the page reads the people afresh by the keys); a new duplicate waits
for the next scan — the page says when that was."""

import time
from decimal import Decimal

from django.db import connection, transaction

from beneficiaries.models import DuplicateGroup, DuplicateScan, Person


def _statements() -> list[str]:
    groups, people = DuplicateGroup._meta.db_table, Person._meta.db_table
    columns = "(rule, kk_number, name_key, birth_date, village_id)"
    kk, village = DuplicateGroup.Rule.KK.value, DuplicateGroup.Rule.VILLAGE.value
    return [
        f"INSERT INTO {groups} {columns} "
        f"SELECT '{kk}', kk_number, name_key, birth_date, NULL FROM {people} "
        "WHERE merged_into_id IS NULL GROUP BY kk_number, name_key, birth_date HAVING COUNT(*) > 1",
        f"INSERT INTO {groups} {columns} "
        f"SELECT '{village}', '', name_key, NULL, village_id FROM {people} "
        "WHERE merged_into_id IS NULL GROUP BY village_id, name_key HAVING COUNT(*) > 1",
    ]


def scan(*, actor=None, progress=None) -> DuplicateScan:
    """Find every group again (all or nothing: the page keeps the last scan's groups until this one is whole)."""
    started = time.monotonic()
    statements = _statements()
    with transaction.atomic():
        DuplicateGroup.objects.all().delete()
        with connection.cursor() as cursor:
            for done, statement in enumerate(statements, 1):
                cursor.execute(statement)
                if progress is not None:
                    progress(done, len(statements))
        return DuplicateScan.objects.create(
            groups=DuplicateGroup.objects.count(),
            seconds=Decimal(f"{time.monotonic() - started:.2f}"),
            started_by=actor if actor is not None and actor.is_authenticated else None,
        )


def last_scan() -> DuplicateScan | None:
    return DuplicateScan.objects.order_by("-finished_at").first()
