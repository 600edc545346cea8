"""A closed budget year is read-only, and the check holds under concurrency without making the year a bottleneck
(PostgreSQL, real threads): a write holds the year open with a share lock until it commits, so closing the year waits
for it and a write after the close is refused — while two regencies' writes of the same year, and new rows that refer
to the year, never wait for one another (they did while a write locked the year's row FOR UPDATE)."""

import pytest
from django.core.exceptions import ValidationError

from disbursements.services import allocation_void, allocations_create, package_lines
from programs.models import BudgetYear
from programs.services import budget_year_update
from regions.models import Regency
from tests.concurrency import held_open, within
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


def test_a_write_holds_the_year_open_without_holding_up_the_other_writers():
    year = BudgetYearFactory(year=2024)
    samarinda, balikpapan, third = _allocation("64.72"), _allocation("64.71"), _allocation("64.72")

    # While Samarinda's officer voids an allocation (not yet committed) …
    with held_open(lambda: allocation_void(allocation=samarinda, reason="Salah penerima", actor=None)):
        # … Balikpapan's officer voids one of theirs, and a new Bimtek session of the year is recorded, at once …
        voided = within(3, lambda: allocation_void(allocation=balikpapan, reason="Ganda", actor=None))
        session = within(3, lambda: TrainingSessionFactory(budget_year=year))
        # … but closing the year waits for Samarinda's write
        close = within(1, lambda: budget_year_update(budget_year=year, data={"status": "closed"}, actor=None))
    assert getattr(voided, "status", voided) == "void"
    assert getattr(session, "pk", session)
    assert "lock timeout" in str(close)

    budget_year_update(budget_year=year, data={"status": "closed"}, actor=None)  # free now
    with pytest.raises(ValidationError, match="sudah ditutup"):
        allocation_void(allocation=third, reason="Terlambat", actor=None)  # a write after the close sees it
    assert BudgetYear.objects.get(pk=year.pk).status == "closed"
