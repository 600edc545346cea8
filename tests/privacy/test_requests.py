"""A person's request under UU 27/2022: recorded by the officer who receives it (her regency's people only), answered
within 3×24 hours by the Petugas Pelindungan Data, who hands over the person's whole file and processing trail;
everything audited and scoped."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from beneficiaries.services import person_nik_viewed
from privacy.models import Status, SubjectRequest
from privacy.selectors import hours_left
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    AuditorFactory,
    BudgetYearFactory,
    OperatorFactory,
    PersonFactory,
    VerifikatorFactory,
)
from tests.monitoring.conftest import deliver

pytestmark = pytest.mark.django_db


def _data(person, **more):
    received = timezone.localtime() - datetime.timedelta(hours=2)
    return {"nik": person.nik, "kind": "akses", "channel": "loket", "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "requester_name": person.full_name, "identity_check": "KTP asli dicocokkan",
            "description": "Meminta salinan seluruh data saya.", **more}  # fmt: skip


def test_the_officer_records_a_request_with_its_3x24_hour_deadline(client):
    person = PersonFactory()
    client.force_login(OperatorFactory())
    response = client.post(reverse("privacy:request_create"), _data(person))
    request = SubjectRequest.objects.get()
    assert response.status_code == 302 and request.person == person and request.regency_id == "64.72"
    assert request.due_at == request.received_at + datetime.timedelta(hours=72)
    assert 69 <= hours_left(request) <= 70
    assert AuditEvent.objects.get(action="subject_request.create").after["kind"] == "akses"
    listing = client.get(reverse("privacy:request_list")).content.decode()
    assert person.full_name in listing and "jam lagi" in listing


def test_an_officer_cannot_record_or_see_another_regencys_people(client, balikpapan):
    elsewhere = PersonFactory(regency=balikpapan)
    client.force_login(OperatorFactory())
    page = client.post(reverse("privacy:request_create"), _data(elsewhere))
    assert page.status_code == 200 and "tidak ada di data penduduk yang dapat Anda lihat" in page.content.decode()
    assert not SubjectRequest.objects.exists()
    client.force_login(OperatorFactory(regency=balikpapan))
    client.post(reverse("privacy:request_create"), _data(elsewhere))
    request = SubjectRequest.objects.get()
    client.force_login(OperatorFactory())
    assert client.get(request.get_absolute_url()).status_code == 404


def test_the_persons_file_holds_every_record_and_the_processing_trail(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 8, 1))
    person = handover.allocation.item.person
    viewer = VerifikatorFactory(first_name="Budi", last_name="Santoso")
    person_nik_viewed(person=person, actor=viewer)
    officer = OperatorFactory()
    client.force_login(officer)
    client.post(reverse("privacy:request_create"), _data(person))
    request = SubjectRequest.objects.get()
    assert client.get(reverse("privacy:request_file", args=[request.pk])).status_code == 403  # the DPO hands it over
    dpo = AdminProvinsiFactory()
    client.force_login(dpo)
    response = client.get(reverse("privacy:request_file", args=[request.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert {"Data Pribadi", "Usulan", "Alokasi", "BAST", "Bimtek", "Kunjungan Monev", "Pengaduan", "DTSEN",
            "Jejak Pemrosesan"} <= set(book.sheetnames)  # fmt: skip
    cells = {sheet: [[c for c in row if c is not None] for row in book[sheet].iter_rows(min_row=7, values_only=True)]
             for sheet in book.sheetnames}  # fmt: skip
    assert ["NIK", person.nik] in cells["Data Pribadi"]  # whole: the file is for the person
    assert any(handover.number in row for row in cells["BAST"])
    assert cells["Bimtek"] and cells["Alokasi"] and cells["Usulan"]
    trail = [" ".join(map(str, row)) for row in cells["Jejak Pemrosesan"]]
    assert any("Budi Santoso" in line and "NIK" in line for line in trail), trail
    event = AuditEvent.objects.get(action="subject_request.file")
    assert event.after["full_nik"] is True and event.actor == dpo


def test_answered_once_within_or_after_the_deadline_with_a_reason(client):
    person = PersonFactory()
    client.force_login(AdminProvinsiFactory())
    client.post(reverse("privacy:request_create"), _data(person, kind="penghapusan"))
    request = SubjectRequest.objects.get()
    url = reverse("privacy:request_answer", args=[request.pk])
    refused = client.post(url, {"status": Status.REFUSED, "answer": ""})
    assert refused.status_code == 200 and SubjectRequest.objects.get().status == Status.OPEN
    reason = "Ditolak: data penerima bantuan wajib disimpan sebagai arsip keuangan sampai 2034."
    assert client.post(url, {"status": Status.REFUSED, "answer": reason}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.answer, hours_left(request)) == (Status.REFUSED, reason, None)
    assert AuditEvent.objects.get(action="subject_request.answer").after["late"] is False
    client.post(url, {"status": Status.DONE, "answer": "lagi"}, follow=True)
    assert SubjectRequest.objects.get().answer == reason  # answered once
    client.force_login(AuditorFactory())
    assert client.get(request.get_absolute_url()).status_code == 200
    assert client.post(url, {"status": Status.DONE, "answer": "x"}).status_code == 403


def test_the_data_protection_officers_home_says_what_is_late(client):
    BudgetYearFactory(year=timezone.localdate().year)
    late = PersonFactory()
    client.force_login(AdminProvinsiFactory())
    client.post(reverse("privacy:request_create"), _data(late))
    SubjectRequest.objects.update(received_at=timezone.now() - datetime.timedelta(hours=80))
    client.post(reverse("privacy:request_create"), _data(PersonFactory()))
    tasks = {task.label: task.count for task in client.get(reverse("home")).context["tasks"]}
    assert tasks["Permintaan subjek data terlambat (lewat 3×24 jam)"] == 1
    assert tasks["Permintaan subjek data menunggu jawaban"] == 1
    listing = client.get(reverse("privacy:request_list")).content.decode()
    assert "Terlambat 8 jam" in listing


def test_the_record_of_processing_lists_todays_activities_with_their_basis(client):
    client.force_login(OperatorFactory())
    page = client.get(reverse("privacy:processing_record")).content.decode()
    assert page.count('data-testid="processing-activity"') >= 9
    assert "Pencocokan dengan DTSEN" in page and "Inpres 4/2025" in page
    assert "keputusan lulus selalu disetujui petugas provinsi" in page  # the graduation score is never alone


def test_a_late_request_is_notified_once_to_those_who_answer_it_and_the_regencys_officer(client):
    from notifications.models import Notification
    from privacy.tasks import notify_overdue_requests

    dpo, officer, elsewhere = AdminProvinsiFactory(), OperatorFactory(), OperatorFactory(regency_id="64.71")
    client.force_login(officer)
    client.post(reverse("privacy:request_create"), _data(PersonFactory()))
    assert notify_overdue_requests() == "0 pemberitahuan permintaan subjek data terlambat"
    SubjectRequest.objects.update(received_at=timezone.now() - datetime.timedelta(hours=73))
    notify_overdue_requests()
    notify_overdue_requests()  # once per request
    assert {n.user_id for n in Notification.objects.all()} == {dpo.pk, officer.pk}
    assert elsewhere.pk not in {n.user_id for n in Notification.objects.all()}


def test_a_request_sent_from_the_public_complaint_page_is_recorded_with_its_clock_from_then(client, balikpapan):
    from complaints.models import Complaint

    BudgetYearFactory(year=timezone.localdate().year)  # the home page's to-do list is of the current year
    person = PersonFactory()
    public = {"regency": "64.72", "category": "data_pribadi", "description": "Mohon salinan data saya.",
              "complainant_name": person.full_name, "anonymous": "on"}  # fmt: skip
    refused = client.post(reverse("complaints:public_submit"), public)
    assert "perlu nama dan kontak" in refused.content.decode() and not Complaint.objects.exists()
    del public["anonymous"]
    client.post(reverse("complaints:public_submit"), {**public, "complainant_contact": "0812000111"})
    complaint = Complaint.objects.get(category="data_pribadi")
    handler = AdminProvinsiFactory()
    client.force_login(handler)
    todo = "Permintaan data pribadi dari halaman pengaduan belum dicatat"
    assert todo in client.get(reverse("home")).content.decode()
    detail = client.get(complaint.get_absolute_url()).content.decode()
    url = reverse("privacy:request_create") + f"?pengaduan={complaint.pk}"
    assert url in detail.replace("&amp;", "&")
    form = client.get(url)
    assert form.context["form"]["channel"].initial == "pengaduan" and complaint.number in form.content.decode()
    received = form.context["form"]["received_at"].initial
    client.post(url, _data(person, channel="pengaduan", received_at=received))
    request = SubjectRequest.objects.get()
    assert request.complaint == complaint and request.received_at <= complaint.created_at
    assert complaint.created_at - request.received_at < datetime.timedelta(minutes=1)  # from when it came in
    assert AuditEvent.objects.get(action="subject_request.create").after["complaint"] == complaint.number
    assert request.get_absolute_url() in client.get(complaint.get_absolute_url()).content.decode()
    assert todo not in client.get(reverse("home")).content.decode()
    client.force_login(OperatorFactory(regency=balikpapan))  # another regency's complaint: not found
    assert client.get(url).status_code == 404
    assert client.get(reverse("privacy:request_create") + "?pengaduan=x").status_code == 404
