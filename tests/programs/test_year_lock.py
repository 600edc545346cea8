"""A closed budget year is read-only, and the check holds under concurrency without making the year a bottleneck
(PostgreSQL, real threads): a write holds the year open with a share lock until it commits, so closing the year waits
for it and a write after the close is refused — while two regencies' writes of the same year, and new rows that refer
to the year, never wait for one another (they did while a write locked the year's row FOR UPDATE)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from disbursements.services import allocation_void, allocations_create, package_lines
from programs.models import BudgetYear
from programs.services import budget_year_update
from regions.models import Regency
from tests.factories import (
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    PackageFactory,
    TrainingSessionFactory,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _allocation(regency_code):
    regency = Regency.objects.get(code=regency_code)
    CeilingFactory(regency=regency)
    item = ApprovedItemFactory(proposal__regency=regency)
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=None)
    return allocation


def _within(seconds, work):
    """`work` in a transaction that gives up after `seconds` waiting for a lock (OperationalError)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{seconds}s'")
        return work()


def test_a_write_holds_the_year_open_without_holding_up_the_other_writers():
    year = BudgetYearFactory(year=2024)
    samarinda, balikpapan, third = _allocation("64.72"), _allocation("64.71"), _allocation("64.72")
    holding, release, failures = threading.Event(), threading.Event(), []

    def void_and_wait():  # Samarinda's officer voids an allocation; the transaction stays open meanwhile
        try:
            with transaction.atomic():
                allocation_void(allocation=samarinda, reason="Salah penerima", actor=None)
                holding.set()
                release.wait(30)
        except Exception as error:  # noqa: BLE001 — reported below
            failures.append(repr(error))
            holding.set()
        finally:
            connection.close()

    writer = threading.Thread(target=void_and_wait)
    writer.start()
    try:
        assert holding.wait(30) and failures == []
        done = {}

        def attempt(name, seconds, work):
            try:
                done[name] = _within(seconds, work)
            except OperationalError as error:  # waited longer than `seconds` for a lock
                done[name] = str(error)

        def meanwhile():
            try:
                # Balikpapan's officer voids one of theirs, a new Bimtek session of the year is recorded …
                attempt("void", 3, lambda: allocation_void(allocation=balikpapan, reason="Ganda", actor=None))
                attempt("session", 3, lambda: TrainingSessionFactory(budget_year=year))
                # … and somebody closes the year
                attempt("close", 1, lambda: budget_year_update(budget_year=year, data={"status": "closed"}, actor=None))
            finally:
                connection.close()

        other = threading.Thread(target=meanwhile)
        other.start()
        other.join()
        assert getattr(done["void"], "status", done["void"]) == "void"  # did not wait for Samarinda's write
        assert getattr(done["session"], "pk", done["session"])  # nor did the new session
        assert "lock timeout" in str(done["close"])  # the close waits for it
    finally:
        release.set()
        writer.join()
    assert failures == []

    budget_year_update(budget_year=year, data={"status": "closed"}, actor=None)  # free now
    with pytest.raises(ValidationError, match="sudah ditutup"):
        allocation_void(allocation=third, reason="Terlambat", actor=None)  # a write after the close sees it
    assert BudgetYear.objects.get(pk=year.pk).status == "closed"
