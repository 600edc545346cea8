"""Restriction and deletion at a person's request: restricted, she cannot be proposed until it is lifted; erased, she
is "Penerima terhapus #n" everywhere while every total stays; refused, with until when, while her BAST must be kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from beneficiaries.models import Person
from privacy.models import SubjectRequest
from proposals.checks import compute
from reports.selectors import recap
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, OperatorFactory, ProposalItemFactory
from tests.monitoring.conftest import deliver

pytestmark = pytest.mark.django_db


def _request(person, kind):
    return SubjectRequest.objects.create(
        person=person, regency=person.regency, kind=kind, received_at=timezone.now(), requester_name=person.full_name,
        identity_check="KTP asli", description="…", recorded_by=AdminProvinsiFactory(),
    )  # fmt: skip


def test_a_restricted_person_cannot_be_proposed_until_it_is_lifted(client):
    item = ProposalItemFactory()
    request = _request(item.person, "pembatasan")
    client.force_login(AdminProvinsiFactory())
    client.post(reverse("privacy:person_restrict", args=[request.pk]))
    item.person.refresh_from_db()
    assert ("privacy", "error") in {(c["code"], c["level"]) for c in compute([item], item.proposal.budget_year)[0]}
    client.post(reverse("privacy:person_restrict", args=[request.pk]), {"cabut": "1"})
    item.person.refresh_from_db()
    assert "privacy" not in {c["code"] for c in compute([item], item.proposal.budget_year)[0]}
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="person.").order_by("pk")][-2:] == [
        "person.restrict", "person.unrestrict"
    ]  # fmt: skip


def test_an_erased_recipient_leaves_every_total_and_no_trace_of_her(client, settings):
    settings.ERASE_AFTER_YEARS = 1  # her BAST of 2024 need not be kept past 2025
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 8, 1))
    person = handover.allocation.item.person
    name, nik, kk, address = person.full_name, person.nik, person.kk_number, person.address
    admin = AdminProvinsiFactory()
    totals = recap(user=admin, budget_year=handover.budget_year).total()
    request = _request(person, "penghapusan")
    client.force_login(admin)
    client.post(reverse("privacy:person_erase", args=[request.pk]))
    person.refresh_from_db()
    assert person.full_name == f"Penerima terhapus #{person.pk}" and person.nik == f"00{person.pk:014d}"
    after = recap(user=admin, budget_year=handover.budget_year).total()
    assert (after.counts, after.realised, after.committed) == (totals.counts, totals.realised, totals.committed)
    pages = [person.get_absolute_url(), handover.get_absolute_url(), reverse("beneficiaries:person_list"),
             reverse("reports:exchange_export", args=["penerima"]) + "?tahun=2024&format=csv",
             reverse("beneficiaries:person_export")]  # fmt: skip
    for url in pages:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig", errors="replace")
        assert name not in text and nik not in text and kk not in text and (not address or address not in text), url
    assert f"Penerima terhapus #{person.pk}" in client.get(handover.get_absolute_url()).content.decode()
    assert not any(nik in str(event.before) + str(event.after) for event in AuditEvent.objects.all())
    assert AuditEvent.objects.filter(action="person.erase").exists()


def test_a_kube_members_erasure_waits_for_her_groups_bast_too():
    from privacy.erasure import keep_until
    from tests.monitoring.conftest import kube_item

    handover = deliver(kube_item(), program="KUBE", handed_over_on=datetime.date(2024, 8, 2))
    member = handover.allocation.item.group.members.order_by("pk").last().person
    assert keep_until(member) == 2024 + 10


def test_refused_with_until_when_while_her_bast_is_a_financial_record(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 8, 1))
    person = handover.allocation.item.person
    request = _request(person, "penghapusan")
    client.force_login(AdminProvinsiFactory())
    page = client.post(reverse("privacy:person_erase", args=[request.pk]), follow=True).content.decode()
    assert "Tidak dapat dihapus sebelum akhir 2034" in page
    assert Person.objects.get(pk=person.pk).full_name == person.full_name
    client.force_login(OperatorFactory())
    assert client.post(reverse("privacy:person_erase", args=[request.pk])).status_code == 403


def _text(response) -> str:
    """Every cell of an .xlsx response, or the text of any other."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    return body.decode("utf-8-sig", errors="replace")


def test_a_restricted_recipient_is_in_every_count_but_no_list_export_or_field_page_names_her(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2026, 8, 1))
    person = handover.allocation.item.person
    name, nik = person.full_name, person.nik
    admin = AdminProvinsiFactory()
    client.force_login(admin)
    year = f"?tahun={handover.budget_year.year}"
    monev = f"{year}&status=semua&kabupaten={handover.allocation.item.proposal.regency.code}"
    pages = [reverse("beneficiaries:person_export"), reverse("reports:bnba_export", args=["WRSE"]) + year,
             reverse("reports:exchange_export", args=["penerima"]) + year + "&format=csv",
             reverse("reports:attendance_export") + year, reverse("disbursements:allocation_export") + year,
             reverse("monitoring:worklist") + monev, reverse("fieldwork:handover", args=[handover.pk]),
             reverse("monitoring:worklist_export") + monev]  # fmt: skip
    before = {url: _text(client.get(url)) for url in pages}
    assert all(name in text for text in before.values()), [url for url, text in before.items() if name not in text]
    totals = recap(user=admin, budget_year=handover.budget_year).total()
    client.post(reverse("privacy:person_restrict", args=[_request(person, "pembatasan").pk]))
    for url in pages:
        text = _text(client.get(url))
        assert name not in text and nik[6:] not in text, url
        assert "Data dibatasi" in text, url  # her row stays, as the counts do
    after = recap(user=admin, budget_year=handover.budget_year).total()
    assert (after.counts, after.realised, after.committed) == (totals.counts, totals.realised, totals.committed)


def complaint(**data):
    from complaints.services import complaint_record
    from regions.models import Regency

    return complaint_record(data={
        "received_on": datetime.date(2026, 11, 27), "channel": "whatsapp", "complainant_name": "Pak Rahman",
        "complainant_contact": "081234567890", "category": "belum_diterima", "complexity": "cek_lapangan",
        "regency": Regency.objects.get(code="64.72"), **data}, actor=None)  # fmt: skip


def test_an_erasure_rewrites_the_complaints_that_name_her(settings):
    from complaints.models import Complaint, ComplaintStep
    from privacy.erasure import anonymise

    ComplaintFactory = complaint  # noqa: N806

    person = ProposalItemFactory().person
    name, nik = person.full_name, person.nik
    about = ComplaintFactory(person=person, description=f"Bantuan untuk {name.title()} belum sampai.",
                             complainant_name=name.lower(), complainant_contact="0812000111")  # fmt: skip
    naming = ComplaintFactory(description=f"Tetangga saya, {name}, NIK {nik}, tidak layak.")
    ComplaintStep.objects.create(complaint=naming, status="ditindaklanjuti", note=f"Dicek: {name.upper()} ada.")
    other = ComplaintFactory(description="Barang rusak.")
    person, _ = anonymise(person)
    placeholder = f"Penerima terhapus #{person.pk}"
    about.refresh_from_db(), naming.refresh_from_db(), other.refresh_from_db()
    assert about.description == f"Bantuan untuk {placeholder} belum sampai."
    assert (about.complainant_name, about.complainant_contact) == (placeholder, "")
    assert naming.description == f"Tetangga saya, {placeholder}, NIK {person.nik}, tidak layak."
    assert naming.steps.get().note == f"Dicek: {placeholder} ada." and other.description == "Barang rusak."
    texts = " ".join(f"{c.description} {c.complainant_name}" for c in Complaint.objects.all()).lower()
    assert name.lower() not in texts and nik not in texts
