"""The bell on a phone: in sight beside the menu button, with the unread count, without opening the menu."""

import pytest
from playwright.sync_api import expect

from notifications.services import notify
from tests.factories import PASSWORD, VerifikatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_the_bell_and_its_count_are_in_sight_on_a_phone(page, login, live_server, tmp_path):
    verifier = VerifikatorFactory()
    notify([verifier], text="Pengaduan baru PGD/2026/0001", url="/pengaduan/", key="uji-1")
    notify([verifier], text="Pengaduan baru PGD/2026/0002", url="/pengaduan/", key="uji-2")
    page.set_viewport_size({"width": 390, "height": 844})
    login(verifier.username, PASSWORD)
    bell = page.get_by_test_id("notifications-link-phone")
    expect(bell).to_be_visible()  # the menu is still collapsed
    expect(bell).to_contain_text("2")
    page.screenshot(path=tmp_path / "bell-390.png")
    bell.click()
    expect(page.get_by_text("Pengaduan baru PGD/2026/0002")).to_be_visible()
    notify([verifier], text="Pengaduan baru PGD/2026/0003", url="/pengaduan/", key="uji-3")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")  # (the list itself marks what it shows as read)
    expect(bell).to_be_hidden()  # on a wide screen the bell sits in the open navbar
    expect(page.get_by_test_id("notifications-link")).to_contain_text("1")
