from decimal import Decimal

import pytest
from django.urls import reverse

from disbursements.services import allocations_create, package_lines
from reports.selectors import journey as pipeline
from tests.factories import (
    ApprovedItemFactory,
    CeilingFactory,
    OperatorFactory,
    PackageFactory,
    ProposalItemFactory,
    TrainingSessionFactory,
)
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db


def test_each_recipient_shows_how_far_it_came(client, django_assert_max_num_queries):
    CeilingFactory(amount=Decimal("100000000"))
    proposed = ProposalItemFactory()
    approved, allocated, trained, delivered = ApprovedItemFactory.create_batch(4)
    package = PackageFactory()
    allocations_create(item_ids=[allocated.pk, trained.pk, delivered.pk], lines=package_lines(package), actor=None)
    session = TrainingSessionFactory()
    for attendance in participants_invite(session=session, item_ids=[trained.pk, delivered.pk], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    _handover(delivered.allocations.get())
    items = [proposed, approved, allocated, trained, delivered]
    with django_assert_max_num_queries(5):
        steps = pipeline(items)
    assert [steps[item.pk] for item in items] == [1, 2, 3, 4, 5]

    client.force_login(OperatorFactory())
    page = client.get(delivered.person.get_absolute_url()).content.decode()
    assert page.count("text-bg-success") >= 5 and "Diserahkan" in page
    group_page = client.get(reverse("beneficiaries:person_detail", args=[approved.person.pk])).content.decode()
    assert "Dialokasikan" in group_page
