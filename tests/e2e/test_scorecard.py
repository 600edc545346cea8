"""The data-quality scorecard as the head and the regency's officer see it: the table on an office screen and on one
A4 landscape page of paper, the head's dashboard naming the weakest regencies, the officer's home page her first fix,
and her regency's records behind a number on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, BudgetYearFactory, OperatorFactory, PimpinanFactory, ProposalItemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def season(balikpapan):
    from django.utils import timezone

    year = BudgetYearFactory(year=timezone.localdate().year, scorecard_min_count=2)
    for _ in range(3):
        ProposalItemFactory(proposal__budget_year=year, person__phone="", person__dtks_id="")
        ProposalItemFactory(proposal__budget_year=year, proposal__regency=balikpapan, person__phone="0812",
                            person__dtks_id="64710001")  # fmt: skip
    return year


def test_the_head_reads_the_scorecard_and_prints_it_on_one_landscape_page(page, login, live_server, season, tmp_path):
    login(PimpinanFactory().username, PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + f"/dasbor/?tahun={season.year}")
    expect(page.get_by_test_id("quality-weakest")).to_contain_text("Samarinda")
    page.goto(live_server.url + f"/rapor-kualitas/?tahun={season.year}")
    cell = page.locator('[data-regency="64.72"] [data-measure="data_penduduk"]')
    expect(cell).to_contain_text("0")
    expect(cell).to_contain_text("✗")  # the number and a sign, never colour alone
    page.screenshot(path=tmp_path / "scorecard-1366.png", full_page=True)
    # On paper: A4 landscape (297 mm less 2 × 8 mm margins = 281 mm, 1,062 CSS pixels), every column on the page.
    page.set_viewport_size({"width": 1062, "height": 750})
    page.emulate_media(media="print")
    region = page.get_by_test_id("scorecard").locator("xpath=..")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table is wider than an A4 landscape page"
    page.screenshot(path=tmp_path / "scorecard-print.png", full_page=True)
    pdf = tmp_path / "scorecard.pdf"
    page.pdf(path=pdf, prefer_css_page_size=True, print_background=True)
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())
    assert len(pages) <= 2, len(pages)  # the table on the first page, the definitions after it


def test_the_officer_sees_her_first_fix_and_the_records_behind_it_on_a_phone(page, login, live_server, season,
                                                                            tmp_path):  # fmt: skip
    login(OperatorFactory().username, PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_test_id("quality-own")).to_contain_text("Kota Samarinda")
    expect(page.get_by_test_id("quality-panel")).to_contain_text("Perbaiki dulu: Data calon lengkap")
    page.get_by_test_id("quality-panel").get_by_role("link", name="Lihat rapor").click()
    section = page.locator('[data-measure="data_penduduk"]')
    expect(section.get_by_test_id("records")).to_contain_text("belum diisi: No HP")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=tmp_path / "scorecard-regency-390.png", full_page=True)
