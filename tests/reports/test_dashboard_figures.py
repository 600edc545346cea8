"""The head's dashboard: money against each regency's own ceiling, the funnel against the target, idle regencies,
and realisation month by month."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disbursements.models import Allocation
from disbursements.services import allocations_create, package_lines
from reports.selectors import recap
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
    months = recap(user=pimpinan, budget_year=budget_year).by_month()
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


def test_once_every_allocated_recipient_is_delivered_the_recap_reads_no_item(two_deliveries):
    """The funnel is counted on the item counts the triggers keep, the allocations and the BASTs: no query walks the
    year's items (100,000 of them at the end of a season) unless some allocated recipient is still waiting for the
    goods — then only to apply the Bimtek rule to those."""
    pimpinan, budget_year = PimpinanFactory(), two_deliveries[0].proposal.budget_year
    with CaptureQueriesContext(connection) as queries:
        total = recap(user=pimpinan, budget_year=budget_year).total()
    assert total.counts == {"proposed": 2, "approved": 2, "allocated": 2, "trained": 2, "delivered": 2}
    assert not [q for q in queries if "proposals_proposalitem" in q["sql"]]

    waiting = ApprovedItemFactory()  # allocated, Bimtek attended, not handed over yet
    session = TrainingSessionFactory()
    for attendance in participants_invite(session=session, item_ids=[waiting.pk], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    allocations_create(item_ids=[waiting.pk], lines=package_lines(PackageFactory()), actor=None)
    ApprovedItemFactory()  # approved only
    total = recap(user=pimpinan, budget_year=budget_year).total()
    assert total.counts == {"proposed": 4, "approved": 4, "allocated": 3, "trained": 3, "delivered": 2}
