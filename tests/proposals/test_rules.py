"""One rule set: the upload preview judges each row as a saved proposal item is judged, and the officer may save
the right rows of a file that has wrong ones."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.identity import make_nik
from proposals import imports, services
from proposals.models import ProposalItem, Upload
from tests.factories import OperatorFactory, PersonFactory, ProposalFactory
from tests.proposals.workbooks import build, read_back, wrse_row

pytestmark = pytest.mark.django_db

MAN_BORN = datetime.date(1980, 5, 5)
OLD_BORN = datetime.date(1959, 6, 1)  # 64 on 1 January 2024
YOUNG_BORN = datetime.date(2008, 6, 1)  # 15 on 1 January 2024


def _rows():
    """Excel rows 2–6: right, a man, 64 years old, 15 years old, right."""
    return [
        wrse_row(1),
        wrse_row(2, NIK=make_nik("647203", MAN_BORN, "L", 6002), born=MAN_BORN),
        wrse_row(3, born=OLD_BORN),
        wrse_row(4, born=YOUNG_BORN),
        wrse_row(5),
    ]


def _errors(upload):
    return sorted((p["row"], p["column"], p["header"], p["message"]) for p in upload.errors)


def _check(proposal, rows):
    return imports.upload_check(proposal=proposal, data=build(rows), filename="usulan.xlsx", actor=OperatorFactory())


def test_the_preview_flags_a_man_and_ages_outside_the_bounds_with_row_column_and_reason():
    upload = _check(ProposalFactory(), _rows())
    assert _errors(upload) == [
        (3, "A", "NIK", "WRSE hanya untuk perempuan."),
        (4, "E", "Tanggal Lahir", "Usia 64 tahun pada 1 Januari 2024; WRSE untuk usia 18–59 tahun."),
        (5, "E", "Tanggal Lahir", "Usia 15 tahun pada 1 Januari 2024; WRSE untuk usia 18–59 tahun."),
    ]
    assert upload.summary["valid_rows"] == 2 and upload.summary["rows"] == 5

    with upload.file.open("rb") as handle:
        from proposals.workbook.errors import mark_problems

        marked = read_back(mark_problems(handle.read(), upload.problems))["Data"]
    for cell, text in (("A3", "WRSE hanya untuk perempuan."), ("E4", "Usia 64 tahun"), ("E5", "Usia 15 tahun")):
        assert marked[cell].fill.fgColor.rgb.endswith("FFC7CE") and text in marked[cell].comment.text
    assert marked["A2"].comment is None and marked["E6"].comment is None


def test_the_preview_and_a_saved_item_reach_the_same_verdicts():
    """The same people judged twice: once as workbook rows (the preview), once as registry people added to a
    proposal (the saved item's checks). The errors and warnings of `person_checks` must agree."""
    rows = _rows()
    upload = _check(ProposalFactory(), rows)
    preview = {p["row"]: set() for p in upload.problems}
    for p in upload.problems:
        preview[p["row"]].add((p["level"], p["message"]))

    people = [
        PersonFactory(nik=row["NIK"], birth_date=row["Tanggal Lahir"], sex="L" if n == 1 else "P", dtks_id="D")
        for n, row in enumerate(rows)
    ]
    for number, person in enumerate(people, start=2):
        [item] = services.proposal_add_people(proposal=ProposalFactory(), people=[person], actor=None)
        stored = {(c["level"], c["message"]) for c in item.checks if c["code"] not in ("shared_kk",)}
        assert {v for v in stored if v[0] == "error"} == {v for v in preview.get(number, set()) if v[0] == "error"}
        assert item.has_errors == (number in (3, 4, 5))
        ProposalItem.objects.filter(pk=item.pk).delete()


def test_save_the_right_rows_then_the_fixed_ones_without_duplicates():
    proposal = ProposalFactory()
    operator = OperatorFactory()
    upload = _check(proposal, _rows())
    result = imports.upload_commit(upload=upload, actor=operator, valid_only=True)
    assert result["new_items"] == 2 and result["skipped"] == 3
    assert sorted(proposal.items.values_list("source_row", flat=True)) == [2, 6]

    fixed = _rows()
    fixed[1:4] = [wrse_row(12), wrse_row(13), wrse_row(14)]  # the officer corrects the three rows
    again = _check(proposal, fixed)
    assert again.errors == [] and again.summary["already_in_proposal"] == 2
    assert imports.upload_commit(upload=again, actor=operator)["new_items"] == 3
    assert proposal.items.count() == 5


def test_without_the_explicit_choice_a_file_with_errors_saves_nothing():
    proposal = ProposalFactory()
    upload = _check(proposal, _rows())
    with pytest.raises(imports.ImportProblems):
        imports.upload_commit(upload=upload, actor=None)
    assert not proposal.items.exists()


def test_a_file_without_a_required_column_saves_nothing_even_when_asked_for_the_right_rows():
    proposal = ProposalFactory()
    rows = [{k: v for k, v in row.items() if k != "Tanggal Lahir"} for row in _rows()]
    headers = [h for h in build.__defaults__[0] if h != "Tanggal Lahir"]
    upload = imports.upload_check(
        proposal=proposal, data=build(rows, headers), filename="usulan.xlsx", actor=OperatorFactory()
    )
    assert upload.summary["valid_rows"] == 0
    with pytest.raises(imports.ImportProblems):
        imports.upload_commit(upload=upload, actor=None, valid_only=True)
    assert not proposal.items.exists()


def test_the_officer_chooses_to_save_the_right_rows_on_the_preview_page(client):
    proposal = ProposalFactory()
    client.force_login(OperatorFactory())
    page = client.post(
        reverse("proposals:upload_create", args=[proposal.pk]),
        {"workbook": SimpleUploadedFile("daftar.xlsx", build(_rows()))},
        follow=True,
    ).content.decode()
    assert "3 kesalahan." in page and "2 dari 5 baris benar." in page
    assert "Simpan 2 baris yang benar" in page and "Simpan ke usulan" not in page
    assert "WRSE hanya untuk perempuan." in page and "Usia 15 tahun pada 1 Januari 2024" in page
    upload = Upload.objects.get(proposal=proposal)
    page = client.post(
        reverse("proposals:upload_commit", args=[proposal.pk, upload.pk]), {"baris": "benar"}, follow=True
    ).content.decode()
    assert "3 baris yang salah tidak disimpan" in page
    assert proposal.items.count() == 2
