"""A NIK typed inside free text (a complaint's description, a visit's note, an audit record) reaches Pimpinan and
Auditor masked, written with spaces, dots or dashes or not; an officer who works with NIKs sees it whole."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from complaints.models import Complaint
from complaints.services import complaint_record
from core.formatting import mask_numbers_in_text
from tests.factories import AdminProvinsiFactory, AuditorFactory, OperatorFactory, PimpinanFactory, ProposalItemFactory

pytestmark = pytest.mark.django_db
WRITTEN = ["6472025708450001", "6472 0257 0845 0001", "6472.0257.0845.0001", "6472-0257-0845-0001"]


def test_sixteen_digit_runs_in_text_are_masked_and_other_numbers_kept():
    for written in WRITTEN:
        assert mask_numbers_in_text(f"NIK {written}, ibu Sari") == "NIK 647202**********, ibu Sari"
    kept = (
        "Rp6.500.000.000 untuk 1.250 penerima; telp 081234567890; BAST/WRSE/64.72/2026/0001; 17 digit 12345678901234567"
    )
    assert mask_numbers_in_text(kept) == kept


@pytest.mark.parametrize("factory", [PimpinanFactory, AuditorFactory])
def test_a_nik_in_a_complaint_and_the_audit_log_is_masked_for_read_only_roles(client, samarinda, factory):
    description = "Ibu Sari (" + " / ".join(WRITTEN) + ") belum menerima mesin jahit."
    complaint = complaint_record(
        data={"received_on": datetime.date(2026, 12, 1), "channel": "telepon", "category": "barang",
              "regency": samarinda, "description": description, "anonymous": True},
        actor=None,
    )  # fmt: skip
    client.force_login(factory())
    detail = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert detail.status_code == 200 and detail.content.decode().count("647202**********") == len(WRITTEN)
    for url in (detail.request["PATH_INFO"], reverse("complaints:complaint_list"), reverse("audit:event_list")):
        page = client.get(url).content.decode()
        assert not any(written in page for written in WRITTEN), url
    assert AuditEvent.objects.filter(action="complaint.create").exists()  # the log page had it to show
    client.force_login(OperatorFactory())  # works with NIKs: sees what was written
    page = client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    assert "6472 0257 0845 0001" in page
    assert Complaint.objects.count() == 1


def _workbook_text(response) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)


@pytest.mark.parametrize("factory, whole", [(PimpinanFactory, False), (AuditorFactory, False),
                                            (AdminProvinsiFactory, True)])  # fmt: skip
def test_a_nik_in_the_free_text_of_an_export_is_masked_for_read_only_roles(client, factory, whole):
    """The verification workbook carries the officer's reason and the checks' messages, typed or made from another
    person's data: the NIKs in them are masked like the NIK column, for Pimpinan and Auditor."""
    item = ProposalItemFactory(reason="Ganda dengan NIK 6472 0257 0845 0001 di Balikpapan")
    client.force_login(factory())
    response = client.get(reverse("reports:verification_export"), {"tahun": item.proposal.budget_year.year})
    assert response.status_code == 200
    text = _workbook_text(response)
    assert "Ganda dengan NIK" in text
    assert ("6472 0257 0845 0001" in text) is whole
    assert (item.person.nik in text) is whole  # the NIK column, masked by its own rule
    if not whole:
        assert "Ganda dengan NIK 647202********** di Balikpapan" in text


def test_the_writer_masks_free_text_unless_told_the_reader_may_see_whole_numbers():
    from core.excel import Column, ReportWriter

    columns = [Column("NIK", 19, "identity"), Column("Catatan", 30)]
    # what the row holds: read back from the saved file
    from io import BytesIO

    from openpyxl import load_workbook

    writer = ReportWriter("Uji", columns, filters=[("Cari", "6472025708450001")])
    writer.append(["6472025708450001", "lihat NIK 6472025708450001"])
    target = BytesIO()
    writer.save(target)
    rows = [r for r in load_workbook(BytesIO(target.getvalue())).active.iter_rows(values_only=True)]
    assert rows[-1] == ("6472025708450001", "lihat NIK 647202**********")  # identity column as the caller gave it
    assert "Filter: Cari: 647202**********" in [r[0] for r in rows]


def test_pages_that_can_be_taken_along_to_a_phone_mask_numbers_for_every_role(client):
    """ASVS 14.3.3: the field pages go into the phone's Cache Storage, so no whole NIK or KK may be in them, even for
    the officer who may see it whole on the desktop pages."""
    from tests.factories import ApprovedItemFactory
    from tests.monitoring.conftest import deliver

    item = ApprovedItemFactory()
    item.person.full_name = "Sari (KK lama 6472 0257 0845 0009)"  # typed into the name by mistake
    item.person.save(update_fields=["full_name"])
    handover = deliver(item)
    client.force_login(OperatorFactory())
    desktop = client.get(item.person.get_absolute_url()).content.decode()
    assert "6472 0257 0845 0009" in desktop  # the officer may see it on her desktop pages
    for url in (
        reverse("fieldwork:handover", args=[handover.pk]),
        reverse("monitoring:visit_create", args=[handover.pk]),
    ):
        page = client.get(url, {"lapangan": 1}).content.decode()
        assert "Sari (KK lama" in page, url
        assert "6472 0257 0845 0009" not in page and "647202**********" in page, url
