"""By name by address, out: the year's recipients for BPS/Kemensos (one row per woman and per KUBE member, with the
village's 10-digit code, the regency's BPS code, goods, BAST, monitoring stage, graduation), and the candidates the
register's current period does not list, by village. Excel or CSV (comma or semicolon), masked by role, formula-safe,
audited with full_nik, in the background above the threshold — and LibreOffice opens both without repair."""

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from dtsen.services import import_snapshot
from jobs.models import Job
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, OperatorFactory, PimpinanFactory
from tests.monitoring.conftest import deliver, kube_item

pytestmark = pytest.mark.django_db
Q3 = datetime.date(2026, 7, 1)


@pytest.fixture
def year_2024():
    woman = deliver(ApprovedItemFactory(person__full_name='=HYPERLINK("x")'), handed_over_on=datetime.date(2024, 8, 1))
    kube = deliver(kube_item(), program="KUBE", handed_over_on=datetime.date(2024, 8, 2))
    return woman, kube


def _csv(response) -> list[list[str]]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with its mark: Excel reads the accents
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";" if text.split("\r\n")[0].count(";") > 3 else ","))


def test_one_row_per_recipient_with_the_codes_goods_bast_and_stage(client, year_2024):
    woman, kube = year_2024
    client.force_login(AdminProvinsiFactory())
    url = reverse("reports:exchange_export", args=["penerima"]) + "?tahun=2024&format=csv&pemisah=titik-koma"
    rows = _csv(client.get(url))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["No", "NIK", "No KK", "Nama Lengkap"] and "Kode Desa/Kel (Kemendagri)" in header
    assert len(body) == 1 + 5  # the woman and the five members
    first = dict(zip(header, body[0], strict=True))
    person = woman.allocation.item.person
    assert first["NIK"] == person.nik and first["Nama Lengkap"] == '\'=HYPERLINK("x")'  # whole, and never a formula
    assert (
        first["Kode Desa/Kel (Kemendagri)"] == person.village_id.replace(".", "")
        and len(first["Kode Desa/Kel (Kemendagri)"]) == 10
    )
    assert first["Kode Kab/Kota (BPS)"] == "6472" and first["Program"] == "WRSE"
    assert first["Barang"] and first["Nilai Bantuan"] == "4000000" and first["Nomor BAST"] == woman.number
    assert first["Tanggal BAST"] == "2024-08-01" and first["Tahap Monev"] == "Belum dikunjungi"
    members = [dict(zip(header, row, strict=True)) for row in body[1:]]
    assert {m["Nama KUBE"] for m in members} == {kube.allocation.item.group.name}
    assert {m["Nomor BAST"] for m in members} == {kube.number}
    event = AuditEvent.objects.get(action="report.bnba_exchange.export")
    assert event.after["full_nik"] is True and event.after["rows"] == 6 and event.after["format"] == "csv;"


def test_masked_for_leadership_and_an_officer_sees_her_regency_only(client, year_2024, balikpapan):
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), handed_over_on=datetime.date(2024, 8, 3))
    client.force_login(PimpinanFactory())
    url = reverse("reports:exchange_export", args=["penerima"]) + "?tahun=2024&format=csv"
    rows = _csv(client.get(url))
    assert len(rows) == 1 + 7 and all("*" in row[1] for row in rows[1:])
    assert AuditEvent.objects.get(action="report.bnba_exchange.export").after["full_nik"] is False
    client.force_login(OperatorFactory())
    rows = _csv(client.get(url))
    assert {row[rows[0].index("Kode Kab/Kota (BPS)")] for row in rows[1:]} == {"6472"}


def test_the_workbook_reads_a_constant_number_of_queries(client, year_2024):
    client.force_login(AdminProvinsiFactory())
    url = reverse("reports:exchange_export", args=["penerima"]) + "?tahun=2024"
    client.get(url)  # the session's first save out of the count
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in (4, 5, 6):
        deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 8, day))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert sum(1 for row in sheet.iter_rows(min_row=7) if row[0].value) == 9
    assert len(many) == len(few)


def test_candidates_not_in_the_register_by_village(client, year_2024):
    woman, kube = year_2024
    listed = woman.allocation.item.person
    text = f"NIK;Nama;Desil\n{listed.nik};{listed.full_name};2\n"
    import_snapshot(user=AdminProvinsiFactory(), data=text.encode(), file_name="q3.csv", period=Q3,
                    source="Kemensos")  # fmt: skip
    client.force_login(OperatorFactory())
    rows = _csv(client.get(reverse("reports:exchange_export", args=["belum-dtsen"]) + "?tahun=2024&format=csv"))
    header, body = rows[0], rows[1:]
    assert len(body) == 5 and listed.full_name not in {row[header.index("Nama Lengkap")] for row in body}
    villages = [row[header.index("Kode Desa/Kel (Kemendagri)")] for row in body]
    assert villages == sorted(villages)
    assert all("*" not in row[header.index("NIK")] for row in body)  # the officer may see whole NIKs
    assert all(row[-1].startswith("Belum terdaftar di DTSEN") for row in body)
    assert AuditEvent.objects.get(action="report.not_in_dtsen.export").after["full_nik"] is True


def test_without_a_register_the_candidates_list_is_refused_with_the_reason(client, year_2024):
    client.force_login(OperatorFactory())
    response = client.get(reverse("reports:exchange_export", args=["belum-dtsen"]) + "?tahun=2024", follow=True)
    assert "Belum ada data DTSEN" in response.content.decode()
    assert not AuditEvent.objects.filter(action="report.not_in_dtsen.export").exists()


def test_a_large_one_is_prepared_in_the_background(
    client, year_2024, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT, settings.BACKGROUND_EXPORT_ROWS = tmp_path, 3
    client.force_login(AdminProvinsiFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:exchange_export", args=["penerima"]) + "?tahun=2024&format=csv")
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == "selesai" and job.result_name.endswith(".csv")
    assert AuditEvent.objects.get(action="report.bnba_exchange.export").after["background"] is True


@pytest.mark.libreoffice
def test_both_files_open_in_libreoffice_without_repair(client, year_2024, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    text = "NIK;Nama;Desil\n6472015708450001;Lain;2\n"
    import_snapshot(user=AdminProvinsiFactory(), data=text.encode(), file_name="q3.csv", period=Q3,
                    source="Kemensos")  # fmt: skip
    client.force_login(AdminProvinsiFactory())
    for kind in ("penerima", "belum-dtsen"):
        response = client.get(reverse("reports:exchange_export", args=[kind]) + "?tahun=2024")
        source = tmp_path / f"{kind}.xlsx"
        source.write_bytes(b"".join(response.streaming_content))
        # Converted headless: a workbook LibreOffice must repair converts with a warning and loses cells.
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "csv",
             "--outdir", str(tmp_path / kind), str(source)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0 and "Error" not in done.stderr, done.stderr
        converted = (tmp_path / kind / f"{kind}.csv").read_text(encoding="utf-8", errors="replace")
        if kind == "penerima":
            assert "6472" in converted and year_2024[0].number in converted
        else:
            assert converted.count("Belum terdaftar di DTSEN") == 6
