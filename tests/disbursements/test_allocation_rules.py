"""disbursements.services.allocations_create refuses what it must, with the reason, and records who did what."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from disbursements.models import Allocation
from disbursements.services import allocations_create, package_lines
from tests.factories import (
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    GoodsItemFactory,
    PackageFactory,
    ProposalFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db


def _refused(**kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        allocations_create(actor=None, **kwargs)
    assert not Allocation.objects.exists()
    return error.value.messages


@pytest.fixture
def item():
    CeilingFactory(amount=Decimal("100000000"))
    return ApprovedItemFactory()


@pytest.mark.parametrize("quantity", [0, -1])
def test_zero_or_negative_quantities_are_refused(item, quantity):
    lines = [(GoodsItemFactory(), quantity)]
    assert _refused(item_ids=[item.pk], lines=lines) == ["Jumlah barang harus lebih dari 0."]


def test_an_allocation_with_no_goods_or_no_recipient_is_refused(item):
    assert _refused(item_ids=[item.pk], lines=[]) == ["Pilih paket bantuan atau paling sedikit satu barang."]
    assert _refused(item_ids=[], lines=[(GoodsItemFactory(), 1)]) == ["Pilih paling sedikit satu penerima."]


def test_recipients_not_found_are_refused(item):
    messages = _refused(item_ids=[item.pk, 999_999], lines=package_lines(PackageFactory()))
    assert messages == ["Sebagian penerima tidak ditemukan."]


def test_recipients_of_different_budget_years_are_refused_in_one_run(item):
    later = ApprovedItemFactory(proposal=ProposalFactory(budget_year=BudgetYearFactory(year=2025)))
    messages = _refused(item_ids=[item.pk, later.pk], lines=package_lines(PackageFactory()))
    assert "Semua penerima satu alokasi harus dari tahun anggaran yang sama." in messages


def test_the_audit_event_names_the_actor_and_the_allocation(item):
    verifier = VerifikatorFactory()
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=verifier)
    event = AuditEvent.objects.get(action="allocation.create")
    assert event.actor == verifier and event.object_id == str(allocation.pk) and event.regency_id == "64.72"
    assert Decimal(str(event.after["total"])) == Decimal("4000000")
