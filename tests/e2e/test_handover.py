from decimal import Decimal

import pytest
from playwright.sync_api import expect

from disbursements.services import allocations_create, package_lines
from tests.factories import (
    PASSWORD,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    PackageFactory,
    VerifikatorFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_bimtek_then_handover_then_printable_bast_and_realised_budget(page, login, navigate, live_server, tmp_path):
    year = BudgetYearFactory()
    CeilingFactory(amount=Decimal("50000000"))
    item = ApprovedItemFactory()
    name = item.person.full_name
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=None)
    verifier = VerifikatorFactory(
        first_name="Rina", last_name="Wati", position="Kepala Seksi", nip="198501012010012001"
    )
    login(verifier.username, PASSWORD)

    navigate("Penyaluran", "Bimtek")
    page.get_by_role("link", name="Tambah Sesi").click()
    page.get_by_label("Tahun anggaran").select_option(label=str(year))
    page.get_by_label("Program").select_option("WRSE")
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Samarinda")
    page.get_by_label("Materi").fill("Penggunaan barang bantuan")
    page.get_by_label("Tanggal mulai").fill("15/07/2024")
    page.get_by_label("Tanggal selesai").fill("15/07/2024")
    page.get_by_label("Tempat").fill("Aula Dinas Sosial Kota Samarinda")
    page.get_by_label("Kapasitas peserta").fill("25")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Penggunaan barang bantuan")).to_be_visible()

    page.get_by_role("button", name="Undang semua penerima disetujui (1)").click()
    expect(page.get_by_test_id("participants")).to_contain_text(name)
    expect(page.get_by_test_id("attendance-rate")).to_have_text("0 dari 1 hadir (0,0%)")
    page.get_by_label(f"Hadir {name}", exact=True).check()  # saved at once by htmx
    expect(page.get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("attendance-rate")).to_have_text("1 dari 1 hadir (100,0%)")  # no reload

    page.goto(f"{live_server.url}/anggaran/{year.year}/pagu/")
    row = page.locator("tr[data-regency='64.72'][data-program='WRSE']")
    expect(page.get_by_test_id("realised-total")).to_have_text("Rp0")

    page.goto(f"{live_server.url}{allocation.get_absolute_url()}")
    page.get_by_role("link", name="Buat BAST").click()
    page.get_by_label("Nama yang mengetahui").fill("Drs. Ahmad Yani")
    page.get_by_label("Jabatan yang mengetahui").fill("Kepala Dinas Sosial Provinsi Kalimantan Timur")
    page.get_by_role("button", name="Simpan BAST").click()
    expect(page.get_by_role("heading", name="BAST/WRSE/64.72/2024/0001")).to_be_visible()

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Cetak BAST").click()
    bast = popup.value
    expect(bast.get_by_test_id("bast-number")).to_have_text("BAST/WRSE/64.72/2024/0001")
    expect(bast.get_by_test_id("bast-value")).to_have_text("Rp4.000.000")
    expect(bast.get_by_test_id("bast-terbilang")).to_have_text("Empat juta rupiah")
    bast.screenshot(path=str(tmp_path / "bast.png"), full_page=True)

    # Realised only once the signed BAST's scan is attached.
    page.goto(f"{live_server.url}/anggaran/{year.year}/pagu/")
    expect(page.get_by_test_id("realised-total")).to_have_text("Rp0")
    page.go_back()
    expect(page.get_by_test_id("awaiting-scan")).to_have_text("Menunggu pindaian BAST")
    scan = tmp_path / "bast-bertanda-tangan.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Pindaian BAST").set_input_files(scan)
    page.get_by_role("button", name="Unggah pindaian").click()
    expect(page.get_by_role("heading", name="BAST/WRSE/64.72/2024/0001")).to_contain_text("Diserahkan")

    page.goto(f"{live_server.url}/anggaran/{year.year}/pagu/")
    expect(page.get_by_test_id("realised-total")).to_have_text("Rp4.000.000")
    expect(row.get_by_test_id("realised")).to_have_text("Rp4.000.000")
