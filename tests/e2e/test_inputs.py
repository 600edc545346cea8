"""Dates and file inputs speak Indonesian in any browser: a browser in English shows its own date format
(mm/dd/yyyy) and file button ("Choose Files"), so dates are typed and shown dd/mm/yyyy (core.forms.DateInput, with a
calendar button from static/js/app.js) and file inputs say "Pilih berkas"."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD, BudgetYearFactory, VerifikatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def english(browser, live_server):
    context = browser.new_context(locale="en-US", timezone_id="Asia/Makassar")
    yield context.new_page()
    context.close()


def test_dates_and_files_in_indonesian_in_an_english_browser(english, live_server, tmp_path):
    page = english
    page.goto(live_server.url + reverse("complaints:public_submit"))
    files = page.locator(".file-picker")
    expect(files).to_contain_text("Pilih berkas")
    expect(files).to_contain_text("Belum ada berkas dipilih")
    expect(page.get_by_text("Choose Files")).to_have_count(0)
    one, two = tmp_path / "foto-mesin.jpg", tmp_path / "surat.pdf"
    one.write_bytes(b"x")
    two.write_bytes(b"%PDF-1.4\n")
    page.get_by_label("Lampiran (foto atau surat)").set_input_files([one, two])
    expect(files).to_contain_text("2 berkas: foto-mesin.jpg, surat.pdf")
    page.screenshot(path=tmp_path / "public-en.png", full_page=True)

    year = BudgetYearFactory()
    verifier = VerifikatorFactory()
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(verifier.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(live_server.url + reverse("training:session_create"))
    start = page.get_by_label("Tanggal mulai")
    assert start.get_attribute("type") == "text" and start.get_attribute("placeholder") == "hh/bb/tttt"
    # The calendar's choice (the browser's own date input, behind the button) is written back as dd/mm/yyyy.
    page.get_by_role("button", name="Pilih tanggal dari kalender").first.click()
    page.locator(".date-picker-native").first.evaluate(
        "el => { el.value = '2024-07-15'; el.dispatchEvent(new Event('change')); }"
    )
    expect(start).to_have_value("15/07/2024")
    page.get_by_label("Tahun anggaran").select_option(label=str(year))
    page.get_by_label("Program").select_option("WRSE")
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Samarinda")
    page.get_by_label("Materi").fill("Penggunaan barang bantuan")
    page.get_by_label("Tanggal selesai").fill("16/07/2024")
    page.get_by_label("Tempat").fill("Aula Dinas Sosial Kota Samarinda")
    page.get_by_label("Kapasitas peserta").fill("25")
    page.screenshot(path=tmp_path / "session-form-en.png", full_page=True)
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".page-subtitle")).to_contain_text("15 Juli 2024 s.d. 16 Juli 2024")
    # Opened again, the form shows the saved dates as dd/mm/yyyy.
    page.get_by_role("link", name="Ubah").first.click()
    expect(page.get_by_label("Tanggal mulai")).to_have_value("15/07/2024")
