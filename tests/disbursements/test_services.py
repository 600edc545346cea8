from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from disbursements.models import Allocation
from disbursements.services import allocation_void, allocations_create, package_lines
from programs.models import BudgetYear, Ceiling
from programs.services import ceilings_set
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    PackageFactory,
    ProposalItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return AdminProvinsiFactory()


def test_allocating_a_package_commits_its_total_and_freezes_the_prices(admin):
    ceiling = CeilingFactory(amount=Decimal("10000000"))
    package = PackageFactory()  # Rp4.000.000
    items = ApprovedItemFactory.create_batch(2)
    allocations = allocations_create(
        item_ids=[i.pk for i in items], lines=package_lines(package), package=package, actor=admin
    )

    ceiling.refresh_from_db()
    assert ceiling.committed == Decimal("8000000") and ceiling.remaining == Decimal("2000000")
    assert [a.total for a in allocations] == [Decimal("4000000")] * 2
    goods = package.lines.first().goods
    goods.unit_price = Decimal("9999999")
    goods.save()
    line = allocations[0].lines.get(goods=goods)
    assert (line.unit_price, line.total) == (Decimal("2500000"), Decimal("2500000"))  # frozen
    events = AuditEvent.objects.filter(action="allocation.create")
    assert events.count() == 2 and events.first().after["total"] == 4000000


def test_an_allocation_beyond_the_remaining_ceiling_is_refused_whole(admin):
    ceiling = CeilingFactory(amount=Decimal("10000000"))
    package = PackageFactory()
    items = ApprovedItemFactory.create_batch(3)  # Rp12.000.000 > Rp10.000.000
    with pytest.raises(ValidationError) as refused:
        allocations_create(item_ids=[i.pk for i in items], lines=package_lines(package), package=package, actor=admin)
    assert refused.value.messages == [
        "Sisa pagu WRSE Kota Samarinda Rp10.000.000 tidak cukup untuk alokasi Rp12.000.000 (kurang Rp2.000.000)."
    ]
    ceiling.refresh_from_db()
    assert ceiling.committed == 0 and not Allocation.objects.exists()


def test_only_approved_unallocated_recipients_of_an_open_year_with_a_ceiling(admin):
    package = PackageFactory()
    lines = package_lines(package)
    pending = ProposalItemFactory()
    with pytest.raises(ValidationError, match="belum disetujui"):
        allocations_create(item_ids=[pending.pk], lines=lines, actor=admin)
    approved = ApprovedItemFactory()
    with pytest.raises(ValidationError, match="Pagu WRSE Kota Samarinda belum ditetapkan"):
        allocations_create(item_ids=[approved.pk], lines=lines, actor=admin)
    CeilingFactory()
    allocations_create(item_ids=[approved.pk], lines=lines, actor=admin)
    with pytest.raises(ValidationError, match="sudah memiliki alokasi"):  # the same form sent twice
        allocations_create(item_ids=[approved.pk], lines=lines, actor=admin)
    assert Allocation.objects.count() == 1
    kube_package = PackageFactory(program="KUBE")
    other = ApprovedItemFactory()
    with pytest.raises(ValidationError, match="untuk program KUBE"):
        allocations_create(item_ids=[other.pk], lines=lines, package=kube_package, actor=admin)
    BudgetYear.objects.filter(pk=other.proposal.budget_year_id).update(status=BudgetYear.Status.CLOSED)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        allocations_create(item_ids=[other.pk], lines=lines, actor=admin)


def test_voiding_returns_the_value_to_the_ceiling_and_keeps_the_row(admin):
    ceiling = CeilingFactory()
    package = PackageFactory()
    [allocation] = allocations_create(item_ids=[ApprovedItemFactory().pk], lines=package_lines(package), actor=admin)
    with pytest.raises(ValidationError, match="Alasan"):
        allocation_void(allocation=allocation, reason="  ", actor=admin)
    allocation_void(allocation=allocation, reason="Penerima meninggal dunia", actor=admin)
    ceiling.refresh_from_db()
    allocation.refresh_from_db()
    assert ceiling.committed == 0
    assert allocation.status == Allocation.Status.VOID and allocation.void_reason == "Penerima meninggal dunia"
    assert AuditEvent.objects.filter(action="allocation.void", object_id=str(allocation.pk)).exists()
    with pytest.raises(ValidationError, match="sudah dibatalkan"):
        allocation_void(allocation=allocation, reason="lagi", actor=admin)
    # The recipient may be allocated again after a void.
    allocations_create(item_ids=[allocation.item_id], lines=package_lines(package), actor=admin)


def test_ceilings_never_exceed_the_year_total_nor_fall_below_committed(admin):
    year = BudgetYearFactory(total_ceiling=Decimal("1000000000"))
    values = {("64.72", "WRSE"): (100, Decimal("600000000")), ("64.71", "WRSE"): (80, Decimal("500000000"))}
    with pytest.raises(ValidationError) as refused:
        ceilings_set(budget_year=year, values=values, actor=admin)
    assert "melebihi pagu Tahun Anggaran 2024 Rp1.000.000.000 (lebih Rp100.000.000)" in refused.value.messages[0]
    assert not Ceiling.objects.exists()
    values[("64.71", "WRSE")] = (80, Decimal("400000000"))
    assert ceilings_set(budget_year=year, values=values, actor=admin) == 2
    assert ceilings_set(budget_year=year, values=values, actor=admin) == 0  # nothing changed, nothing audited
    assert AuditEvent.objects.filter(action="ceiling.set").count() == 2
    package = PackageFactory()
    allocations_create(item_ids=[ApprovedItemFactory().pk], lines=package_lines(package), actor=admin)
    with pytest.raises(ValidationError, match="di bawah yang sudah dialokasikan \\(Rp4.000.000\\)"):
        ceilings_set(budget_year=year, values={("64.72", "WRSE"): (1, Decimal("3000000"))}, actor=admin)


def test_the_database_refuses_committed_above_the_ceiling():
    from django.db import IntegrityError, transaction
    from django.db.models import F

    ceiling = CeilingFactory(amount=Decimal("100"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Ceiling.objects.filter(pk=ceiling.pk).update(committed=F("amount") + 1)


@pytest.mark.parametrize("reason", [None, "", "  \n "])
def test_a_void_without_a_reason_is_refused_and_changes_nothing(admin, reason):
    CeilingFactory()
    [allocation] = allocations_create(
        item_ids=[ApprovedItemFactory().pk], lines=package_lines(PackageFactory()), actor=admin
    )
    with pytest.raises(ValidationError) as refused:
        allocation_void(allocation=allocation, reason=reason, actor=admin)
    assert refused.value.messages == ["Alasan pembatalan wajib diisi."]
    allocation.refresh_from_db()
    assert allocation.status == Allocation.Status.ACTIVE
    assert not AuditEvent.objects.filter(action="allocation.void").exists()


def test_a_void_reason_is_kept_tidy(admin):
    CeilingFactory()
    [allocation] = allocations_create(
        item_ids=[ApprovedItemFactory().pk], lines=package_lines(PackageFactory()), actor=admin
    )
    allocation_void(allocation=allocation, reason="  Penerima\n pindah   domisili ", actor=admin)
    allocation.refresh_from_db()
    assert allocation.void_reason == "Penerima pindah domisili"


def test_bast_numbers_run_per_program_regency_and_year():
    """WRSE and KUBE of one regency and year each start at 0001; another regency or year has its own count."""
    from disbursements.services import _next_sequence

    year, other_year = BudgetYearFactory(), BudgetYearFactory(year=2025)
    take = lambda program, regency="64.72", budget_year=year: _next_sequence(  # noqa: E731
        budget_year=budget_year, program=program, regency_id=regency
    )
    assert [take("WRSE"), take("KUBE"), take("WRSE"), take("WRSE", "64.71"), take("WRSE", budget_year=other_year)] == [
        1,
        1,
        2,
        1,
        1,
    ]
    assert take("KUBE") == 2


def test_an_allocation_whose_goods_were_handed_over_is_voided_only_after_its_bast(admin, client):
    """Voiding gives the value back to the ceiling: never while a delivered BAST says the goods were given (the money
    would be counted free and the recipient could be allocated twice). The BAST is voided first."""
    from disbursements.services import handover_void
    from tests.factories import TrainingSessionFactory
    from tests.factories.disbursements import _handover
    from training.services import attendance_mark, participants_invite

    ceiling = CeilingFactory()
    item = ApprovedItemFactory()
    for attendance in participants_invite(session=TrainingSessionFactory(), item_ids=[item.pk], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=admin)
    handover = _handover(allocation)
    client.force_login(admin)
    assert "Batalkan alokasi" not in client.get(allocation.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match=f"sudah diserahterimakan \\(BAST {handover.number}\\)"):
        allocation_void(allocation=allocation, reason="Penerima pindah", actor=admin)
    allocation.refresh_from_db()
    ceiling.refresh_from_db()
    assert allocation.status == Allocation.Status.ACTIVE and ceiling.committed == allocation.total
    assert not AuditEvent.objects.filter(action="allocation.void").exists()

    handover_void(handover=handover, reason="Salah penerima", actor=admin)
    assert "Batalkan alokasi" in client.get(allocation.get_absolute_url()).content.decode()
    allocation_void(allocation=allocation, reason="Penerima pindah", actor=admin)
    ceiling.refresh_from_db()
    assert ceiling.committed == 0


def test_an_allocation_voided_before_this_rule_with_its_goods_given_is_shown_by_the_checks(admin):
    """Data from before the rule: `migrate` and `check --database default` name the BASTs to look at."""
    from django.core import checks

    from tests.factories import TrainingSessionFactory
    from tests.factories.disbursements import _handover
    from training.services import attendance_mark, participants_invite

    CeilingFactory()
    item = ApprovedItemFactory()
    for attendance in participants_invite(session=TrainingSessionFactory(), item_ids=[item.pk], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=admin)
    handover = _handover(allocation)
    assert not [m for m in checks.run_checks(databases=["default"]) if m.id == "disbursements.W001"]
    Allocation.objects.filter(pk=allocation.pk).update(status="void", void_reason="dulu")  # as the old service did
    [warning] = [m for m in checks.run_checks(databases=["default"]) if m.id == "disbursements.W001"]
    assert f"1 BAST masih berlaku untuk alokasi yang sudah dibatalkan (nomor: {handover.number})." in warning.msg
