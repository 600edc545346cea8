"""A NIK typed inside free text (a complaint's description, a visit's note, an audit record) reaches Pimpinan and
Auditor masked, written with spaces, dots or dashes or not; an officer who works with NIKs sees it whole."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from complaints.models import Complaint
from complaints.services import complaint_record
from core.formatting import mask_numbers_in_text
from tests.factories import AuditorFactory, OperatorFactory, PimpinanFactory

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
