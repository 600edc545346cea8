"""The head's dashboard: money against each regency's own ceiling, the funnel against the target, idle regencies,
and realisation month by month."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from disbursements.models import Allocation
from disbursements.services import allocations_create, package_lines
from reports.selectors import realisation_by_month, recap
from tests.factories import (
    ApprovedItemFactory,
    CeilingFactory,
    PackageFactory,
    PimpinanFactory,
    TrainingSessionFactory,
)
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_deliveries(balikpapan):
    """Samarinda: target 742, Rp40.000.000, two women delivered in July and August 2024. Balikpapan: a ceiling and
    nothing proposed."""
    CeilingFactory(target_count=742, amount=Decimal("40000000"))
    CeilingFactory(regency=balikpapan, target_count=120, amount=Decimal("10000000"))
    items = ApprovedItemFactory.create_batch(2)
    session = TrainingSessionFactory()
    for attendance in participants_invite(session=session, item_ids=[i.pk for i in items], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    allocations = allocations_create(item_ids=[i.pk for i in items], lines=package_lines(PackageFactory()), actor=None)
    Allocation.objects.update(created_at=datetime.datetime(2024, 7, 1, 1, tzinfo=datetime.UTC))
    for allocation, day in zip(allocations, [datetime.date(2024, 7, 20), datetime.date(2024, 8, 5)], strict=True):
        allocation.refresh_from_db()
        _handover(allocation, handed_over_on=day)
    return items


def test_realisation_month_by_month_with_the_running_share_of_the_ceilings(two_deliveries):
    pimpinan = PimpinanFactory()
    budget_year = two_deliveries[0].proposal.budget_year
    months = realisation_by_month(user=pimpinan, budget_year=budget_year)
    assert [(m["month"].month, m["value"], m["cumulative"], m["percent"]) for m in months] == [
        (7, Decimal("4000000"), Decimal("4000000"), 8.0),  # of Rp50.000.000 of ceilings
        (8, Decimal("4000000"), Decimal("8000000"), 16.0),
    ]


def test_the_dashboard_shows_the_target_idle_regencies_and_each_regencys_share(client, two_deliveries):
    client.force_login(PimpinanFactory())
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "2 dari 862</span> target penerima" in page  # 742 + 120
    assert "Juli 2024" in page and "Agustus 2024" in page
    line = next(line for line in recap(user=PimpinanFactory(), budget_year=two_deliveries[0].proposal.budget_year).lines
                if line.regency.code == "64.72" and line.program == "WRSE")  # fmt: skip
    assert line.committed_percent == 20.0 and line.absorption == 20.0
    assert 'data-testid="idle"' in page and "Balikpapan" in page.split('data-testid="idle"')[1].split("</ul>")[0]
    assert "dari pagu kabupaten/kota" in page
