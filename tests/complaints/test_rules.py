"""The complaint rules as an officer and a resident meet them: the exact refusals, what a good complaint looks like,
who is recorded as having done each step, what the audit trail keeps, what a proven complaint marks (and what it
does not), the attachment limits at their edges, the public page's limits, and the working-day deadlines."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent
from complaints import selectors, services
from complaints.models import Complaint, ComplaintAttachment
from core.workdays import add_working_days, is_working_day, working_days_between
from regions.models import Regency
from tests.access.objects import jpeg
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    BudgetYearFactory,
    OperatorFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _data(**changes):
    return {"received_on": D(2026, 11, 27), "channel": "telepon", "complainant_name": "Pak Rahman",
            "complainant_contact": "0812", "category": "barang", "complexity": "sederhana",
            "description": "Kompor rusak", "regency": Regency.objects.get(code="64.72"), **changes}  # fmt: skip


def _refused(call) -> dict | list:
    with pytest.raises(ValidationError) as refused:
        call()
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


# Recording ----------------------------------------------------------------------------------------------------


def test_each_missing_answer_reads_exactly_and_a_good_complaint_passes():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert services.complaint_problems(_data(received_on=tomorrow)) == {
        "received_on": ["Tanggal diterima tidak boleh di masa depan."]
    }
    assert services.complaint_problems(_data(channel="lapor", lapor_ticket=" ")) == {
        "lapor_ticket": ["Nomor tiket LAPOR! wajib diisi untuk pengaduan dari LAPOR!/SP4N."]
    }
    assert services.complaint_problems(_data(complainant_name="  ")) == {
        "complainant_name": ["Isi nama pelapor, atau tandai pelapor tidak bersedia disebut namanya."]
    }
    assert services.complaint_problems(_data(channel="lapor", lapor_ticket="LAPOR-123")) == {}
    assert services.complaint_problems(_data(received_on=timezone.localdate())) == {}
    assert services.complaint_problems(_data(channel="verifikasi", complainant_name="")) == {}
    assert services.complaint_problems(_data(anonymous=True, complainant_name="")) == {}


def test_a_recorded_complaint_keeps_its_author_and_every_field_in_the_audit_event():
    officer = OperatorFactory()
    complaint = services.complaint_record(data=_data(channel="lapor", lapor_ticket="LAPOR-7"), actor=officer)
    assert complaint.created_by == officer and complaint.lapor_ticket == "LAPOR-7"
    event = AuditEvent.objects.get(action="complaint.create")
    assert event.actor == officer and event.after["number"] == complaint.number == "PGD/2026/0001"
    assert set(event.after) == {*services.FIELDS, "number"}
    assert {k: event.after[k] for k in ("channel", "lapor_ticket", "category", "description", "regency")} == {
        "channel": "lapor", "lapor_ticket": "LAPOR-7", "category": "barang", "description": "Kompor rusak",
        "regency": "64.72",
    }  # fmt: skip
    anonymous = services.complaint_record(data=_data(), actor=AnonymousUser())
    assert anonymous.created_by is None and anonymous.number == "PGD/2026/0002"


@pytest.mark.parametrize(
    ("complexity", "resolve_by"),
    [("informasi", D(2026, 12, 4)), ("sederhana", D(2026, 12, 4)), ("tanpa_lapangan", D(2026, 12, 17)),
     ("cek_lapangan", None)],
)  # fmt: skip
def test_the_deadline_follows_the_kind_in_working_days(complexity, resolve_by):
    complaint = services.complaint_record(data=_data(complexity=complexity), actor=None)
    expected = resolve_by or add_working_days(D(2026, 11, 27), 60)
    assert (complaint.respond_by, complaint.resolve_by) == (D(2026, 12, 2), expected)
    days = {"informasi": 5, "sederhana": 5, "tanpa_lapangan": 14}.get(complexity, 60)
    assert working_days_between(D(2026, 11, 27), complaint.resolve_by) == days


def test_working_days_skip_weekends_and_indonesian_holidays():
    assert not is_working_day(D(2026, 12, 25)) and not is_working_day(D(2026, 8, 17))  # Christmas, Independence
    assert not is_working_day(D(2026, 11, 28)) and is_working_day(D(2026, 11, 30))  # Saturday, Monday
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 28)  # over Christmas and the weekend
    assert working_days_between(D(2026, 11, 30), D(2026, 11, 30)) == 0
    assert working_days_between(D(2026, 12, 1), D(2026, 11, 30)) == -1


# Links --------------------------------------------------------------------------------------------------------


def _handover():
    from tests.monitoring.conftest import deliver

    return deliver(ApprovedItemFactory(), handed_over_on=D(2025, 1, 10))


def test_a_bast_names_its_allocation_and_a_kube_item_its_group():
    from tests.monitoring.conftest import kube_item

    handover = _handover()
    linked = services.derive_links({"handover": handover})
    assert (linked["allocation"], linked["item"], linked["person"], linked.get("group")) == (
        handover.allocation, handover.allocation.item, handover.allocation.item.person, None
    )  # fmt: skip
    other_allocation = _handover().allocation
    assert services.derive_links({"handover": handover, "allocation": other_allocation})["allocation"] == (
        other_allocation  # given stays as given (and is then named a contradiction)
    )
    kube = kube_item()
    assert services.derive_links({"item": kube})["group"] == kube.group
    other = kube_item().group
    assert services.derive_links({"item": kube, "group": other})["group"] == other  # given stays as given


def test_each_contradicting_link_is_named_exactly():
    handover, other = _handover(), _handover()
    regency = handover.regency
    assert services._link_problems({"handover": handover, "allocation": other.allocation, "regency": regency}) == {
        "handover": "BAST ini bukan serah terima alokasi yang ditautkan."
    }
    assert services._link_problems({"allocation": handover.allocation, "item": other.allocation.item}) == {
        "allocation": "Alokasi ini bukan milik usulan penerima yang ditautkan."
    }
    item = handover.allocation.item
    assert services._link_problems({"item": item, "person": other.allocation.item.person}) == {
        "item": "Usulan ini bukan milik penduduk atau KUBE yang ditautkan."
    }
    assert services._link_problems({"item": item, "person": item.person, "group": None, "regency": regency}) == {}
    from tests.monitoring.conftest import kube_item

    kube, other_group = kube_item(), kube_item().group
    assert services._link_problems({"item": kube, "group": other_group}) == {
        "item": "Usulan ini bukan milik penduduk atau KUBE yang ditautkan."
    }
    assert services._link_problems({"item": kube, "group": kube.group}) == {}


def test_a_link_from_another_regency_is_named_for_each_kind(balikpapan):
    handover = _handover()
    data = services.derive_links({"handover": handover, "regency": balikpapan})
    message = "Yang ditautkan harus dari kabupaten/kota pengaduan ini."
    assert services._link_problems(data) == dict.fromkeys(["person", "item", "allocation", "handover"], message)
    assert services._link_problems(data | {"regency": None}) == {}  # no regency chosen yet: asked for elsewhere


# Steps --------------------------------------------------------------------------------------------------------


def test_each_wrong_step_reads_exactly():
    complaint = services.complaint_record(data=_data(), actor=None)
    services.complaint_step(complaint=complaint, status="selesai", note="Selesai", outcome="tidak_terbukti", actor=None)
    assert _refused(lambda: services.complaint_step(complaint=complaint, status="baru", note="", actor=None)) == {
        "status": ["Dari “Selesai” tidak dapat ke status itu."],
        "note": ["Tulis catatan tindak lanjut."],
    }
    fresh = services.complaint_record(data=_data(), actor=None)
    assert _refused(lambda: services.complaint_step(complaint=fresh, status="selesai", note="x", actor=None)) == {
        "outcome": ["Pilih hasil penanganan untuk menutup pengaduan."]
    }


def test_a_step_records_its_author_note_and_the_audit_before_and_after():
    complaint = services.complaint_record(data=_data(), actor=None)
    officer = OperatorFactory()
    step = services.complaint_step(complaint=complaint, status="ditindaklanjuti", note=" Dicek ", public=True,
                                   actor=officer)  # fmt: skip
    complaint.refresh_from_db()
    first_response = complaint.responded_at
    assert (step.actor, step.note, step.public, step.status) == (officer, "Dicek", True, "ditindaklanjuti")
    assert first_response is not None and complaint.closed_at is None and complaint.outcome == ""
    event = AuditEvent.objects.get(action="complaint.step")
    assert (event.actor, event.before, event.after) == (
        officer,
        {"status": "baru", "outcome": ""},
        {"status": "ditindaklanjuti", "outcome": "", "note": "Dicek", "public": True},
    )
    services.complaint_step(complaint=complaint, status="selesai", note="Beres", outcome="dialihkan",
                            actor=AnonymousUser())  # fmt: skip
    complaint.refresh_from_db()
    assert complaint.responded_at == first_response and complaint.closed_at is not None  # the first response stays
    assert complaint.steps.last().actor is None and complaint.steps.last().public is False


def test_only_a_proven_closing_marks_the_records_it_names():
    handover = _handover()
    complaint = services.complaint_record(data=_data(regency=handover.regency, handover=handover), actor=None)
    services.complaint_step(complaint=complaint, status="menunggu_pelapor", note="Terbukti?", outcome="terbukti",
                            actor=None)  # fmt: skip
    handover.refresh_from_db()
    assert handover.review_flag == ""  # not closed yet: nothing marked
    for outcome in ("tidak_terbukti", "dialihkan"):
        other = services.complaint_record(data=_data(regency=handover.regency, handover=handover), actor=None)
        services.complaint_step(complaint=other, status="selesai", note="x", outcome=outcome, actor=None)
    handover.refresh_from_db()
    assert handover.review_flag == ""


def test_a_proven_closing_marks_through_the_owning_services_with_the_closer_as_author():
    admin = AdminProvinsiFactory()
    handover = _handover()
    item = handover.allocation.item
    complaint = services.complaint_record(data=_data(regency=handover.regency, handover=handover), actor=None)
    services.complaint_step(complaint=complaint, status="selesai", note="Benar", outcome="terbukti", actor=admin)
    flags = AuditEvent.objects.filter(action__in=["handover.flag", "proposal_item.flag"])
    assert {e.action: e.actor for e in flags} == {"handover.flag": admin, "proposal_item.flag": admin}
    assert AuditEvent.objects.filter(action="allocation.flag").count() == 0  # the BAST carries it, not the allocation
    item.refresh_from_db()
    assert item.review_flag.startswith(f"Pengaduan {complaint.number} terbukti")


def test_a_person_or_groups_items_are_flagged_only_in_open_years_and_while_they_count():
    from tests.monitoring.conftest import kube_item

    planning = BudgetYearFactory(year=2030, status="planning")
    closed = BudgetYearFactory(year=2020, status="closed")
    person_item = ApprovedItemFactory()
    person = person_item.person
    in_planning = ApprovedItemFactory(person=person, proposal=ProposalFactory(budget_year=planning))
    in_closed = ApprovedItemFactory(person=person, proposal=ProposalFactory(budget_year=closed))
    rejected = ApprovedItemFactory(person=person, proposal=ProposalFactory(budget_year=BudgetYearFactory(year=2031)),
                                   status="rejected")  # fmt: skip
    complaint = services.complaint_record(data=_data(person=person, category="tidak_tepat_sasaran"), actor=None)
    services.complaint_step(complaint=complaint, status="selesai", note="Mampu", outcome="terbukti", actor=None)
    flagged = {
        i.pk for i in (person_item, in_planning, in_closed, rejected) if type(i).objects.get(pk=i.pk).review_flag
    }
    assert flagged == {person_item.pk, in_planning.pk}
    group_item, other_group_item = kube_item(), kube_item()
    complaint = services.complaint_record(data=_data(group=group_item.group), actor=None)
    services.complaint_step(complaint=complaint, status="selesai", note="Fiktif", outcome="sebagian", actor=None)
    group_item.refresh_from_db()
    other_group_item.refresh_from_db()
    assert group_item.review_flag and not other_group_item.review_flag


# Attachments ----------------------------------------------------------------------------------------------------


def test_a_senders_file_name_is_kept_for_display_only(settings, tmp_path):
    assert services._safe_name("C:\\Users\\ani\\foto rumah.jpg") == "foto rumah.jpg"
    assert services._safe_name("../../etc/passwd") == "passwd"
    assert services._safe_name("surat\x00\x1b[31m.pdf") == "surat[31m.pdf"
    assert services._safe_name("\u200bfoto.jpg") == "foto.jpg"  # a zero-width space is a format character
    assert services._safe_name("a" * 200 + ".pdf") == "a" * 150
    assert services._safe_name("") == services._safe_name("\x07") == "lampiran"


def test_an_attachment_is_stored_under_our_name_with_its_author_and_audited(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    complaint = services.complaint_record(data=_data(), actor=None)
    officer = OperatorFactory()
    first = services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("a.pdf", PDF), actor=officer)
    second = services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("b.jpg", jpeg()),
                                       actor=AnonymousUser())  # fmt: skip
    assert (first.uploaded_by, first.from_public, second.uploaded_by) == (officer, False, None)
    assert first.file.name.startswith("pengaduan/2026/PGD-2026-0001-1-") and first.file.name.endswith(".pdf")
    assert second.file.name.startswith("pengaduan/2026/PGD-2026-0001-2-") and second.file.name.endswith(".jpg")
    assert len(first.file.name.rsplit("-", 1)[1]) == len("0123abcd.pdf")  # 4 random bytes: not guessable
    event = AuditEvent.objects.filter(action="complaint.attach").order_by("id").first()
    assert (event.actor, event.after) == (officer, {"file": first.file.name, "kind": "surat", "name": "a.pdf",
                                                    "size": len(PDF)})  # fmt: skip
    nameless = SimpleNamespace(size=len(PDF), read=lambda: PDF)  # an upload without a name
    assert services.complaint_attach(complaint=complaint, upload=nameless, actor=None).original_name == "lampiran"


def test_attachment_limits_at_their_edges(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 3 * 1048576
    complaint = services.complaint_record(data=_data(), actor=None)
    exactly = SimpleUploadedFile("pas.pdf", PDF)
    exactly.size = 3 * 1048576
    services.complaint_attach(complaint=complaint, upload=exactly, actor=None)
    big = SimpleUploadedFile("besar.pdf", PDF)
    big.size = 3 * 1048576 + 104858
    assert _refused(lambda: services.complaint_attach(complaint=complaint, upload=big, actor=None)) == [
        "besar.pdf: berkas terlalu besar (3.1 MB); maksimal 3 MB."
    ]
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 2621441  # 2.5000 MB: shown rounded, like the size
    odd = SimpleUploadedFile("ganjil.pdf", PDF)
    odd.size = 3303015  # 3.15 MB
    assert _refused(lambda: services.complaint_attach(complaint=complaint, upload=odd, actor=None)) == [
        "ganjil.pdf: berkas terlalu besar (3.2 MB); maksimal 3 MB."
    ]
    services.complaint_step(complaint=complaint, status="selesai", note="x", outcome="tidak_terbukti", actor=None)
    assert _refused(
        lambda: services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("a.pdf", PDF), actor=None)
    ) == ["Pengaduan yang sudah selesai tidak dapat diberi lampiran."]
    assert ComplaintAttachment.objects.count() == 1


# The public page ------------------------------------------------------------------------------------------------


def test_the_public_limit_counts_this_address_in_the_last_hour_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    asked = iter(range(100))

    def submit(address, **extra):  # each a different question (the same one twice within minutes is refused)
        data = {
            "regency": Regency.objects.get(code="64.72"),
            "category": "lainnya",
            "description": f"Tanya {next(asked)}",
        }
        return services.complaint_submit_public(data=data, address=address, **extra)

    for _ in range(services.PUBLIC_PER_HOUR - 1):
        submit("10.0.0.1")
    submit("10.0.0.2")  # another address does not count
    submit("10.0.0.1")  # the fifth from this one: still accepted
    assert _refused(lambda: submit("10.0.0.1")) == [
        "Terlalu banyak pengaduan dari alamat ini dalam satu jam. Silakan coba lagi nanti."
    ]
    Complaint.objects.filter(source_address=services.address_key("10.0.0.1")).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    submit("10.0.0.1")  # an hour later: accepted again
    assert Complaint.objects.filter(source_address=services.address_key("10.0.0.1")).count() == 6
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(services.ATTACHMENTS_FROM_PUBLIC)]
    made = submit("10.0.0.3", files=files)
    assert made.attachments.count() == 3 and all(a.from_public for a in made.attachments.all())


def test_a_public_complaint_keeps_the_name_and_contact_as_given_without_spaces():
    form = {"regency": Regency.objects.get(code="64.72"), "category": "lainnya", "description": "Tanya",
            "complainant_name": "  Bu Siti ", "complainant_contact": " 0812 3456 "}  # fmt: skip
    complaint = services.complaint_submit_public(data=form, address="10.0.0.9")
    complaint.refresh_from_db()
    assert (complaint.complainant_name, complaint.complainant_contact, complaint.anonymous) == (
        "Bu Siti", "0812 3456", False
    )  # fmt: skip
    assert complaint.source_address == services.address_key("10.0.0.9") != services.address_key("")
    unnamed = services.complaint_submit_public(data=form | {"complainant_name": None, "description": "Tanya 2"},
                                               address="10.0.0.9")  # fmt: skip
    assert (unnamed.anonymous, unnamed.complainant_contact) == (False, "0812 3456")  # no name is not anonymity
    no_contact = services.complaint_submit_public(
        data=form | {"complainant_contact": None, "description": "Tanya 3"}, address="10.0.0.9"
    )
    assert (no_contact.complainant_name, no_contact.complainant_contact) == ("Bu Siti", "")


def test_the_status_check_takes_number_and_secret_as_people_type_them():
    complaint = services.complaint_record(data=_data(), actor=None)
    found = services.complaint_lookup(number=f" {complaint.number.lower()} ", secret=f" {complaint.secret.lower()} ")
    assert found == complaint
    assert services.complaint_lookup(number=complaint.number, secret=None) is None
    assert services.complaint_lookup(number=None, secret=complaint.secret) is None


# The list -------------------------------------------------------------------------------------------------------


def test_overdue_means_past_the_resolution_or_unanswered_past_the_first_response():
    complaint = services.complaint_record(data=_data(), actor=None)  # respond by 2 Dec, resolve by 4 Dec
    everything = Complaint.objects.all()
    assert list(selectors.overdue(everything, today=D(2026, 12, 2))) == []
    assert list(selectors.overdue(everything, today=D(2026, 12, 3))) == [complaint]  # unanswered
    services.complaint_step(complaint=complaint, status="ditindaklanjuti", note="Dicek", actor=None)
    assert list(selectors.overdue(everything, today=D(2026, 12, 3))) == []  # answered: the resolution counts
    complaint.refresh_from_db()
    assert selectors.time_left(complaint, today=D(2026, 12, 3)) == 1
    fresh = services.complaint_record(data=_data(), actor=None)
    assert selectors.time_left(fresh, today=D(2026, 11, 30)) == 2  # new: to the first response
