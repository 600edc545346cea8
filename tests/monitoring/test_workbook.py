"""The worklist workbook for field teams without a connection: download, fill in, upload; all or nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from monitoring.models import Visit, VisitGoods
from tests.factories import ApprovedItemFactory, OperatorFactory
from tests.monitoring.conftest import deliver

pytestmark = pytest.mark.django_db
HEADER_ROW = 4


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def due(balikpapan):
    """Two Samarinda recipients due for their 3-month visit, and one of Balikpapan."""
    mine = [deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100)) for _ in range(2)]
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(100))
    return mine


def _download(client):
    response = client.get(reverse("monitoring:worklist_export"), {"tahun": 2024})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _columns(sheet):
    return {cell.value: cell.column_letter for cell in sheet[HEADER_ROW] if cell.value}


def _fill(sheet, row, **values):
    columns = _columns(sheet)
    answers = {"Tanggal Kunjungan": timezone.localdate(), "Petugas": "Rina", "Cara": "Telepon",
               "Status Usaha": "Berjalan dan berkembang", "Omzet per Bulan": 2500000,
               "Pendapatan Bersih per Bulan": "750.000", "Tenaga Kerja / Anggota Aktif": 2, **values}  # fmt: skip
    for header, value in answers.items():
        sheet[f"{columns[header]}{row}"] = value


def _conditions(sheet, row, *conditions):
    """Every unit of goods line n in the n-th condition: its quantity (pre-filled) in that condition's column."""
    columns = _columns(sheet)
    for n, condition in enumerate(conditions, start=1):
        quantity = sheet[f"{columns[f'Jumlah Barang {n}']}{row}"].value
        sheet[f"{columns[f'Barang {n} {condition}']}{row}"] = quantity


def _upload(client, book):
    out = io.BytesIO()
    book.save(out)
    return client.post(
        reverse("monitoring:worklist_upload"), {"tahun": 2024, "file": SimpleUploadedFile("isi.xlsx", out.getvalue())}
    )


def test_the_workbook_is_prefilled_with_the_due_visits_of_the_officers_regency(client, due):
    client.force_login(OperatorFactory())
    sheet = _download(client)["Kunjungan"]
    columns = _columns(sheet)
    codes = sorted(sheet[f"A{r}"].value for r in range(HEADER_ROW + 1, sheet.max_row + 1))
    assert codes == sorted(f"{h.pk}-3" for h in due)
    first = next(r for r in range(HEADER_ROW + 1, HEADER_ROW + 3) if sheet[f"A{r}"].value == f"{due[0].pk}-3")
    assert sheet[f"{columns['Nomor BAST']}{first}"].value == due[0].number
    goods = [(line.goods.name, line.quantity) for line in due[0].lines.all()]
    assert [
        (sheet[f"{columns[f'Barang {n}']}{first}"].value, sheet[f"{columns[f'Jumlah Barang {n}']}{first}"].value)
        for n in range(1, len(goods) + 1)
    ] == goods  # the name and the quantity handed over, beside a count column per condition
    assert [h for h in columns if h.startswith("Barang 1 ")] == [
        "Barang 1 Dipakai", "Barang 1 Rusak", "Barang 1 Dijual", "Barang 1 Hilang", "Barang 1 Dipindahtangankan"
    ]  # fmt: skip
    validations = sheet.data_validations.dataValidation
    dropdowns = {str(v.sqref).split(":")[0][:-1].rstrip("0123456789") for v in validations if v.type == "list"}
    assert {columns["Cara"], columns["Status Usaha"], columns["Tahap KUBE"]} <= dropdowns
    [whole] = [v for v in validations if v.type == "whole"]
    assert f"{columns['Barang 1 Dipakai']}{HEADER_ROW + 1}:{columns['Barang 1 Dipindahtangankan']}" in str(whole.sqref)
    assert AuditEvent.objects.filter(action="visit.export_worklist").count() == 1


def test_a_filled_workbook_records_every_visit_once(client, due):
    client.force_login(OperatorFactory())
    book = _download(client)
    sheet = book["Kunjungan"]
    lines = due[0].lines.count()
    for row in (HEADER_ROW + 1, HEADER_ROW + 2):
        _fill(sheet, row)
        _conditions(sheet, row, "Dijual", *["Dipakai"] * (lines - 1))
    response = _upload(client, book)
    assert response.status_code == 302
    assert Visit.objects.count() == 2 and AuditEvent.objects.filter(action="visit.create").count() == 2
    visit = Visit.objects.first()
    assert (visit.mode, visit.business_status, visit.turnover, visit.net_income) == (
        "telepon",
        "berkembang",
        2_500_000,
        750_000,
    )
    assert VisitGoods.objects.filter(condition="dijual").count() == 2
    # the same file again adds nothing: each month is recorded once, and the rows passed over are named
    response = _upload(client, book)
    assert response.status_code == 302 and Visit.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "2 baris dilewati karena kunjungannya sudah tersimpan" in page
    assert f"baris {HEADER_ROW + 1}: Kunjungan bulan ke-3" in page


def test_a_row_already_saved_is_passed_over_and_the_others_are_saved(client, due):
    """As proposal uploads do: one visit recorded on the form meanwhile does not refuse the whole workbook."""
    client.force_login(OperatorFactory())
    book = _download(client)
    sheet = book["Kunjungan"]
    lines = due[0].lines.count()
    rows = {sheet[f"A{r}"].value: r for r in (HEADER_ROW + 1, HEADER_ROW + 2)}
    for row in rows.values():
        _fill(sheet, row)
        _conditions(sheet, row, *["Dipakai"] * lines)
    from monitoring.services import visit_record

    visit_record(
        handover=due[0],
        data={"due_month": 3, "visited_on": _days_ago(2), "visitor_name": "Rina", "mode": "kunjungan",
              "business_status": "berjalan", "turnover": 1_000_000, "net_income": 300_000, "workers": 1},
        goods={line.pk: "dipakai" for line in due[0].lines.all()},
        actor=None,
    )  # fmt: skip
    response = _upload(client, book)
    assert response.status_code == 302
    assert set(Visit.objects.values_list("handover_id", flat=True)) == {due[0].pk, due[1].pk}
    page = client.get(response["Location"]).content.decode()
    assert "1 kunjungan dari berkas dicatat." in page
    assert f"1 baris dilewati karena kunjungannya sudah tersimpan: baris {rows[f'{due[0].pk}-3']}" in page
    assert due[0].number in page


def test_one_wrong_row_saves_nothing_and_says_where(client, due, balikpapan):
    client.force_login(OperatorFactory())
    book = _download(client)
    sheet = book["Kunjungan"]
    columns = _columns(sheet)
    lines = due[0].lines.count()
    _fill(sheet, HEADER_ROW + 1)
    _conditions(sheet, HEADER_ROW + 1, *["Dipakai"] * lines)
    _fill(sheet, HEADER_ROW + 2, **{"Status Usaha": "Maju pesat", "Tanggal Kunjungan": "31-02-2025"})
    _conditions(sheet, HEADER_ROW + 2, "Dipakai")  # the other goods left empty
    other = deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(90))
    sheet[f"A{HEADER_ROW + 3}"] = f"{other.pk}-3"  # another regency's recipient
    _fill(sheet, HEADER_ROW + 3)
    response = _upload(client, book)
    assert response.status_code == 200 and not Visit.objects.exists()
    problems = {(p["row"], p["column"], p["message"].split(":")[0]) for p in response.context["problems"]}
    assert (HEADER_ROW + 2, columns["Status Usaha"], "“Maju pesat” tidak ada dalam pilihan") in problems
    assert (HEADER_ROW + 2, columns["Tanggal Kunjungan"], "“31-02-2025” bukan tanggal (tulis DD-MM-YYYY).") in problems
    assert (HEADER_ROW + 3, "A", "Kode tidak dikenal atau bukan penerima di wilayah Anda.") in problems
    marked = client.get(reverse("monitoring:worklist_marked"))
    book = load_workbook(io.BytesIO(b"".join(marked.streaming_content)))
    cell = book["Kunjungan"][f"{columns['Status Usaha']}{HEADER_ROW + 2}"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and "Maju pesat" in cell.comment.text


def test_what_is_not_the_worklist_is_refused(client, due):
    client.force_login(OperatorFactory())
    response = client.post(
        reverse("monitoring:worklist_upload"), {"tahun": 2024, "file": SimpleUploadedFile("x.xlsx", b"bukan excel")}
    )
    assert response.status_code == 200 and "upload-refused" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_text_that_starts_like_a_formula_is_written_as_text(client, due):
    """An address saved as '=HYPERLINK(…)' through the form comes out as text, never a live formula."""
    person = due[0].allocation.item.person
    person.address = '=HYPERLINK("http://contoh.invalid","Klik")'
    person.save(update_fields=["address"])
    client.force_login(OperatorFactory())
    sheet = _download(client)["Kunjungan"]
    addresses = [sheet[f"{_columns(sheet)['Alamat']}{r}"] for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
    cell = next(c for c in addresses if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"
    assert cell.value == "'" + person.address


def test_units_split_over_conditions_are_saved_and_a_wrong_sum_is_named_by_row_and_column(client, due):
    """Oven Gas, 3 units: "Dipakai 2, Rusak 1" in the count columns. A row whose counts do not add up to the
    quantity is refused at the line's first count column; a workbook downloaded before units were counted (one
    "Kondisi Barang n" per line) is still read, all the line's units in that condition."""
    for handover in due:
        line = handover.lines.first()
        line.quantity = 3
        line.save()
    client.force_login(OperatorFactory())
    book = _download(client)
    sheet = book["Kunjungan"]
    columns = _columns(sheet)
    lines = due[0].lines.count()
    rows = {sheet[f"A{r}"].value: r for r in (HEADER_ROW + 1, HEADER_ROW + 2)}
    row = rows[f"{due[0].pk}-3"]
    assert sheet[f"{columns['Jumlah Barang 1']}{row}"].value == 3
    _fill(sheet, row)
    _conditions(sheet, row, *["Dipakai"] * lines)
    sheet[f"{columns['Barang 1 Dipakai']}{row}"] = 2
    sheet[f"{columns['Barang 1 Rusak']}{row}"] = 1
    other = rows[f"{due[1].pk}-3"]
    _fill(sheet, other)
    _conditions(sheet, other, *["Dipakai"] * lines)
    sheet[f"{columns['Barang 1 Dipakai']}{other}"] = 2  # one oven not accounted for
    response = _upload(client, book)
    assert response.status_code == 200 and not Visit.objects.exists()
    [problem] = response.context["problems"]
    assert (problem["row"], problem["column"]) == (other, columns["Barang 1 Dipakai"])
    assert "jumlah per kondisi 2, padahal diserahkan 3" in problem["message"]
    sheet[f"{columns['Barang 1 Hilang']}{other}"] = 1
    assert _upload(client, book).status_code == 302
    first = due[0].lines.first()
    saved = VisitGoods.objects.filter(line=first).values_list("condition", "quantity")
    assert sorted(saved) == [("dipakai", 2), ("rusak", 1)]
    assert Visit.objects.get(handover=due[1]).goods_lost == 1

    # a workbook of before: "Kondisi Barang n" for all the units of line n
    Visit.objects.all().delete()
    old = load_workbook(io.BytesIO(_saved(book)))
    sheet = old["Kunjungan"]
    for n in range(1, lines + 1):
        start = sheet[f"{columns[f'Barang {n} Dipakai']}{HEADER_ROW}"].column
        sheet.delete_cols(start, 5)
        sheet.insert_cols(start)
        sheet.cell(row=HEADER_ROW, column=start, value=f"Kondisi Barang {n}")
        columns = _columns(sheet)
        for r in rows.values():
            sheet.cell(row=r, column=start, value="Rusak" if n == 1 else "Dipakai")
    assert _upload(client, old).status_code == 302
    assert sorted(VisitGoods.objects.filter(line=first).values_list("condition", "quantity")) == [("rusak", 3)]


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
