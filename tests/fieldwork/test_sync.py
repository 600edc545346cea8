"""What a phone sends is applied once, with the rights and scope of the page it replaces; refusals come back
with their reason; the audit log tells when it was done on the phone and when it arrived."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from disbursements.services import handover_void
from fieldwork.models import FieldAction
from tests.access.objects import PNG
from tests.factories import (
    ApprovedItemFactory,
    OperatorFactory,
    PimpinanFactory,
    ProposalFactory,
)
from tests.factories.training import TrainingSessionFactory
from tests.monitoring.conftest import deliver
from training.models import Attendance
from training.services import participants_invite

pytestmark = pytest.mark.django_db
URL = "/lapangan/kirim/"


def _attendance(regency=None):
    item = ApprovedItemFactory(**({"proposal": ProposalFactory(regency=regency)} if regency else {}))
    session = TrainingSessionFactory(regency=item.proposal.regency)
    [attendance] = participants_invite(session=session, item_ids=[item.pk], actor=None)
    return attendance


def _send(client, target, *, kind="kehadiran", status="present", client_id=None, done_at=None, file=None):
    data = {"id": client_id or str(uuid.uuid4()), "kind": kind, "target": target, "status": status,
            "done_at": done_at or "2024-07-15T02:30:00Z"}  # fmt: skip
    if file is not None:
        data["file"] = file
    return client.post(URL, data).json()


def test_attendance_marked_on_a_phone_is_applied_once_however_often_it_is_sent(client):
    attendance = _attendance()
    operator = OperatorFactory()
    client.force_login(operator)
    key = str(uuid.uuid4())
    first = _send(client, attendance.pk, client_id=key)
    assert first == {"id": key, "result": "diterapkan", "reason": "", "duplicate": False}
    attendance.refresh_from_db()
    assert attendance.status == "present" and attendance.marked_by == operator
    event = AuditEvent.objects.get(action="attendance.mark")
    assert event.actor == operator and event.done_at == datetime.datetime(2024, 7, 15, 2, 30, tzinfo=datetime.UTC)
    assert event.created_at > event.done_at  # arrived later than it was done
    again = _send(client, attendance.pk, client_id=key, status="absent")  # the same id: nothing is done again
    assert again == first | {"duplicate": True}
    attendance.refresh_from_db()
    assert attendance.status == "present" and AuditEvent.objects.filter(action="attendance.mark").count() == 1
    action = FieldAction.objects.get()
    assert (action.user, action.kind, action.target_id, action.result) == (
        operator,
        "kehadiran",
        attendance.pk,
        "diterapkan",
    )


def test_another_regencys_session_is_refused_with_its_reason_and_stays_refused(client, balikpapan):
    theirs = _attendance(regency=balikpapan)
    client.force_login(OperatorFactory())
    key = str(uuid.uuid4())
    answer = _send(client, theirs.pk, client_id=key)
    assert answer["result"] == "ditolak" and answer["reason"] == "Data ini tidak ditemukan atau di luar wilayah Anda."
    assert Attendance.objects.get(pk=theirs.pk).status == "" and not AuditEvent.objects.filter(action="attendance.mark")
    assert _send(client, theirs.pk, client_id=key) == answer | {"duplicate": True}


def test_a_role_without_the_right_is_refused(client):
    attendance = _attendance()
    client.force_login(PimpinanFactory())
    for _ in range(3):
        assert _send(client, attendance.pk)["reason"] == "Anda tidak berhak melakukan tindakan ini."
    assert not FieldAction.objects.exists()  # refused before anything is stored


def test_a_bast_photo_taken_on_the_phone_is_attached_and_a_voided_bast_refuses_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    handover = deliver(ApprovedItemFactory())
    client.force_login(OperatorFactory())
    answer = _send(client, handover.pk, kind="foto_bast", file=SimpleUploadedFile("foto.png", PNG))
    handover.refresh_from_db()
    assert answer["result"] == "diterapkan" and handover.photo.name.endswith(".png")
    assert AuditEvent.objects.get(action="handover.attach_photo").done_at is not None
    handover_void(handover=handover, reason="Salah penerima", actor=None)
    answer = _send(client, handover.pk, kind="foto_bast", file=SimpleUploadedFile("foto.png", PNG))
    assert answer == answer | {
        "result": "ditolak",
        "reason": "BAST ini sudah dibatalkan; lampiran tidak dapat ditambahkan.",
    }
    assert _send(client, handover.pk, kind="foto_bast")["result"] == "ditolak"


def test_a_phone_clock_ahead_of_the_server_is_not_believed(client):
    attendance = _attendance()
    client.force_login(OperatorFactory())
    _send(client, attendance.pk, done_at=(timezone.now() + datetime.timedelta(days=2)).isoformat())
    action = FieldAction.objects.get()
    assert action.done_at <= action.received_at  # the arrival, at the latest


def test_someone_elses_action_id_is_not_answered(client):
    attendance = _attendance()
    key = str(uuid.uuid4())
    client.force_login(OperatorFactory())
    _send(client, attendance.pk, client_id=key)
    client.force_login(OperatorFactory())
    assert _send(client, attendance.pk, client_id=key) == {
        "id": key, "result": "ditolak", "reason": "ID tindakan tidak sah.", "duplicate": False
    }  # fmt: skip
    assert _send(client, attendance.pk, client_id="not-a-uuid")["reason"] == "ID tindakan tidak sah."


def test_the_phone_gets_a_fresh_token_or_is_told_to_sign_in_again(client):
    response = client.get(URL)
    assert response.status_code == 401 and response.json() == {"login": reverse("accounts:login")}
    operator = OperatorFactory()
    client.force_login(operator)
    answer = client.get(URL).json()
    assert answer["user"] == operator.pk and len(answer["csrf"]) == 64


def test_signing_out_empties_what_the_browser_keeps(client):
    client.force_login(OperatorFactory())
    response = client.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_operator_marks_attendance_on_the_session_page_too(client):
    attendance = _attendance()
    client.force_login(OperatorFactory())
    url = reverse("training:attendance_mark", args=[attendance.session_id, attendance.pk])
    assert client.post(url, {"status": "absent"}).status_code == 302
    attendance.refresh_from_db()
    assert attendance.status == "absent"


def test_the_field_pages_list_the_work_of_the_officers_regency(client, balikpapan):
    today = timezone.localdate()
    mine = TrainingSessionFactory(start_date=today, end_date=today, topic="Sesi kami")
    TrainingSessionFactory(regency=balikpapan, start_date=today, end_date=today, topic="Sesi mereka")
    TrainingSessionFactory(start_date=today - datetime.timedelta(days=60), end_date=today - datetime.timedelta(days=59),
                           topic="Sesi lama")  # fmt: skip
    client.force_login(OperatorFactory())
    page = client.get(reverse("fieldwork:home")).content.decode()
    assert "Sesi kami" in page and "Sesi mereka" not in page and "Sesi lama" not in page
    assert reverse("fieldwork:session", args=[mine.pk]) in page
    manifest = client.get(reverse("manifest")).json()
    assert manifest["start_url"] == reverse("fieldwork:home") and manifest["display"] == "standalone"
    worker = client.get(reverse("service_worker"))
    assert worker["Content-Type"] == "application/javascript" and b"lapangan-halaman" in worker.content


def test_a_visit_filled_in_without_a_signal_is_judged_by_the_visit_form_and_recorded_once(client, settings, tmp_path):
    from monitoring.models import Visit
    from tests.access.objects import jpeg
    from tests.monitoring.test_views import _days_ago, _form

    settings.MEDIA_ROOT = tmp_path
    handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    client.force_login(OperatorFactory())
    wrong = _form(handover, turnover="satu juta") | {
        "id": str(uuid.uuid4()),
        "kind": "kunjungan",
        "target": handover.pk,
    }
    answer = client.post(URL, wrong).json()
    assert answer["result"] == "ditolak" and answer["reason"].startswith("Omzet rata-rata per bulan (Rp):")
    key = str(uuid.uuid4())
    data = _form(handover) | {"id": key, "kind": "kunjungan", "target": handover.pk, "done_at": "2026-11-30T01:00:00Z"}
    answer = client.post(URL, data | {"file": [SimpleUploadedFile("a.jpg", jpeg((2000, 1500)))]}).json()
    visit = Visit.objects.get()
    assert answer["result"] == "diterapkan" and visit.photos.count() == 1 and visit.due_month == 3
    assert FieldAction.objects.get(client_id=key).target_id == visit.pk
    assert AuditEvent.objects.get(action="visit.create").done_at.isoformat() == "2026-11-30T01:00:00+00:00"
    assert client.post(URL, data).json()["duplicate"] and Visit.objects.count() == 1
    again = client.post(URL, data | {"id": str(uuid.uuid4())}).json()  # a second visit for the same month
    assert again["result"] == "ditolak" and Visit.objects.count() == 1


@pytest.mark.parametrize(
    ("target", "done_at", "reason"),
    [
        (10**30, None, "tidak ditemukan"),
        (2**63, None, "tidak ditemukan"),
        (-5, None, "tidak ditemukan"),
        (None, "0001-01-01", "tidak masuk akal"),
        (None, "1970-01-01T00:00:00Z", "tidak masuk akal"),
        (None, "9999-12-31T23:59:59", "tidak masuk akal"),
    ],
)
def test_a_target_or_a_phone_clock_out_of_bounds_is_refused_with_its_reason_never_a_500(
    client, target, done_at, reason
):
    attendance = _attendance()
    client.force_login(OperatorFactory())
    answer = _send(client, attendance.pk if target is None else target, done_at=done_at)
    assert answer["result"] == "ditolak" and reason in answer["reason"]
    action = FieldAction.objects.get()
    assert action.done_at.year >= 2020 and 0 <= action.target_id < 2**63  # no 0001 or 1970 stored
    attendance.refresh_from_db()
    assert attendance.status != "present"


def test_work_dated_before_its_budget_year_began_is_refused_with_the_reason(client):
    """A phone whose clock says 2021 does not mark attendance at a Bimtek of a later budget year."""
    attendance = _attendance()
    year = attendance.session.budget_year.year
    client.force_login(OperatorFactory())
    answer = _send(client, attendance.pk, done_at=f"{year - 1}-12-31T10:00:00+08:00")
    assert answer["result"] == "ditolak" and f"sebelum tahun anggaran {year}" in answer["reason"]
    attendance.refresh_from_db()
    assert attendance.status != "present"
    assert _send(client, attendance.pk, done_at=f"{year}-01-02T10:00:00+08:00")["result"] == "diterapkan"
