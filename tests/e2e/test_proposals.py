import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import PASSWORD, BudgetYearFactory, OperatorFactory, VerifikatorFactory
from tests.factories.proposals import PDF
from tests.proposals.workbooks import WRSE_HEADERS, wrse_row

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def _fill(template: bytes, rows: list[dict]) -> bytes:
    """What the officer does in Excel: type the rows under the header (over the example)."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Data"]
    for offset, row in enumerate(rows):
        for column, header in enumerate(WRSE_HEADERS, start=1):
            sheet.cell(row=2 + offset, column=column, value=row[header])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_officer_uploads_fixes_submits_and_sees_the_verifiers_reason(page, login, live_server, browser, tmp_path):
    BudgetYearFactory()
    officer, verifier = OperatorFactory(), VerifikatorFactory()
    login(officer.username, PASSWORD)
    page.get_by_test_id("nav").get_by_role("link", name="Usulan").click()
    page.get_by_role("button", name="Buka Usulan WRSE").click()
    expect(page.get_by_role("heading", name="Usulan WRSE — Wanita Rawan Sosial Ekonomi")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh template WRSE").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    rows = [wrse_row(1), wrse_row(2, **{"No KK": "6472"}), wrse_row(3, Kecamatan="Kecamatan Khayalan")]
    bad = tmp_path / "usulan.xlsx"
    bad.write_bytes(_fill(template.read_bytes(), rows))
    page.get_by_label("Berkas Excel usulan").set_input_files(bad)
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_test_id("upload-problems-summary")).to_contain_text("2 kesalahan")
    problems = page.get_by_test_id("upload-problems")
    expect(problems).to_contain_text("No. KK harus 16 digit (tertulis 4 digit).")
    expect(problems).to_contain_text("Kecamatan “Kecamatan Khayalan” tidak ada dalam daftar.")
    with page.expect_download() as marked:
        page.get_by_role("link", name="Unduh berkas dengan tanda kesalahan").click()
    marked_path = tmp_path / "kesalahan.xlsx"
    marked.value.save_as(marked_path)
    assert "No. KK harus 16 digit" in load_workbook(marked_path)["Data"]["B3"].comment.text

    page.goto(page.url.split("/unggah/")[0] + "/")
    good = tmp_path / "usulan-perbaikan.xlsx"
    good.write_bytes(_fill(template.read_bytes(), [wrse_row(1), wrse_row(2), wrse_row(3)]))
    page.get_by_label("Berkas Excel usulan").set_input_files(good)
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_test_id("upload-clean")).to_contain_text("3 baris")
    page.get_by_role("button", name="Simpan ke usulan").click()
    expect(page.get_by_test_id("item-row")).to_have_count(3)

    pdf = tmp_path / "surat.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Berkas surat pengantar").set_input_files(pdf)
    page.get_by_label("Berkas surat pengantar").locator("xpath=ancestor::form").get_by_role(
        "button", name="Unggah"
    ).click()
    page.get_by_label("Berkas berita acara").set_input_files(pdf)
    page.get_by_label("Berkas berita acara").locator("xpath=ancestor::form").get_by_role(
        "button", name="Unggah"
    ).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ajukan").click()
    expect(page.get_by_test_id("proposal-status")).to_have_text("Diajukan")
    proposal_url = page.url

    page.context.clear_cookies()
    login(verifier.username, PASSWORD)
    page.get_by_test_id("nav").get_by_role("link", name="Usulan").click()
    page.get_by_test_id("inbox").get_by_role("link").first.click()
    page.get_by_label("Pilih Warga Perempuan 2").check()
    page.get_by_label("Alasan").fill("Foto KK tidak terbaca, unggah ulang")
    page.get_by_role("button", name="Kembalikan terpilih").click()
    expect(page.get_by_text("1 calon penerima: dikembalikan.")).to_be_visible()
    page.get_by_label("Pilih Warga Perempuan 1").check()
    page.get_by_label("Pilih Warga Perempuan 3").check()
    page.get_by_role("button", name="Setujui terpilih").click()
    expect(page.get_by_text("2 calon penerima: disetujui.")).to_be_visible()
    page.get_by_role("button", name="Selesaikan verifikasi").click()
    expect(page.get_by_test_id("proposal-status")).to_have_text("Dikembalikan")

    page.context.clear_cookies()
    login(officer.username, PASSWORD)
    page.goto(proposal_url)
    returned = page.get_by_test_id("item-row").filter(has_text="Warga Perempuan 2")
    expect(returned).to_contain_text("Dikembalikan")
    expect(returned).to_contain_text("Foto KK tidak terbaca, unggah ulang")
