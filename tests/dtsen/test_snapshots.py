"""A DTSEN extract imported as a dated snapshot: all rows or none, wrong rows said by row and column, the same file
never twice, a person's desil kept by period; the pages scoped to the officer's regency."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from beneficiaries.identity import make_nik, mask_nik
from dtsen.models import Entry, Snapshot
from dtsen.reading import ExtractRefused
from dtsen.selectors import history, registers_for
from dtsen.services import import_snapshot
from regions.models import Regency
from tests.factories import AdminProvinsiFactory, OperatorFactory

pytestmark = pytest.mark.django_db

Q3 = datetime.date(2026, 7, 1)


def _nik(n: int) -> str:
    return make_nik("647203", datetime.date(1980, 1, 1) + datetime.timedelta(days=n), "P", 100 + n)


def _csv(rows, header="NIK;No KK;Nama;Desil;ID Keluarga;Kab/Kota;Pekerjaan") -> bytes:
    return ("\ufeff" + header + "\n" + "\n".join(";".join(map(str, row)) for row in rows) + "\n").encode()


def _rows(count=3, desil=3):
    return [
        (_nik(n), f"6472{n:012d}", f"Warga {n}", desil, f"K{n}", "Kota Samarinda", "Pedagang") for n in range(count)
    ]


def test_an_extract_becomes_a_dated_snapshot_with_its_columns_as_officers_write_them():
    admin = AdminProvinsiFactory()
    snapshot = import_snapshot(user=admin, data=_csv(_rows()), file_name="dtsen.csv", period=Q3, source="Kemensos")
    assert snapshot.status == Snapshot.Status.READY and snapshot.rows == 3 and snapshot.problems == []
    entry = Entry.objects.get(nik=_nik(1))
    assert (entry.full_name, entry.desil, entry.dtsen_id, entry.regency_code) == ("Warga 1", 3, "K1", "64.72")
    assert entry.extra == {"Pekerjaan": "Pedagang"}  # a column kubeprogram does not use is kept as it came
    assert snapshot.period_label == "Triwulan III 2026"
    assert AuditEvent.objects.filter(action="dtsen.import", object_id=str(snapshot.pk)).exists()


def test_a_wrong_row_saves_nothing_and_is_named_by_row_and_column():
    rows = _rows(4)
    rows[1] = ("12345", *rows[1][1:])  # row 3 of the file (the header is row 1)
    rows[2] = (rows[2][0], rows[2][1], rows[2][2], "sebelas", *rows[2][4:])  # row 4
    snapshot = import_snapshot(user=AdminProvinsiFactory(), data=_csv(rows), file_name="x.csv", period=Q3, source="-")
    assert snapshot.status == Snapshot.Status.REFUSED and not Entry.objects.exists()
    assert [(p["row"], p["column"]) for p in snapshot.problems] == [(3, "NIK"), (4, "Desil")]
    assert "16 digit" in snapshot.problems[0]["message"]


def test_a_nik_listed_twice_is_refused_with_both_rows():
    rows = _rows(3)
    rows.append(rows[0])
    snapshot = import_snapshot(user=AdminProvinsiFactory(), data=_csv(rows), file_name="x.csv", period=Q3, source="-")
    assert snapshot.status == Snapshot.Status.REFUSED and not Entry.objects.exists()
    assert snapshot.problems == [
        {"row": 5, "column": "NIK", "message": f"NIK {mask_nik(_nik(0))} sudah ada di baris 2."}
    ]


def test_the_same_file_twice_is_refused_and_a_new_file_of_the_period_supersedes_the_old():
    admin = AdminProvinsiFactory()
    first = import_snapshot(user=admin, data=_csv(_rows()), file_name="a.csv", period=Q3, source="-")
    with pytest.raises(ExtractRefused, match="sudah diimpor"):
        import_snapshot(user=admin, data=_csv(_rows()), file_name="a.csv", period=Q3, source="-")
    second = import_snapshot(user=admin, data=_csv(_rows(desil=6)), file_name="b.csv", period=Q3, source="-")
    first.refresh_from_db()
    assert first.status == Snapshot.Status.SUPERSEDED and second.status == Snapshot.Status.READY
    assert Entry.objects.filter(snapshot=first).count() == 3  # kept, not overwritten
    assert [fact.desil for fact in history(_nik(0))] == [6]


def test_a_missing_required_column_refuses_the_file_and_says_which():
    with pytest.raises(ExtractRefused, match="Desil"):
        import_snapshot(user=AdminProvinsiFactory(), data=_csv([], header="NIK,Nama,Alamat"), file_name="x.csv",
                        period=Q3, source="-")  # fmt: skip
    assert not Snapshot.objects.exists()


def test_an_xlsx_extract_with_numbers_for_nik_is_read():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nik", "NAMA LENGKAP", "desil kesejahteraan", "Kabupaten/Kota"])
    sheet.append([int(_nik(0)), "Siti", 2, "6472"])
    buffer = io.BytesIO()
    book.save(buffer)
    snapshot = import_snapshot(user=AdminProvinsiFactory(), data=buffer.getvalue(), file_name="d.xlsx", period=Q3,
                               source="-")  # fmt: skip
    assert snapshot.status == Snapshot.Status.READY
    assert Entry.objects.get().nik == _nik(0) and Entry.objects.get().regency_code == "64.72"


def test_the_register_speaks_per_period_and_per_regency():
    admin = AdminProvinsiFactory()
    q2 = datetime.date(2026, 4, 1)
    import_snapshot(user=admin, data=_csv(_rows(2, desil=4)), file_name="q2.csv", period=q2, source="-")
    samarinda = Regency.objects.get(code="64.72")
    import_snapshot(user=admin, data=_csv(_rows(1, desil=7)), file_name="q3.csv", period=Q3, source="-",
                    regency=samarinda)  # fmt: skip
    registers = registers_for({"64.72": {_nik(0), _nik(1)}, "64.71": {_nik(0)}})
    here, there = registers["64.72"], registers["64.71"]
    assert here.current == Q3 and here.latest[_nik(0)].desil == 7 and _nik(1) not in here.latest
    assert here.before[_nik(0)].desil == 4 and here.before[_nik(1)].desil == 4
    assert there.current == q2 and there.latest[_nik(0)].desil == 4  # Samarinda's own file speaks for Samarinda only


def test_an_officer_sees_the_province_and_her_regency_and_imports_for_hers(client, django_capture_on_commit_callbacks):
    admin = AdminProvinsiFactory()
    balikpapan = Regency.objects.get(code="64.71")
    other = import_snapshot(user=admin, data=_csv(_rows()), file_name="b.csv", period=Q3, source="-",
                            regency=balikpapan)  # fmt: skip
    province = import_snapshot(user=admin, data=_csv(_rows(2)), file_name="p.csv", period=Q3, source="-")
    officer = OperatorFactory()
    client.force_login(officer)
    page = client.get("/dtsen/")
    assert province.get_absolute_url() in page.content.decode()
    assert other.get_absolute_url() not in page.content.decode()
    assert client.get(other.get_absolute_url()).status_code == 404
    form = client.get("/dtsen/impor/").context["form"]
    assert list(form.fields["regency"].queryset) == [officer.regency]
    upload = SimpleUploadedFile("sam.csv", _csv(_rows(1, desil=2)), content_type="text/csv")
    answer = client.post("/dtsen/impor/", {"extract": upload, "period": "01-10-2026", "source": "SIKS-NG",
                                           "regency": "64.71"})  # fmt: skip
    assert answer.status_code == 200 and "regency" in answer.context["form"].errors  # not another regency's
    upload = SimpleUploadedFile("sam.csv", _csv(_rows(1, desil=2)), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/dtsen/impor/", {"extract": upload, "period": "01-10-2026", "source": "SIKS-NG",
                                               "regency": "64.72"})  # fmt: skip
    assert answer.status_code == 302  # to the job, run inline here (no broker)
    mine = Snapshot.objects.get(regency=officer.regency)
    assert mine.status == Snapshot.Status.READY and mine.imported_by == officer
    assert client.get(mine.get_absolute_url()).status_code == 200
    client.force_login(admin)  # the province sees every regency's
    assert client.get(other.get_absolute_url()).status_code == 200
    assert other.get_absolute_url() in client.get("/dtsen/").content.decode()
