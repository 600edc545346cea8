import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from disbursements.models import Allocation
from disbursements.services import allocations_create, package_lines
from programs.models import Ceiling
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    OperatorFactory,
    PackageFactory,
    PimpinanFactory,
)

pytestmark = pytest.mark.django_db


def _allocate(items, package):
    return allocations_create(item_ids=[i.pk for i in items], lines=package_lines(package), package=package, actor=None)


def test_admin_sets_ceilings_from_the_editor_and_the_year_total_is_enforced(client, samarinda):
    year = BudgetYearFactory(total_ceiling=Decimal("1000000000"))
    client.force_login(AdminProvinsiFactory())
    url = reverse("disbursements:ceiling_edit", args=[year.year])
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data.update({"t_64.72_WRSE": 10, "a_64.72_WRSE": 900000000, "t_64.71_WRSE": 5, "a_64.71_WRSE": 200000000})
    refused = client.post(url, data)
    assert "melebihi pagu Tahun Anggaran 2024 Rp1.000.000.000 (lebih Rp100.000.000)" in refused.content.decode()
    data["a_64.72_WRSE"] = 800000000
    assert client.post(url, data).status_code == 302
    assert Ceiling.objects.get(regency=samarinda, program="WRSE").amount == Decimal("800000000")
    assert Ceiling.objects.count() == 2  # empty rows of the editor create nothing


def test_editor_can_start_from_approved_count_times_package_value(client):
    year = BudgetYearFactory(wrse_package_value=Decimal("5000000"))
    ApprovedItemFactory.create_batch(3)
    client.force_login(AdminProvinsiFactory())
    form = client.get(reverse("disbursements:ceiling_edit", args=[year.year]) + "?usul=1").context["form"]
    assert form.fields["t_64.72_WRSE"].initial == 3
    assert form.fields["a_64.72_WRSE"].initial == Decimal("15000000")


def test_allocate_with_preview_then_confirm_and_resubmit_creates_nothing_twice(client):
    ceiling = CeilingFactory(amount=Decimal("10000000"))
    package = PackageFactory()
    items = ApprovedItemFactory.create_batch(2)
    client.force_login(AdminProvinsiFactory())
    url = reverse("disbursements:allocation_new")
    page = client.get(url, {"tahun": 2024})
    assert {i.pk for i in page.context["candidates"]} == {i.pk for i in items}
    data = {"tahun": 2024, "kabkota": "", "program": "", "items": [i.pk for i in items], "package": package.pk}
    preview = client.post(url, {**data, "langkah": "pratinjau"})
    text = preview.content.decode()
    assert "Rp8.000.000" in text and "Rp2.000.000" in text and "Simpan alokasi" in text
    assert not Allocation.objects.exists()
    done = client.post(url, {**data, "langkah": "simpan"})
    assert done.status_code == 302 and Allocation.objects.count() == 2
    ceiling.refresh_from_db()
    assert ceiling.committed == Decimal("8000000")
    again = client.post(url, {**data, "langkah": "simpan"})
    assert again.status_code == 200 and Allocation.objects.count() == 2  # the two are no longer offered


def test_preview_shows_the_shortfall_and_offers_no_save(client):
    CeilingFactory(amount=Decimal("5000000"))
    package = PackageFactory()
    items = ApprovedItemFactory.create_batch(2)
    client.force_login(AdminProvinsiFactory())
    preview = client.post(
        reverse("disbursements:allocation_new"),
        {"tahun": 2024, "items": [i.pk for i in items], "package": package.pk, "langkah": "pratinjau"},
    )
    text = preview.content.decode()
    assert (
        "Sisa pagu WRSE Kota Samarinda Rp5.000.000 tidak cukup untuk alokasi Rp8.000.000 (kurang Rp3.000.000)." in text
    )
    assert "Simpan alokasi" not in text


def test_operator_sees_only_their_regency_rows(client, samarinda, balikpapan):
    package = PackageFactory()
    for regency in (samarinda, balikpapan):
        CeilingFactory(regency=regency)
        _allocate([ApprovedItemFactory(proposal__regency=regency)], package)
    client.force_login(OperatorFactory(regency=samarinda))
    overview = client.get(reverse("disbursements:budget_overview", args=[2024])).context["overview"]
    assert {row.regency.pk for row in overview.rows} == {"64.72"}
    assert overview.totals["committed"] == Decimal("4000000")
    listed = client.get(reverse("disbursements:allocation_list")).context["page"]
    assert {a.regency_id for a in listed} == {"64.72"}
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("disbursements:allocation_export")).streaming_content))
    )
    regencies = {row[3] for row in workbook.active.iter_rows(min_row=7, values_only=True) if row[1]}
    assert regencies == {"Kota Samarinda"}


def test_list_and_overview_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    package = PackageFactory()
    CeilingFactory(amount=Decimal("100000000"))
    _allocate(ApprovedItemFactory.create_batch(3), package)
    client.force_login(PimpinanFactory())
    client.get(reverse("home"))  # the session's first request does its own bookkeeping
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("disbursements:allocation_list"))
    _allocate(ApprovedItemFactory.create_batch(12), package)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("disbursements:allocation_list"))
    assert len(many) == len(few)
    with django_assert_max_num_queries(9):
        client.get(reverse("disbursements:budget_overview", args=[2024]))
    with CaptureQueriesContext(connection) as export:
        client.get(reverse("disbursements:allocation_export"))
    assert len(export) <= 8


def test_absorption_workbook_totals_equal_the_ceilings(client, samarinda, balikpapan):
    package = PackageFactory()
    CeilingFactory(regency=samarinda, amount=Decimal("50000000"), target_count=10)
    CeilingFactory(regency=balikpapan, amount=Decimal("30000000"), target_count=5)
    _allocate(ApprovedItemFactory.create_batch(2), package)
    client.force_login(PimpinanFactory())
    response = client.get(reverse("disbursements:absorption_export", args=[2024]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [row for row in sheet.iter_rows(min_row=7, values_only=True) if row[0]]
    total = rows[-1]
    assert total[0] == "JUMLAH" and total[2] == 80000000 and total[3] == 15 and total[5] == 8000000
    assert total[7] == 72000000
    samarinda_wrse = next(r for r in rows if r[0] == "Kota Samarinda" and r[1] == "WRSE")
    assert samarinda_wrse[2] == 50000000 and samarinda_wrse[5] == 8000000 and samarinda_wrse[4] == 2
    assert len(rows) == 10 * 2 + 1
    assert AuditEvent.objects.filter(action="budget.export").count() == 1


def test_void_through_the_page_needs_a_reason(client):
    CeilingFactory()
    [allocation] = _allocate([ApprovedItemFactory()], PackageFactory())
    client.force_login(AdminProvinsiFactory())
    url = reverse("disbursements:allocation_void", args=[allocation.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "Salah paket"})
    allocation.refresh_from_db()
    assert allocation.status == "void" and allocation.void_reason == "Salah paket"
    page = client.get(allocation.get_absolute_url()).content.decode()
    assert "Dibatalkan" in page and "Salah paket" in page


def test_goods_price_change_is_audited(client):
    package = PackageFactory()
    goods = package.lines.first().goods
    client.force_login(AdminProvinsiFactory())
    client.post(
        reverse("disbursements:goods_update", args=[goods.pk]),
        {"name": goods.name, "unit": "unit", "unit_price": "2600000", "specification": "", "is_active": "on"},
    )
    event = AuditEvent.objects.get(action="goods_item.update")
    assert event.before["unit_price"] != event.after["unit_price"]


def test_the_ceiling_editor_takes_amounts_as_written_and_shows_the_totals(client):
    from django.urls import reverse

    from programs.models import Ceiling
    from tests.factories import AdminProvinsiFactory, BudgetYearFactory

    budget_year = BudgetYearFactory()
    client.force_login(AdminProvinsiFactory())
    url = reverse("disbursements:ceiling_edit", args=[budget_year.year])
    page = client.get(url).content.decode()
    assert "Rp0</strong> dari pagu tahun anggaran Rp6.500.000.000" in page
    assert "confirm(" not in page  # nothing to overwrite yet
    data = {name: "0" for name in client.get(url).context["form"].fields}
    data.update({"t_64.72_WRSE": "146", "a_64.72_WRSE": "Rp 1.050.000.000", "a_64.71_KUBE": "400.000.000"})
    response = client.post(url, data)
    assert response.status_code == 302
    assert Ceiling.objects.get(regency="64.72", program="WRSE").amount == 1_050_000_000
    page = client.get(url).content.decode()
    assert 'value="1.050.000.000"' in page and "Rp1.450.000.000</strong> dari pagu tahun anggaran" in page
    assert "sisa <strong" in page and "Rp5.050.000.000" in page and "data-confirm=" in page


def test_the_picker_searches_by_name_the_preview_warns_of_another_business_type_and_the_list_keeps_the_filters(client):
    from programs.models import BusinessType

    CeilingFactory(amount=Decimal("10000000"))
    package = PackageFactory()  # for "Menjahit / Konveksi"
    cakes = BusinessType.objects.get(name="Kue dan Roti")
    siti = ApprovedItemFactory(person__full_name="Siti Aminah", business_type=cakes)
    ApprovedItemFactory(person__full_name="Rina Wati", business_type=package.business_type)
    client.force_login(AdminProvinsiFactory())
    url = reverse("disbursements:allocation_new")
    page = client.get(url, {"tahun": 2024, "q": "siti"})
    assert [i.pk for i in page.context["candidates"]] == [siti.pk]

    data = {"tahun": 2024, "kabkota": "64.72", "program": "WRSE", "items": [siti.pk], "package": package.pk}
    preview = client.post(url, {**data, "langkah": "pratinjau"}).content.decode()
    assert "Jenis usaha berbeda dengan paket" in preview
    assert "Siti Aminah: jenis usaha Kue dan Roti, paket untuk Menjahit / Konveksi" in preview
    done = client.post(url, {**data, "langkah": "simpan"})
    assert done.status_code == 302 and "kabkota=64.72" in done["Location"] and "program=WRSE" in done["Location"]


def test_several_packages_in_one_run_by_matching_business_type(client):
    from programs.models import BusinessType
    from tests.factories import GoodsItemFactory

    CeilingFactory(amount=Decimal("100000000"))
    sewing = PackageFactory()  # Menjahit / Konveksi, Rp4.000.000
    cakes_type = BusinessType.objects.get(name="Kue dan Roti")
    cakes = PackageFactory(business_type=cakes_type, lines=[(GoodsItemFactory(name="Oven", unit_price=3_000_000), 1)])
    tailor = ApprovedItemFactory(business_type=sewing.business_type)
    baker = ApprovedItemFactory(business_type=cakes_type)
    farmer = ApprovedItemFactory(business_type=BusinessType.objects.get(name="Peternakan"))
    client.force_login(AdminProvinsiFactory())
    url = reverse("disbursements:allocation_new")
    data = {"tahun": 2024, "kabkota": "", "program": "", "matching": "on", "items": [tailor.pk, baker.pk, farmer.pk]}
    preview = client.post(url, {**data, "langkah": "pratinjau"}).content.decode()
    assert "Tidak ada paket aktif yang sesuai" in preview and "Simpan alokasi" not in preview
    data["items"] = [tailor.pk, baker.pk]
    preview = client.post(url, {**data, "langkah": "pratinjau"}).content.decode()
    assert "Rp7.000.000" in preview and "Simpan alokasi" in preview  # 4.000.000 + 3.000.000
    assert client.post(url, {**data, "langkah": "simpan"}).status_code == 302
    packages = dict(Allocation.objects.values_list("item_id", "package_id"))
    assert packages == {tailor.pk: sewing.pk, baker.pk: cakes.pk}
