import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEvent
from beneficiaries.models import KubeGroup, Person
from proposals import imports
from proposals.models import ProposalItem, Upload
from proposals.workbook.reader import WorkbookRefused
from proposals.workbook.template import build_template
from tests.factories import OperatorFactory, PersonFactory, ProposalFactory
from tests.proposals.workbooks import KUBE_HEADERS, WRSE_HEADERS, build, kube_rows, read_back, wrse_row

pytestmark = pytest.mark.django_db


def _check(proposal, data, actor=None):
    return imports.upload_check(proposal=proposal, data=data, filename="usulan.xlsx", actor=actor or OperatorFactory())


def _messages(upload):
    return [(p["row"], p["column"], p["message"]) for p in upload.problems]


# Template ------------------------------------------------------------------------------------------


def test_template_has_the_columns_text_formats_dropdowns_and_instructions(samarinda):
    workbook = read_back(build_template(program="WRSE", regency=samarinda))
    assert workbook.sheetnames == ["Data", "Petunjuk", "Referensi"]
    data = workbook["Data"]
    assert [c.value for c in data[1]] == WRSE_HEADERS
    assert data["A3"].number_format == "@" and data["B3"].number_format == "@"  # NIK, No KK as text
    validations = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert validations["J2:J2001"].startswith("'Referensi'!$A$2")  # Kecamatan
    kecamatan = [c.value for c in workbook["Referensi"]["A"][1:] if c.value]
    assert sorted(kecamatan) == sorted(d.name for d in samarinda.districts.all())
    assert "15 digit" in " ".join(str(c.value) for c in workbook["Petunjuk"]["A"] if c.value)


def test_kube_template(samarinda):
    workbook = read_back(build_template(program="KUBE", regency=samarinda))
    assert [c.value for c in workbook["Data"][1]] == KUBE_HEADERS


def test_the_example_row_of_the_template_is_not_imported(samarinda):
    proposal = ProposalFactory()
    upload = _check(proposal, build_template(program="WRSE", regency=samarinda))
    assert (
        upload.problems
        == [{"row": None, "column": "", "header": "", "message": "Tidak ada baris data di bawah judul kolom."}]
        or upload.row_count == 0
    )


# A clean upload, twice -----------------------------------------------------------------------------


def test_clean_upload_commits_everything_and_again_nothing():
    proposal = ProposalFactory()
    operator = OperatorFactory()
    data = build([wrse_row(i) for i in range(1, 6)])
    upload = _check(proposal, data, operator)
    assert upload.problems == [] and upload.summary["new_people"] == 5
    assert not Person.objects.exists()  # checking writes nothing but the upload's own record
    assert AuditEvent.objects.get(action="proposal.upload").after == {
        "proposal": proposal.pk,
        "file": "usulan.xlsx",
        "rows": 5,
        "problems": 0,
        "warnings": 0,
    }
    result = imports.upload_commit(upload=upload, actor=operator)
    assert result == {"rows": 5, "new_people": 5, "updated_people": 0, "new_items": 5, "groups": 0, "skipped": 0}
    assert proposal.items.count() == 5
    person = Person.objects.get(full_name="Warga Perempuan 1")
    assert (person.phone, person.rt, person.regency_id, person.village.name) == ("081234567890", "003", "64.72", "Jawa")
    assert AuditEvent.objects.filter(action="person.create").count() == 5
    assert AuditEvent.objects.filter(action="proposal_item.create").count() == 5

    again = _check(proposal, data, operator)
    assert again.summary["already_in_proposal"] == 5
    assert imports.upload_commit(upload=again, actor=operator)["new_items"] == 0
    assert Person.objects.count() == 5 and proposal.items.count() == 5
    assert AuditEvent.objects.filter(action="person.update").count() == 0


def test_changed_data_updates_the_registry_with_an_audit_event():
    proposal = ProposalFactory()
    imports.import_workbook(proposal=proposal, data=build([wrse_row(1)]), actor=None)
    imports.import_workbook(proposal=proposal, data=build([wrse_row(1, **{"Alamat": "Jl. Baru 9"})]), actor=None)
    assert Person.objects.get().address == "Jl. Baru 9"
    event = AuditEvent.objects.get(action="person.update")
    assert ("address", "Jl. Pahlawan No. 1", "Jl. Baru 9") in event.changed_fields


def test_headers_in_any_order_and_case_and_extra_columns():
    headers = [
        "  nama lengkap ",
        "nik",
        "NO KK",
        "Kolom Saya",
        *[h for h in WRSE_HEADERS if h not in ("NIK", "No KK", "Nama Lengkap")],
    ]
    rows = [
        {
            **wrse_row(1),
            "  nama lengkap ": "Siti",
            "nik": wrse_row(1)["NIK"],
            "NO KK": wrse_row(1)["No KK"],
            "Kolom Saya": "x",
        }
    ]
    upload = _check(ProposalFactory(), build(rows, headers))
    assert upload.problems == []


# Row problems ------------------------------------------------------------------------------------


def test_nik_stored_as_a_number_is_rejected_and_explained():
    row = wrse_row(1)
    row["NIK"] = int(row["NIK"][:15] + "0")  # what Excel keeps of a typed 16-digit number
    upload = _check(ProposalFactory(), build([row]))
    [(number, column, message)] = _messages(upload)
    assert (number, column) == (2, "A")
    assert "tersimpan sebagai angka" in message and "15 digit" in message


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"NIK": "12345"}, "A", "NIK harus 16 digit (tertulis 5 digit)."),
        ({"No KK": "6472"}, "B", "No. KK harus 16 digit (tertulis 4 digit)."),
        ({"Nama Lengkap": ""}, "C", "Nama Lengkap wajib diisi."),
        ({"Tanggal Lahir": "31-02-1980"}, "E", "Tanggal Lahir tidak dikenali: tulis HH-BB-TTTT, misalnya 17-08-1985."),
        ({"Status Perkawinan": "Janda"}, "F", "Status Perkawinan “Janda” tidak ada dalam daftar."),
        ({"Kecamatan": "Sungai Kunjang Raya"}, "J", "Kecamatan “Sungai Kunjang Raya” tidak ada dalam daftar."),
        ({"Desa/Kelurahan": "Rawa Makmur"}, "K", "Desa/Kelurahan “Rawa Makmur” tidak ada di Kecamatan Samarinda Ulu."),
        ({"No HP": "12"}, "L", "Nomor HP tidak valid: tulis seperti 081234567890 atau +6281234567890."),
        ({"Desil": 11}, "O", "Desil harus 1 sampai 10."),
    ],
)
def test_row_problems_say_row_column_and_reason(changes, column, message):
    upload = _check(ProposalFactory(), build([wrse_row(1), wrse_row(2, **changes)]))
    assert _messages(upload) == [(3, column, message)]
    assert upload.problems[0]["header"] == WRSE_HEADERS[ord(column) - ord("A")]


def test_birth_date_must_agree_with_the_nik():
    row = wrse_row(1)
    row["Tanggal Lahir"] = "02/01/1980"
    upload = _check(ProposalFactory(), build([row]))
    [(number, column, message)] = _messages(upload)
    assert (number, column) == (2, "E") and message.startswith("Tanggal lahir tidak sesuai NIK")


def test_duplicate_nik_in_the_file():
    upload = _check(ProposalFactory(), build([wrse_row(1), wrse_row(2), wrse_row(1)]))
    assert _messages(upload) == [(4, "A", "NIK ini sudah ada di baris 2 berkas ini.")]


def test_nik_of_another_regency(balikpapan):
    other = PersonFactory(regency=balikpapan)
    row = wrse_row(1, NIK=other.nik, born=other.birth_date)
    upload = _check(ProposalFactory(), build([row]))
    assert "terdaftar di kabupaten/kota lain" in upload.problems[0]["message"]


def test_missing_and_duplicated_headers():
    headers = [h for h in WRSE_HEADERS if h != "No KK"]
    upload = _check(ProposalFactory(), build([wrse_row(1)], headers))
    assert [p["message"] for p in upload.problems] == ["Kolom wajib “No KK” tidak ditemukan."]
    upload = _check(ProposalFactory(), build([wrse_row(1)], [*WRSE_HEADERS, "nik"]))
    assert [p["message"] for p in upload.problems] == ["Kolom “NIK” muncul lebih dari sekali."]


def test_commit_is_all_or_nothing(monkeypatch):
    proposal = ProposalFactory()
    upload = _check(proposal, build([wrse_row(i) for i in range(1, 4)]))

    def explode(*args, **kwargs):
        raise RuntimeError("listrik padam")

    monkeypatch.setattr("proposals.imports.writing.Writer._wrse_items", explode)  # after the people are written
    with pytest.raises(RuntimeError):
        imports.upload_commit(upload=upload, actor=None)
    assert (
        not Person.objects.exists()
        and not ProposalItem.objects.exists()
        and not AuditEvent.objects.exclude(action="proposal.upload").exists()
    )
    assert Upload.objects.get().status == "checked"


# The file as a whole -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"NIK;Nama\n6472;Siti\n", "bukan file Excel .xlsx"),
        (b"PK\x03\x04 not really a zip", "rusak atau tidak lengkap"),
    ],
)
def test_not_an_xlsx_is_refused(data, message):
    with pytest.raises(WorkbookRefused, match=message):
        _check(ProposalFactory(), data)
    assert not Upload.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "halo")
    with pytest.raises(WorkbookRefused, match="bukan buku kerja Excel"):
        _check(ProposalFactory(), buffer.getvalue())


def test_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (210 * 1024 * 1024))
    with pytest.raises(WorkbookRefused, match="lebih dari 200 MB"):
        _check(ProposalFactory(), buffer.getvalue())


def test_size_limit(settings):
    settings.PROPOSAL_WORKBOOK_MAX_BYTES = 1000
    with pytest.raises(WorkbookRefused, match="terlalu besar"):
        _check(ProposalFactory(), build([wrse_row(1)]))


def test_row_limit(settings):
    settings.PROPOSAL_WORKBOOK_MAX_ROWS = 3
    upload = _check(ProposalFactory(), build([wrse_row(i) for i in range(1, 6)]))
    assert upload.problems[-1]["message"] == "Berkas berisi lebih dari 3 baris data; pecah menjadi beberapa berkas."


def test_formula_without_a_saved_result_is_reported():
    rows = [wrse_row(1), wrse_row(2)]
    rows[1]["Nama Lengkap"] = '=UPPER("siti")'  # openpyxl saves formulas without a cached result
    upload = _check(ProposalFactory(), build(rows))
    assert _messages(upload) == [(3, "C", "Sel berisi rumus tanpa hasil tersimpan; ketik nilainya langsung.")]


def test_trailing_empty_rows_are_skipped():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(WRSE_HEADERS)
    row = wrse_row(1)
    sheet.append([row[h] for h in WRSE_HEADERS])
    sheet.cell(row=50_000, column=1).number_format = "@"  # formatting far below, as LibreOffice leaves it
    sheet.cell(row=50_000, column=2, value="")
    output = io.BytesIO()
    workbook.save(output)
    upload = _check(ProposalFactory(), output.getvalue())
    assert upload.problems == [] and upload.row_count == 1


# The error workbook ------------------------------------------------------------------------------


def test_error_workbook_marks_the_bad_cells(client):
    proposal = ProposalFactory()
    operator = OperatorFactory()
    client.force_login(operator)
    rows = [wrse_row(1), wrse_row(2, **{"No KK": "123"}), wrse_row(3, **{"Desil": 0})]
    upload = _check(proposal, build(rows), operator)
    response = client.get(reverse("proposals:upload_errors", args=[proposal.pk, upload.pk]))
    sheet = read_back(response.content)["Data"]
    assert sheet["B3"].fill.fgColor.rgb.endswith("FFC7CE") and "No. KK harus 16 digit" in sheet["B3"].comment.text
    assert sheet["O4"].fill.fgColor.rgb.endswith("FFC7CE") and "Desil harus 1 sampai 10" in sheet["O4"].comment.text
    assert sheet["A2"].comment is None and sheet["B2"].fill.fgColor.rgb in (None, "00000000")
    assert sheet["C3"].value == "Warga Perempuan 2"  # the officer's own data is kept


# KUBE ----------------------------------------------------------------------------------------------


def test_kube_upload_creates_groups_members_and_items():
    proposal = ProposalFactory(program="KUBE")
    data = build(kube_rows("KUBE Bukuan Jaya", 1) + kube_rows("KUBE Palaran Maju", 10), KUBE_HEADERS)
    result = imports.import_workbook(proposal=proposal, data=data, actor=None)
    assert result["new_items"] == 2 and result["new_people"] == 10
    group = KubeGroup.objects.get(name="KUBE Bukuan Jaya")
    assert sorted(group.members.values_list("role", flat=True)) == [
        "anggota",
        "anggota",
        "bendahara",
        "ketua",
        "sekretaris",
    ]
    item = proposal.items.get(group=group)
    assert item.checks == [] or all(c["level"] == "warning" for c in item.checks)
    # the same file again: nothing new
    assert imports.import_workbook(proposal=proposal, data=data, actor=None)["new_items"] == 0
    assert KubeGroup.objects.count() == 2


def test_kube_group_needs_its_officers_and_size():
    proposal = ProposalFactory(program="KUBE")
    rows = kube_rows("KUBE Kurang", 1, roles=("Ketua", "Sekretaris", "Anggota", "Anggota"))
    upload = _check(proposal, build(rows, KUBE_HEADERS))
    messages = [p["message"] for p in upload.problems]
    assert "KUBE “KUBE Kurang”: Anggota baru 4 orang; minimal 5." in messages
    assert "KUBE “KUBE Kurang”: Belum ada bendahara." in messages


# Written by LibreOffice (tests/proposals/fixtures/make_fixtures.sh) --------------------------------

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def test_libreoffice_workbook_imports():
    proposal = ProposalFactory()
    data = (FIXTURES / "lo-wrse-valid.xlsx").read_bytes()
    upload = _check(proposal, data)
    assert upload.problems == []
    imports.upload_commit(upload=upload, actor=None)
    people = Person.objects.order_by("full_name")
    assert [p.full_name for p in people] == ["Rusmini LibreOffice 1", "Rusmini LibreOffice 2", "Rusmini LibreOffice 3"]
    assert people[0].birth_date.isoformat() == "1981-05-03" and people[0].village.name == "Air Putih"


def test_libreoffice_csv_conversion_with_numeric_niks_is_rejected():
    upload = _check(ProposalFactory(), (FIXTURES / "lo-wrse-nik-as-number.xlsx").read_bytes())
    by_column = {}
    for problem in upload.problems:
        by_column.setdefault(problem["column"], []).append(problem["row"])
    assert by_column == {"A": [2, 3, 4], "B": [2, 3, 4]}
    assert all("15 digit" in p["message"] for p in upload.problems)


def test_start_up_refuses_without_the_xml_defences(monkeypatch):
    import openpyxl

    from proposals.apps import xml_defences

    assert xml_defences(None) == []
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    assert [error.id for error in xml_defences(None)] == ["proposals.E001"]
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", True)
    monkeypatch.setattr(openpyxl, "LXML", True)
    assert [error.id for error in xml_defences(None)] == ["proposals.E001"]


# Large files are worked through in chunks -----------------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr("proposals.imports.CHUNK_ROWS", 2)


@pytest.mark.usefixtures("small_chunks")
def test_a_bad_row_in_a_later_chunk_writes_nothing():
    proposal = ProposalFactory()
    rows = [wrse_row(i) for i in range(1, 6)] + [wrse_row(6, **{"No KK": "1"})]
    with pytest.raises(imports.ImportProblems) as error:
        imports.import_workbook(proposal=proposal, data=build(rows), actor=None)
    assert [p["row"] for p in error.value.problems] == [7]
    assert not Person.objects.exists() and not ProposalItem.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.usefixtures("small_chunks")
def test_checks_across_chunks():
    proposal = ProposalFactory()
    rows = [wrse_row(i) for i in range(1, 6)]
    rows[4]["No KK"] = rows[0]["No KK"]  # the first and the last share a family card, chunks apart
    result = imports.import_workbook(proposal=proposal, data=build(rows), actor=None)
    assert result == {"rows": 5, "new_people": 5, "updated_people": 0, "new_items": 5, "groups": 0, "skipped": 0}
    flagged = sorted(
        i.person.full_name for i in proposal.items.all() if any(c["code"] == "shared_kk" for c in i.checks)
    )
    assert flagged == ["Warga Perempuan 1", "Warga Perempuan 5"]
    duplicate = build([wrse_row(7), wrse_row(8), wrse_row(9), wrse_row(7)])
    upload = _check(proposal, duplicate)
    assert [(p["row"], p["message"]) for p in upload.problems] == [(5, "NIK ini sudah ada di baris 2 berkas ini.")]
    assert AuditEvent.objects.filter(action="person.create").count() == 5
    event = AuditEvent.objects.filter(action="person.create").first()
    person = Person.objects.get(pk=event.object_id)
    from audit.services import snapshot

    assert event.after == snapshot(person)  # the COPY path records what the model path would


@pytest.mark.usefixtures("small_chunks")
def test_a_family_card_shared_with_the_chunk_before_is_flagged_on_a_row_with_another_warning():
    """Chunk 2's family-card check must see chunk 1's people, whose rows may still be on their way to the server
    (they are sent while chunk 2's rows are built); finish() would not catch it, as the row has a warning already."""
    proposal = ProposalFactory()
    rows = [wrse_row(i) for i in range(1, 6)]
    rows[2]["No KK"] = rows[1]["No KK"]  # rows 3 and 4 of the sheet, in chunks 1 and 2
    rows[2]["ID DTKS/DTSEN"] = ""  # a warning of its own
    imports.import_workbook(proposal=proposal, data=build(rows), actor=None)
    codes = {i.person.full_name: {c["code"] for c in i.checks} for i in proposal.items.select_related("person")}
    assert codes["Warga Perempuan 3"] == {"dtks", "shared_kk"} and codes["Warga Perempuan 2"] == {"shared_kk"}
