"""Complaints: tracking numbers, working-day deadlines, the step flow, scoping and sensitivity."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from complaints import selectors, services
from complaints.models import Complaint
from core.formatting import date_long as tanggal
from regions.models import Regency
from tests.factories import (
    AdminProvinsiFactory,
    AuditorFactory,
    OperatorFactory,
    PimpinanFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _data(**changes):
    return {
        "received_on": D(2026, 11, 27),  # a Friday
        "channel": "whatsapp",
        "complainant_name": "Pak Rahman",
        "complainant_contact": "081234567890",
        "category": "belum_diterima",
        "complexity": "cek_lapangan",
        "description": "Tetangga saya terdaftar penerima tetapi barangnya belum datang.",
        "regency": Regency.objects.get(code="64.72"),
        **changes,
    }


def test_numbers_run_per_year_without_gaps_and_deadlines_count_working_days():
    first = services.complaint_record(data=_data(), actor=None)
    second = services.complaint_record(data=_data(complexity="informasi"), actor=None)
    next_year = services.complaint_record(data=_data(received_on=D(2025, 12, 31)), actor=None)
    assert [first.number, second.number, next_year.number] == ["PGD/2026/0001", "PGD/2026/0002", "PGD/2025/0001"]
    assert first.respond_by == D(2026, 12, 2)  # Friday + 3 working days
    assert second.resolve_by == D(2026, 12, 4)  # 5 working days
    assert first.resolve_by > D(2027, 2, 1)  # 60 working days: past the Christmas and New Year holidays
    assert len(first.secret) == 11 and AuditEvent.objects.filter(action="complaint.create").count() == 3


def test_what_a_complaint_needs():
    with pytest.raises(ValidationError) as refused:
        services.complaint_record(data=_data(channel="lapor", complainant_name=""), actor=None)
    assert set(refused.value.message_dict) == {"lapor_ticket", "complainant_name"}
    anonymous = services.complaint_record(data=_data(anonymous=True, complainant_contact="rahasia"), actor=None)
    assert (anonymous.complainant_name, anonymous.complainant_contact) == ("", "")


def test_the_steps_and_the_overdue_list():
    complaint = services.complaint_record(data=_data(), actor=None)
    with pytest.raises(ValidationError) as refused:
        services.complaint_step(complaint=complaint, status="selesai", note="", actor=None)
    assert set(refused.value.message_dict) == {"note", "outcome"}
    services.complaint_step(complaint=complaint, status="ditindaklanjuti", note="Dicek ke desa", actor=None)
    complaint.refresh_from_db()
    assert complaint.responded_at is not None
    assert list(selectors.overdue(Complaint.objects.all(), today=complaint.resolve_by)) == []
    late = complaint.resolve_by + datetime.timedelta(days=1)
    assert list(selectors.overdue(Complaint.objects.all(), today=late)) == [complaint]
    services.complaint_step(
        complaint=complaint,
        status="selesai",
        note="Barang sudah diserahkan",
        outcome="terbukti",
        public=True,
        actor=None,
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("selesai", "terbukti") and selectors.time_left(complaint) is None
    with pytest.raises(ValidationError, match="tidak dapat ke status itu"):
        services.complaint_step(complaint=complaint, status="ditindaklanjuti", note="lagi", actor=None)
    assert AuditEvent.objects.filter(action="complaint.step").count() == 2


def test_a_sensitive_complaint_is_invisible_to_the_named_regency(client):
    extortion = services.complaint_record(data=_data(category="pungli"), actor=None)
    plain = services.complaint_record(data=_data(), actor=None)
    assert extortion.sensitive
    operator = OperatorFactory()
    assert list(selectors.complaints_visible_to(operator)) == [plain]
    assert set(selectors.complaints_visible_to(VerifikatorFactory())) == {plain}
    assert set(selectors.complaints_visible_to(PimpinanFactory())) == {plain}
    assert set(selectors.complaints_visible_to(AdminProvinsiFactory())) == {plain, extortion}
    assert set(selectors.complaints_visible_to(AuditorFactory())) == {plain, extortion}
    client.force_login(operator)
    assert client.get(reverse("complaints:complaint_detail", args=[extortion.pk])).status_code == 404
    assert extortion.number not in client.get(reverse("complaints:complaint_list")).content.decode()


def test_an_operator_records_and_answers_through_the_pages(client, balikpapan):
    client.force_login(OperatorFactory())
    response = client.post(
        reverse("complaints:complaint_create"),
        {"received_on": "2026-11-27", "channel": "telepon", "complainant_name": "Bu Ani", "regency": "64.72",
         "category": "barang", "complexity": "sederhana", "description": "Mesin jahit rusak saat diterima."},
    )  # fmt: skip
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.created_by is not None
    detail = reverse("complaints:complaint_detail", args=[complaint.pk])
    response = client.post(detail, {"status": "ditindaklanjuti", "note": "Dijadwalkan cek", "public": "on"})
    assert response.status_code == 302 and complaint.steps.get().public
    page = client.get(reverse("complaints:complaint_list")).content.decode()
    assert complaint.number in page and "hari kerja" in page
    client.force_login(OperatorFactory(regency=balikpapan))
    assert client.get(detail).status_code == 404


def test_a_verification_that_finds_goods_not_received_opens_a_complaint_once():
    from monitoring import services as monitoring
    from tests.factories import ApprovedItemFactory
    from tests.monitoring.conftest import deliver

    handover = deliver(ApprovedItemFactory(), handed_over_on=D(2025, 1, 10))
    sample = monitoring.sample_draw(
        budget_year=handover.budget_year, regency=handover.regency, method="semua", confidence=None, margin=None,
        actor=None,
    )  # fmt: skip
    result = sample.results.get()
    monitoring.verification_record(result=result, data={"outcome": "sesuai", "checked_on": D(2025, 2, 1)}, actor=None)
    assert not Complaint.objects.exists()
    data = {"outcome": "tidak_diterima", "checked_on": D(2025, 2, 1), "note": "Dibawa orang lain"}
    monitoring.verification_record(result=result, data=data, actor=None)
    monitoring.verification_record(result=result, data=data, actor=None)  # corrected again: still one
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.category, complaint.handover, complaint.regency_id) == (
        "verifikasi",
        "belum_diterima",
        handover,
        handover.regency_id,
    )
    assert "Dibawa orang lain" in complaint.description


def test_the_public_submits_and_follows_a_complaint_without_personal_data(client):
    url = reverse("complaints:public_submit")
    text = "Ada yang meminta uang Rp500.000 agar nama masuk daftar <script>alert(1)</script>"
    data = {"regency": "64.72", "category": "pungli", "description": text,
            "complainant_name": "Warga", "complainant_contact": "0812000111"}  # fmt: skip
    response = client.post(url, data, follow=True)
    complaint = Complaint.objects.get()
    assert complaint.channel == "web" and complaint.sensitive and complaint.description == text  # stored as given
    assert response.redirect_chain == [(reverse("complaints:public_thanks"), 302)]  # POST, redirect, GET
    page = response.content.decode()
    assert complaint.number in page and complaint.secret_grouped in page
    reloaded = client.get(reverse("complaints:public_thanks")).content.decode()
    assert reloaded.count(complaint.secret_grouped) == 1  # a reload
    assert Complaint.objects.count() == 1
    status = client.post(reverse("complaints:public_status"), {"number": complaint.number, "secret": "WRONG1"})
    assert status.context["not_found"]
    services.complaint_step(complaint=complaint, status="ditindaklanjuti", note="Internal: cek ke Dinsos", actor=None)
    services.complaint_step(
        complaint=complaint, status="menunggu_pelapor", note="Mohon kirim bukti transfer", public=True, actor=None
    )
    status = client.post(
        reverse("complaints:public_status"), {"number": complaint.number.lower(), "secret": complaint.secret.lower()}
    ).content.decode()
    assert "Menunggu jawaban pelapor" in status and "Mohon kirim bukti transfer" in status
    assert "Tanggapan pertama" in status and "Penyelesaian" in status  # the deadlines, each with what became of it
    assert f"batas {tanggal(complaint.resolve_by)}" in status
    looked_up = client.get(
        reverse("complaints:public_status"), {"number": complaint.number, "secret": complaint.secret}
    )  # a URL carrying them (history, logs) looks nothing up
    assert looked_up.context["complaint"] is None
    assert "Internal" not in status and "Warga" not in status and "0812000111" not in status


def test_the_public_page_keeps_robots_and_floods_out(client):
    url = reverse("complaints:public_submit")
    data = {"regency": "64.72", "category": "lainnya", "description": "Pertanyaan"}
    client.post(url, data | {"website": "http://spam.example"})
    assert not Complaint.objects.exists()  # the honeypot: answered, not stored
    for n in range(services.PUBLIC_PER_HOUR):
        client.post(url, data | {"description": f"Pertanyaan {n}"})
    response = client.post(url, data)
    assert Complaint.objects.count() == services.PUBLIC_PER_HOUR
    assert "Terlalu banyak pengaduan dari alamat ini" in response.content.decode()
    page = client.get(reverse("complaints:complaint_detail", args=[Complaint.objects.first().pk]))
    assert page.status_code == 302  # officers' pages still need a login


def test_the_same_complaint_sent_twice_within_minutes_is_refused_and_a_phone_without_a_name_is_kept(client):
    url = reverse("complaints:public_submit")
    data = {"regency": "64.72", "category": "barang", "description": "Kompor rusak", "complainant_contact": "0812777"}
    client.post(url, data)
    again = client.post(url, data)
    complaint = Complaint.objects.get()
    assert "sudah kami terima pukul" in again.content.decode() and complaint.number in again.content.decode()
    assert not complaint.anonymous and complaint.complainant_contact == "0812777"  # she did not ask to be anonymous
    client.post(url, data | {"description": "Lain lagi", "complainant_name": "Bu Ani", "anonymous": "on"})
    asked = Complaint.objects.get(description="Lain lagi")
    assert asked.anonymous and asked.complainant_name == asked.complainant_contact == ""


def test_the_public_code_has_no_look_alike_characters():
    codes = "".join(services.new_secret() for _ in range(500))
    assert not set(codes) & set("0O1IL8B")
    assert len(set(codes)) > 20


def test_the_dashboard_and_the_workbook_count_the_complaints(client):
    from tests.factories import BudgetYearFactory
    from tests.reports.test_reports import _sheet

    BudgetYearFactory(year=2026)
    late = services.complaint_record(data=_data(received_on=D(2026, 1, 5), complexity="sederhana"), actor=None)
    done = services.complaint_record(data=_data(received_on=D(2026, 3, 2)), actor=None)
    services.complaint_step(complaint=done, status="selesai", note="Selesai", outcome="tidak_terbukti", actor=None)
    services.complaint_record(data=_data(received_on=D(2026, 3, 3), category="pungli"), actor=None)
    client.force_login(PimpinanFactory())
    page = client.get(reverse("reports:dashboard"), {"tahun": 2026})
    figures = page.context["complaints"]
    assert figures.overdue == 1 and figures.per_status == {"Baru": 1, "Selesai": 1}  # the extortion one is hidden
    assert figures.per_regency[0]["total"] == 2
    _, rows = _sheet(client.get(reverse("reports:complaint_export"), {"tahun": 2026}))
    assert [r[1] for r in rows[:-1]] == [late.number, done.number] and rows[0][12] == "Ya"
    assert "Pak Rahman" not in str(rows)
    client.force_login(AdminProvinsiFactory())
    _, rows = _sheet(client.get(reverse("reports:complaint_export"), {"tahun": 2026}))
    assert len(rows) == 4


def test_a_proven_complaint_leaves_its_finding_on_the_bast_and_the_item(client):
    from tests.factories import ApprovedItemFactory
    from tests.monitoring.conftest import deliver

    handover = deliver(ApprovedItemFactory(), handed_over_on=D(2025, 1, 10))
    person = handover.allocation.item.person
    client.force_login(OperatorFactory())
    response = client.post(
        reverse("complaints:complaint_create"),
        {"received_on": "2026-11-27", "channel": "telepon", "complainant_name": "Bu Ani", "regency": "64.72",
         "category": "belum_diterima", "complexity": "cek_lapangan", "description": "Barang tidak pernah sampai.",
         "nik": person.nik, "bast_number": handover.number.lower()},
    )  # fmt: skip
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and (complaint.person, complaint.handover) == (person, handover)
    services.complaint_step(complaint=complaint, status="selesai", note="Benar, belum diterima", outcome="terbukti",
                            actor=None)  # fmt: skip
    handover.refresh_from_db()
    item = handover.allocation.item
    item.refresh_from_db()
    assert handover.review_flag == f"Pengaduan {complaint.number} terbukti: Benar, belum diterima"
    assert item.review_flag == handover.review_flag
    assert AuditEvent.objects.filter(action__in=["handover.flag", "proposal_item.flag"]).count() == 2
    assert "Catatan pengaduan" in client.get(handover.get_absolute_url()).content.decode()


def test_an_unknown_nik_or_bast_is_refused_on_its_field(client, balikpapan):
    client.force_login(OperatorFactory())
    response = client.post(
        reverse("complaints:complaint_create"),
        {"received_on": "2026-11-27", "channel": "telepon", "complainant_name": "Bu Ani", "regency": "64.72",
         "category": "barang", "complexity": "sederhana", "description": "x", "nik": "6471010101010001",
         "bast_number": "BAST/WRSE/64.71/2024/0001"},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert errors["nik"] == ["NIK ini tidak ditemukan di data penduduk wilayah Anda."]
    assert errors["bast_number"] == ["Nomor BAST ini tidak ditemukan di wilayah Anda."]
    assert not Complaint.objects.exists()


def test_the_dashboard_counts_the_year_received_and_every_complaint_overdue_today_as_the_home_page_does(client):
    """Received in the year the page shows; overdue counted today over every open complaint, as "Pengaduan terlambat"
    on the home page (a complaint of last year still open is late now)."""
    from kubeprogram.todo import tasks_for
    from tests.factories import BudgetYearFactory

    budget_year = BudgetYearFactory(year=2026)
    services.complaint_record(data=_data(received_on=D(2025, 11, 3)), actor=None)  # last year's, still open
    services.complaint_record(data=_data(received_on=timezone.localdate()), actor=None)  # this year's, in time
    pimpinan = PimpinanFactory()
    client.force_login(pimpinan)
    figures = client.get(reverse("reports:dashboard"), {"tahun": 2026}).context["complaints"]
    assert figures.overdue == 1 and figures.per_regency[0]["total"] == 1 and figures.per_regency[0]["overdue"] == 1
    home = {task.label: task.count for task in tasks_for(pimpinan, budget_year)}
    assert home["Pengaduan terlambat"] == figures.overdue


def test_the_code_is_51_bits_without_look_alikes_and_guessing_it_is_throttled(client, samarinda, settings, caplog):
    """11 characters of 25 (no 0/O, 1/I, 8/B): 25^11 ≈ 3·10^15 codes. Wrong guesses are counted and logged; after
    10 in an hour from one address, or for one complaint number from anywhere, the page stops answering (the right
    code too); typed in its groups with dashes or spaces, the right code is found."""
    import math

    settings.PROXY_COUNT = 0
    assert math.log2(len(services.SECRET_ALPHABET) ** services.SECRET_LENGTH) >= 50
    assert not set("0O1I8B") & set(services.SECRET_ALPHABET)
    complaint = Complaint.objects.get(
        pk=services.complaint_submit_public(
            data={"regency": samarinda, "category": "lainnya", "description": "Tanya"}, address="10.0.0.9"
        ).pk
    )
    url = reverse("complaints:public_status")
    grouped = complaint.secret_grouped
    assert grouped.count("-") == 2 and grouped.replace("-", "") == complaint.secret
    found = client.post(url, {"number": complaint.number, "secret": grouped.lower().replace("-", " ")})
    assert found.context["complaint"] == complaint
    with caplog.at_level("WARNING", logger="complaints.services"):
        for n in range(services.LOOKUP_FAILURES_PER_HOUR):
            guess = {"number": complaint.number, "secret": f"AAAAAAAAA{n:02d}"}
            wrong = client.post(url, guess, REMOTE_ADDR="10.0.0.1")
            assert wrong.context["complaint"] is None and "tidak cocok" in wrong.content.decode()
    assert sum("lookup failed" in r.message for r in caplog.records) == services.LOOKUP_FAILURES_PER_HOUR
    # the same address, another number; another address, this number: both refused now, the right code too
    refused = client.post(url, {"number": "PGD/2026/9999", "secret": "X"}, REMOTE_ADDR="10.0.0.1")
    assert refused.context["throttled"] and "Terlalu banyak percobaan" in refused.content.decode()
    right = client.post(url, {"number": complaint.number, "secret": complaint.secret}, REMOTE_ADDR="10.0.0.2")
    assert right.context["throttled"] and right.context["complaint"] is None


def test_refused_sendings_count_toward_the_limit_and_a_flood_is_refused_before_its_files_are_opened(
    client, monkeypatch
):
    """A sending refused for its file (not a photo nor a PDF) costs the server a file check: after REFUSED_PER_HOUR
    of them from one address within the hour, the next is refused with 429 before any file is looked at."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.models import RefusedSubmission
    from core import photos

    url = reverse("complaints:public_submit")
    data = {"regency": "64.72", "category": "barang", "description": "Kompor rusak"}
    for n in range(services.REFUSED_PER_HOUR):
        bad = SimpleUploadedFile("foto.jpg", b"<html>bukan foto</html>", content_type="image/jpeg")
        response = client.post(url, data | {"description": f"Kompor rusak {n}", "attachments": bad})
        assert response.status_code == 200 and "bukan foto" in response.content.decode()
    assert RefusedSubmission.objects.count() == services.REFUSED_PER_HOUR and not Complaint.objects.exists()

    opened = []
    monkeypatch.setattr(photos, "prepare", lambda data: opened.append(data))
    bad = SimpleUploadedFile("foto.jpg", b"<html>bukan foto</html>", content_type="image/jpeg")
    response = client.post(url, data | {"description": "Kompor rusak lagi", "attachments": bad})
    assert response.status_code == 429 and "Terlalu banyak pengaduan dari alamat ini" in response.content.decode()
    assert opened == [] and not Complaint.objects.exists()
    # even a good one waits for the hour to pass; another address is not concerned
    assert client.post(url, data).status_code == 429
    assert client.post(url, data, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_a_photo_larger_than_a_phone_camera_is_refused_from_its_header_without_decoding(monkeypatch):
    import io

    from PIL import Image

    from core import photos

    buffer = io.BytesIO()
    Image.new("L", (8200, 6400)).save(buffer, "PNG")  # 52.5 megapixels, a few KB of zeros
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(photos.PhotoRefused, match="terlalu besar"):
        photos.prepare(buffer.getvalue())
    assert decoded == []
