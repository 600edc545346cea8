import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import (
    AdminProvinsiFactory,
    AuditorFactory,
    OperatorFactory,
    PimpinanFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert settings.USE_TZ is True


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith("ok\n") and "database: ok" in body


def test_healthz_fails_when_the_database_does_not(client):
    with mock.patch("kubeprogram.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


NAV = {
    "Beranda", "Dasbor", "Penduduk", "KUBE", "Data Ganda", "Data DTSEN", "Verifikasi Lapangan DTSEN", "Usulan",
    "Permintaan Subjek Data", "Alokasi", "Bimtek", "BAST",
    "Monev", "Graduasi", "Verifikasi Pasca-Penyaluran", "Kerja Lapangan",
    "Barang & Paket", "Pengaduan", "Laporan", "Wilayah", "Tahun Anggaran",
    "Jejak Audit",
}  # fmt: skip


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (AdminProvinsiFactory, NAV),
        (VerifikatorFactory, NAV - {"Jejak Audit", "Permintaan Subjek Data"}),
        (OperatorFactory, NAV - {"Jejak Audit", "Data Ganda"}),
        (PimpinanFactory, NAV - {"Jejak Audit", "Data Ganda", "Kerja Lapangan", "Permintaan Subjek Data"}),
        (AuditorFactory, NAV - {"Data Ganda", "Kerja Lapangan"}),
    ],
)
def test_navbar_shows_only_what_the_role_may_open(client, factory, expected):
    client.force_login(factory())
    response = client.get(reverse("home"))
    labels = {item["label"] for item in response.context["nav_items"]}
    assert labels == expected
    # and every link shown opens for that role
    for item in response.context["nav_items"]:
        assert client.get(item["url"]).status_code == 200, item


def test_home_page_differs_per_role(client, samarinda):
    client.force_login(OperatorFactory(regency=samarinda))
    content = client.get(reverse("home")).content.decode()
    assert "Operator Kab/Kota" in content and "Mendaftarkan penduduk" in content
    assert "Kota Balikpapan" not in content  # the regency table shows only their own
    client.force_login(AuditorFactory())
    assert "Perubahan terakhir" in client.get(reverse("home")).content.decode()


def test_error_pages_are_indonesian(client):
    client.force_login(PimpinanFactory())
    not_found = client.get("/wilayah/99.99/")
    assert not_found.status_code == 404 and "Halaman tidak ditemukan" in not_found.content.decode()
    denied = client.get(reverse("programs:budgetyear_create"))
    assert denied.status_code == 403 and "Akses ditolak" in denied.content.decode()


def test_server_error_page_renders_without_the_database():
    from kubeprogram.views import error_500

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=Exception("down")):
        response = error_500(None)
    assert response.status_code == 500 and "Terjadi kesalahan" in response.content.decode()


def test_no_template_loads_anything_from_the_internet():
    pattern = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)=["'](https?:)?//""", re.I)
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_vendored_assets_exist():
    static = Path(settings.BASE_DIR, "static", "vendor")
    for name in ("bootstrap/bootstrap.min.css", "bootstrap/bootstrap.bundle.min.js", "htmx/htmx.min.js"):
        assert (static / name).stat().st_size > 10_000
    assert (static / "chartjs/chart.umd.min.js").stat().st_size > 10_000


def test_navbar_links_follow_the_script_prefix_though_reversed_once(rf):
    """The entries' URLs are reversed once per process; a site served under a path (SCRIPT_NAME) still gets its own."""
    from django.urls import set_script_prefix

    from kubeprogram.navigation import navigation

    request = rf.get("/")
    request.user = OperatorFactory()
    assert {i["label"]: i["url"] for i in navigation(request)["nav_items"]}["Usulan"] == "/usulan/"
    set_script_prefix("/kube/")
    try:
        assert {i["label"]: i["url"] for i in navigation(request)["nav_items"]}["Usulan"] == "/kube/usulan/"
    finally:
        set_script_prefix("/")
