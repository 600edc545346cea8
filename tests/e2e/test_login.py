import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    AdminProvinsiFactory,
    AuditorFactory,
    OperatorFactory,
    PimpinanFactory,
    VerifikatorFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

# The navbar's own links; the registry and the distribution pages sit in the two menus between them.
TOP = ["Beranda", "Dasbor", "Usulan", "Pengaduan", "Laporan", "Wilayah", "Tahun Anggaran"]


@pytest.mark.parametrize(
    ("factory", "role_label", "nav"),
    [
        (AdminProvinsiFactory, "Admin Provinsi", [*TOP, "Jejak Audit"]),
        (VerifikatorFactory, "Verifikator Provinsi", TOP),
        (OperatorFactory, "Operator Kab/Kota", TOP),
        (PimpinanFactory, "Pimpinan", TOP),
        (AuditorFactory, "Auditor", [*TOP, "Jejak Audit"]),
    ],
)
def test_each_role_logs_in_and_sees_its_own_navigation(page, login, factory, role_label, nav):
    user = factory()
    login(user.username, PASSWORD)
    if factory is PimpinanFactory:  # the head lands on the dashboard; the home page is one click away
        expect(page).to_have_url(re.compile(r"/dasbor/$"))
        page.get_by_test_id("nav").get_by_role("link", name="Beranda").click()
    expect(page.get_by_test_id("role")).to_contain_text(role_label)
    expect(page.get_by_test_id("nav").get_by_role("link")).to_have_text(nav)
    page.get_by_test_id("nav").get_by_role("button", name="Penyaluran").click()
    expect(page.get_by_test_id("nav").get_by_role("link")).to_have_text(
        [
            *nav[:3],
            # A regency's officer has "Kerja Lapangan" first in the menu; the province has it after the monitoring.
            *(["Kerja Lapangan"] if factory is OperatorFactory else []),
            "Alokasi",
            "Bimtek",
            "BAST",
            "Monev",
            "Graduasi",
            "Verifikasi Pasca-Penyaluran",
            *(["Kerja Lapangan"] if factory in (AdminProvinsiFactory, VerifikatorFactory) else []),
            "Barang & Paket",
            *nav[3:],
        ]  # fmt: skip
    )
    # The regency page is reachable from the navbar; an operator sees only Kota Samarinda there.
    page.get_by_test_id("nav").get_by_role("link", name="Wilayah").click()
    rows = page.get_by_test_id("regency-table").locator("tbody tr")
    expect(rows).to_have_count(1 if factory is OperatorFactory else 10)


def test_wrong_password_shows_an_indonesian_error(page, login):
    user = PimpinanFactory()
    login(user.username, "bukan-sandinya")
    expect(page.get_by_test_id("login-error")).to_have_text(
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    )
    expect(page.get_by_label("Nama pengguna")).to_have_value(user.username)


def test_repeated_failures_lock_the_account(page, login, settings):
    user = OperatorFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(user.username, "salah")
        expect(page.get_by_test_id("login-error")).to_be_visible()
    login(user.username, "salah")
    expect(page.get_by_test_id("lockout")).to_contain_text("Akun dikunci sementara")
    # The right password no longer helps until the lock expires.
    login(user.username, PASSWORD)
    expect(page.get_by_test_id("lockout")).to_be_visible()


def test_logout_returns_to_the_login_page(page, login):
    user = PimpinanFactory()
    login(user.username, PASSWORD)
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
