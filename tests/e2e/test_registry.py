import datetime

import pytest
from playwright.sync_api import expect

from beneficiaries.identity import make_nik
from regions.models import Village
from tests.factories import PASSWORD, OperatorFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_operator_registers_a_woman_and_forms_a_kube_of_five(page, login, navigate, live_server):
    operator = OperatorFactory()
    village = Village.objects.filter(district__regency_id="64.72").order_by("code").first()
    for name in ("Rusmini Baco", "Halimah Latif", "Jumiati Saleh", "Erna Yunus"):
        PersonFactory(full_name=name, village=village)  # the other four members, already registered
    nik = make_nik(village.district_id.replace(".", ""), datetime.date(1981, 4, 21), "P", 4321)

    login(operator.username, PASSWORD)
    navigate("Penduduk & KUBE", "Penduduk")
    page.get_by_role("link", name="Daftarkan Penduduk").click()
    page.get_by_label("NIK").fill(nik)
    page.get_by_label("No. KK").fill("6472030404200011")
    page.get_by_label("Nama lengkap").fill("Sitti Maryam")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Tempat lahir").fill("Samarinda")
    page.get_by_label("Tanggal lahir").fill("21-04-1981")
    page.get_by_label("Status perkawinan").select_option("cerai_mati")
    page.get_by_label("Alamat").fill("Jl. Kadrie Oening No. 12")
    page.get_by_label("Kecamatan").select_option(village.district_id)
    # htmx fills the desa/kelurahan of the chosen kecamatan
    expect(page.locator("#id_village option", has_text=village.name)).to_have_count(1)
    page.get_by_label("Desa/kelurahan").select_option(village.code)
    page.get_by_label("No. HP").fill("+62 812 3456 7890")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Sitti Maryam")).to_be_visible()
    expect(page.get_by_text("Sitti Maryam terdaftar.")).to_be_visible()

    navigate("Penduduk & KUBE", "KUBE")
    page.get_by_role("link", name="Bentuk KUBE").click()
    page.get_by_label("Nama KUBE").fill("KUBE Maryam Sejahtera")
    page.get_by_label("Jenis usaha").select_option(label="Kue dan Roti")
    page.get_by_label("Kecamatan").select_option(village.district_id)
    expect(page.locator("#id_village option", has_text=village.name)).to_have_count(1)
    page.get_by_label("Desa/kelurahan").select_option(village.code)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="KUBE Maryam Sejahtera")).to_be_visible()

    for name, role in [
        ("Sitti Maryam", "ketua"),
        ("Rusmini Baco", "sekretaris"),
        ("Halimah Latif", "bendahara"),
        ("Jumiati Saleh", "anggota"),
        ("Erna Yunus", "anggota"),
    ]:
        page.get_by_label("Tambah anggota").fill(name)
        results = page.get_by_test_id("search-results")
        expect(results).to_contain_text(name)
        results.get_by_label(f"Jabatan {name}").select_option(role)
        results.get_by_role("button", name="Tambahkan").first.click()
        expect(page.get_by_test_id("member-table")).to_contain_text(name)
    expect(page.get_by_test_id("group-complete")).to_contain_text("5 anggota dengan ketua, sekretaris, dan bendahara")

    navigate("Penduduk & KUBE", "Penduduk")
    page.get_by_label("Cari nama atau NIK").fill("maryam")
    # Enter submits the filter form (htmx when loaded, a plain GET otherwise): no race with script loading.
    page.get_by_label("Cari nama atau NIK").press("Enter")
    expect(page.get_by_test_id("person-table").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("person-table")).to_contain_text("Sitti Maryam")

    navigate("Penduduk & KUBE", "KUBE")
    row = page.get_by_test_id("group-table").locator("tr", has_text="KUBE Maryam Sejahtera")
    expect(row).to_contain_text("5")
    expect(row).to_contain_text("Lengkap")
