import datetime

import pytest
from playwright.sync_api import expect

from beneficiaries.identity import make_nik
from tests.factories import PASSWORD, BudgetYearFactory, OperatorFactory, ProposalFactory
from tests.proposals.workbooks import build, wrse_row

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_the_preview_judges_each_row_and_the_officer_saves_the_right_ones(page, login, live_server, tmp_path):
    BudgetYearFactory()
    proposal = ProposalFactory()
    officer = OperatorFactory()
    man_born = datetime.date(1981, 2, 3)
    rows = [
        wrse_row(1, **{"Jenis Usaha": "Gorengan"}),
        wrse_row(2, NIK=make_nik("647203", man_born, "L", 6100), born=man_born),
        wrse_row(3, born=datetime.date(1959, 6, 1)),
        wrse_row(4, born=datetime.date(2008, 6, 1)),
    ]
    upload = tmp_path / "usulan-samarinda.xlsx"
    upload.write_bytes(build(rows))

    login(officer.username, PASSWORD)
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_label("Berkas Excel usulan").set_input_files(upload)
    page.get_by_role("button", name="Unggah dan periksa").click()

    expect(page.get_by_test_id("upload-problems-summary")).to_contain_text("3 kesalahan")
    expect(page.get_by_test_id("upload-problems-summary")).to_contain_text("1 dari 4 baris benar")
    problems = page.get_by_test_id("upload-problems")
    expect(problems.locator("tr", has_text="WRSE hanya untuk perempuan.")).to_contain_text("A · NIK")
    expect(problems.locator("tr", has_text="Usia 64 tahun")).to_contain_text("E · Tanggal Lahir")
    expect(problems.locator("tr", has_text="Usia 15 tahun")).to_contain_text("E · Tanggal Lahir")
    expect(page.get_by_role("button", name="Simpan ke usulan")).to_have_count(0)
    page.screenshot(path=tmp_path / "preview.png", full_page=True)

    page.get_by_role("button", name="Simpan 1 baris yang benar").click()
    expect(page.get_by_test_id("upload-committed")).to_contain_text("3 baris yang salah tidak disimpan")
    assert proposal.items.count() == 1
    assert proposal.items.get().business_type.name == "Gorengan dan Jajanan"
