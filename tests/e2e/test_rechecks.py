"""The quarterly re-check as the regency's officer does it in the village, on a phone: the new period's worklist,
the outcome refused without a reason, then recorded; the person's page shows it beside the desil by period."""

import datetime

import pytest
from playwright.sync_api import expect

from rechecks.models import Recheck
from tests.factories import PASSWORD, ApprovedItemFactory, OperatorFactory
from tests.rechecks.test_worklist import _allocated, _snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_the_officer_records_a_field_outcome_on_a_phone(page, login, live_server, tmp_path):
    person = _allocated(ApprovedItemFactory()).person
    _snapshot(datetime.date(2026, 4, 1), [(person, 3)])
    _snapshot(datetime.date(2026, 7, 1), [(person, 8)])
    operator = OperatorFactory()
    page.set_viewport_size({"width": 390, "height": 844})
    login(operator.username, PASSWORD)
    page.goto(live_server.url + "/dtsen/verifikasi-lapangan/")
    card = page.get_by_test_id("recheck-cards").locator("li", has_text=person.full_name)
    expect(card).to_contain_text("Desil 3 → Desil 8 (batas 5)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.screenshot(path=tmp_path / "recheck-390.png", full_page=True)
    card.get_by_role("link", name="Catat hasil").click()
    expect(page.get_by_test_id("recheck-facts")).to_contain_text("Desil 8 — di atas batas program (desil 1–5)")
    page.get_by_label("Tidak layak").check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tuliskan alasan mengapa penerima tidak layak.")).to_be_visible()
    page.get_by_label("Alasan / catatan").fill("Sudah bekerja tetap di pabrik kayu")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text(f"Hasil verifikasi lapangan {person.full_name} dicatat.")).to_be_visible()
    assert Recheck.objects.get(person=person).outcome == "ineligible"
    page.goto(live_server.url + person.get_absolute_url())
    expect(page.get_by_test_id("dtsen-desil")).to_contain_text("Desil 8 (DTSEN Triwulan III 2026)")
    expect(page.get_by_test_id("rechecks")).to_contain_text("Tidak layak — Sudah bekerja tetap di pabrik kayu")
    page.screenshot(path=tmp_path / "person-390.png", full_page=True)
