import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, AdminProvinsiFactory, ApprovedItemFactory, BudgetYearFactory, PackageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_admin_sets_a_ceiling_allocates_a_package_and_cannot_exceed_it(page, login, navigate, live_server, tmp_path):
    year = BudgetYearFactory()
    package = PackageFactory(name="Paket Menjahit")  # Rp4.000.000
    people = [item.person.full_name for item in ApprovedItemFactory.create_batch(4)]
    admin = AdminProvinsiFactory()
    login(admin.username, PASSWORD)

    page.goto(f"{live_server.url}/anggaran/{year.year}/pagu/")
    page.get_by_role("link", name="Atur Pagu").click()
    page.get_by_label("Target WRSE Kota Samarinda").fill("3")
    page.get_by_label("Pagu WRSE Kota Samarinda").fill("14000000")
    page.get_by_role("button", name="Simpan").click()
    row = page.locator("tr[data-regency='64.72'][data-program='WRSE']")
    expect(row.get_by_test_id("remaining")).to_have_text("Rp14.000.000")

    navigate("Penyaluran", "Alokasi")
    page.get_by_role("link", name="Alokasikan").click()
    page.get_by_label("Paket bantuan").select_option(label=f"WRSE · {package.name} (Rp4.000.000)")
    for name in people[:3]:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Pratinjau biaya").click()
    expect(page.get_by_test_id("preview-total")).to_have_text("Rp12.000.000")
    expect(page.get_by_test_id("preview")).to_contain_text("Rp2.000.000")  # what remains after
    page.get_by_role("button", name="Simpan alokasi").click()
    expect(page.get_by_text("3 penerima dialokasikan, senilai Rp12.000.000.")).to_be_visible()

    page.goto(f"{live_server.url}/anggaran/{year.year}/pagu/")
    expect(row.get_by_test_id("remaining")).to_have_text("Rp2.000.000")  # 14 - 3 x 4 million, exactly

    navigate("Penyaluran", "Alokasi")
    page.get_by_role("link", name="Alokasikan").click()
    page.get_by_label("Paket bantuan").select_option(label=f"WRSE · {package.name} (Rp4.000.000)")
    page.get_by_label(people[3]).check()
    page.get_by_role("button", name="Pratinjau biaya").click()
    expect(page.get_by_test_id("preview")).to_contain_text(
        "Sisa pagu WRSE Kota Samarinda Rp2.000.000 tidak cukup untuk alokasi Rp4.000.000 (kurang Rp2.000.000)."
    )
    expect(page.get_by_role("button", name="Simpan alokasi")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "pratinjau.png"), full_page=True)
