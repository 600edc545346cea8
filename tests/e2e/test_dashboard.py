from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from disbursements.services import allocations_create, package_lines
from programs.models import BudgetYear
from tests.factories import (
    PASSWORD,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    PackageFactory,
    PimpinanFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_pimpinan_switches_year_and_downloads_the_recap(page, login, live_server, tmp_path):
    BudgetYearFactory(year=2025, status=BudgetYear.Status.PLANNING)
    CeilingFactory(amount=Decimal("20000000"))  # 2024, Kota Samarinda, WRSE
    items = ApprovedItemFactory.create_batch(2)
    allocations_create(item_ids=[i.pk for i in items], lines=package_lines(PackageFactory()), actor=None)
    login(PimpinanFactory().username, PASSWORD)

    page.get_by_test_id("nav").get_by_role("link", name="Dasbor").click()
    expect(page.get_by_role("heading", name="Dasbor Tahun Anggaran 2024")).to_be_visible()
    expect(page.get_by_test_id("dash-committed")).to_have_text("Rp8.000.000")
    page.get_by_label("Tahun anggaran").select_option("2025")
    expect(page.get_by_role("heading", name="Dasbor Tahun Anggaran 2025")).to_be_visible()
    expect(page.get_by_test_id("dash-committed")).to_have_text("Rp0")
    page.get_by_label("Tahun anggaran").select_option("2024")
    expect(page.get_by_test_id("dash-committed")).to_have_text("Rp8.000.000")
    more = ApprovedItemFactory()
    allocations_create(item_ids=[more.pk], lines=package_lines(PackageFactory()), actor=None)
    page.get_by_test_id("dash-as-of").get_by_role("link", name="Perbarui").click()  # counted, then the plain address
    expect(page.get_by_test_id("dash-committed")).to_have_text("Rp12.000.000")
    assert page.url.endswith("/dasbor/?tahun=2024")

    page.get_by_role("link", name="Unduh laporan Excel tahun 2024").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Rekapitulasi per Kab/Kota").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("rekapitulasi-2024-")
    sheet = load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "DINAS SOSIAL PROVINSI KALIMANTAN TIMUR" and rows[1][0] == "Rekapitulasi per Kabupaten/Kota"
    assert rows[-1][0] == "JUMLAH" and rows[-1][2] == 20000000 and rows[-1][9] == 12000000 and rows[-1][11] == 8000000


def test_a_second_perbarui_while_counting_says_so_on_a_phone(page, login, live_server, settings, tmp_path):
    from django.core.cache import cache

    from reports.dashboard import counting_key

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    ApprovedItemFactory()
    head = PimpinanFactory()
    page.set_viewport_size({"width": 390, "height": 844})
    login(head.username, PASSWORD)
    page.goto(f"{live_server.url}/dasbor/?tahun=2024")
    cache.add(counting_key(head, BudgetYear.objects.get(year=2024)), 1)  # a colleague's count under way
    page.get_by_test_id("dash-as-of").get_by_role("link", name="Perbarui").click()
    expect(page.get_by_text("Angka sedang dihitung ulang. Muat ulang halaman ini sebentar lagi.")).to_be_visible()
    assert page.url.endswith("/dasbor/?tahun=2024")
    page.screenshot(path=tmp_path / "perbarui-390.png")
    cache.clear()
