import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from beneficiaries.models import MemberRole
from disbursements.services import allocations_create, handover_create, package_lines
from tests.factories import (
    ApprovedItemFactory,
    CeilingFactory,
    KubeMemberFactory,
    PackageFactory,
    ProposalItemFactory,
    TrainingSessionFactory,
    VerifikatorFactory,
)
from tests.factories.disbursements import _handover
from training.models import Attendance
from training.selectors import training_gate
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db


def test_invite_one_or_all_and_capacity():
    session = TrainingSessionFactory(capacity=3)
    items = ApprovedItemFactory.create_batch(3)
    participants_invite(session=session, item_ids=[items[0].pk], actor=None)
    participants_invite(session=session, item_ids=[items[0].pk, items[1].pk], actor=None)  # the first is skipped
    assert session.attendances.count() == 2
    extra = ApprovedItemFactory.create_batch(2)
    with pytest.raises(ValidationError, match="Kapasitas sesi 3 orang"):
        participants_invite(session=session, item_ids=[i.pk for i in [items[2], *extra]], actor=None)
    assert session.attendances.count() == 2
    assert AuditEvent.objects.filter(action="attendance.invite").count() == 2


def test_only_approved_recipients_of_the_sessions_regency_and_program(balikpapan):
    session = TrainingSessionFactory()
    for item in (ProposalItemFactory(), ApprovedItemFactory(proposal__regency=balikpapan)):
        with pytest.raises(ValidationError, match="Hanya penerima disetujui"):
            participants_invite(session=session, item_ids=[item.pk], actor=None)


def test_the_bimtek_gate_for_wrse_and_for_the_three_kube_officers():
    item = ApprovedItemFactory()
    session = TrainingSessionFactory()
    assert training_gate(item) == [f"{item.person.full_name} belum tercatat hadir pada Bimtek."]
    [attendance] = participants_invite(session=session, item_ids=[item.pk], actor=None)
    attendance_mark(attendance=attendance, status="excused", actor=None)
    assert training_gate(item)  # excused is not attended
    attendance_mark(attendance=attendance, status="present", actor=None)
    assert training_gate(item) == []

    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    group = chair.group
    roles = (MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER, MemberRole.MEMBER)
    members = [chair] + [KubeMemberFactory(group=group, role=role) for role in roles]
    kube_item = ApprovedItemFactory(proposal__program="KUBE", person=None, group=group)
    kube_session = TrainingSessionFactory(program="KUBE")
    invited = participants_invite(session=kube_session, item_ids=[kube_item.pk], actor=None)
    assert len(invited) == 5  # every member individually
    by_person = {a.person_id: a for a in invited}
    for member in members[3:]:  # the two ordinary members attend, the officers not yet
        attendance_mark(attendance=by_person[member.person_id], status="present", actor=None)
    assert len(training_gate(kube_item)) == 3
    for member in members[:3]:
        attendance_mark(attendance=by_person[member.person_id], status="present", actor=None)
    assert training_gate(kube_item) == []


def _allocated(**item_fields):
    CeilingFactory(amount=Decimal("100000000"))
    item = ApprovedItemFactory(**item_fields)
    package = PackageFactory()
    return allocations_create(item_ids=[item.pk], lines=package_lines(package), actor=None)[0]


def test_no_handover_without_attendance_then_numbered_and_realised(client):
    allocation = _allocated()
    with pytest.raises(ValidationError) as refused:
        _handover(allocation)
    assert refused.value.messages[0] == "Serah terima hanya setelah Bimtek."
    session = TrainingSessionFactory()
    [attendance] = participants_invite(session=session, item_ids=[allocation.item_id], actor=None)
    attendance_mark(attendance=attendance, status="present", actor=None)
    handover = _handover(allocation)
    assert handover.number == "BAST/WRSE/64.72/2024/0001"
    assert handover.value == Decimal("4000000") and handover.lines.count() == 2
    with pytest.raises(ValidationError, match="sudah diserahterimakan"):
        _handover(allocation)
    client.force_login(VerifikatorFactory())
    overview = client.get(reverse("disbursements:budget_overview", args=[2024])).context["overview"]
    assert overview.totals["realised"] == Decimal("4000000")


def test_attendance_checklist_tick_saves_and_answers_the_row(client):
    item = ApprovedItemFactory()
    session = TrainingSessionFactory()
    [attendance] = participants_invite(session=session, item_ids=[item.pk], actor=None)
    client.force_login(VerifikatorFactory())
    url = reverse("training:attendance_mark", args=[session.pk, attendance.pk])
    response = client.post(url, {"status": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="peserta-' in response.content.decode()
    assert Attendance.objects.get().status == "present"
    assert AuditEvent.objects.filter(action="attendance.mark").count() == 1


def test_attendance_sheet_round_trip(client):
    items = ApprovedItemFactory.create_batch(3)
    session = TrainingSessionFactory()
    participants_invite(session=session, item_ids=[i.pk for i in items], actor=None)
    client.force_login(VerifikatorFactory())
    sheet = client.get(reverse("training:attendance_sheet", args=[session.pk])).content.decode()
    assert "DAFTAR HADIR" in sheet and "Tanda Tangan" in sheet and items[0].person.full_name in sheet
    exported = client.get(reverse("training:attendance_export", args=[session.pk]))
    book = load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    header = next(n for n, row in enumerate(rows) if row and row[0] == "No")
    sheet = book.active
    sheet.cell(row=header + 2, column=6, value="Hadir")
    sheet.cell(row=header + 3, column=6, value="izin")
    sheet.cell(row=header + 4, column=6, value="Sakit")  # not a status
    bad = io.BytesIO()
    book.save(bad)
    upload_url = reverse("training:attendance_upload", args=[session.pk])
    response = client.post(upload_url, {"workbook": _file(bad.getvalue())}, follow=True)
    text = response.content.decode()
    assert f"Baris {header + 4}, kolom F: Kehadiran “Sakit” tidak dikenal" in text
    assert not Attendance.objects.exclude(status="").exists()  # nothing half written
    sheet.cell(row=header + 4, column=6, value="Tidak Hadir")
    good = io.BytesIO()
    book.save(good)
    client.post(upload_url, {"workbook": _file(good.getvalue())})
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["absent", "excused", "present"]


def _file(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("hadir.xlsx", data)


def test_handover_service_refuses_a_void_allocation():
    from disbursements.services import allocation_void

    allocation = _allocated()
    allocation_void(allocation=allocation, reason="salah", actor=None)
    with pytest.raises(ValidationError, match="sudah dibatalkan"):
        handover_create(allocation=allocation, data={}, actor=None)


def test_rates_workbook_per_session_and_regency(client):
    items = ApprovedItemFactory.create_batch(4)
    session = TrainingSessionFactory()
    attendances = participants_invite(session=session, item_ids=[i.pk for i in items], actor=None)
    for attendance, status in zip(attendances, ["present", "present", "present", "absent"], strict=True):
        attendance_mark(attendance=attendance, status=status, actor=None)
    client.force_login(VerifikatorFactory())
    response = client.get(reverse("training:rates_export"), {"tahun": 2024})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    [session_row] = [r for r in rows if r and r[1] == "WRSE"]
    assert session_row[5:] == (4, 3, 0, 1, 75.0)
    [total] = [r for r in rows if r and str(r[0]).startswith("JUMLAH")]
    assert total[0] == "JUMLAH Kota Samarinda" and total[5:7] == (4, 3) and total[9] == 75.0


def test_a_kube_handover_goes_to_its_ketua_once_the_three_officers_attended():
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    group = chair.group
    officers = [chair] + [KubeMemberFactory(group=group, role=r) for r in (MemberRole.SECRETARY, MemberRole.TREASURER)]
    KubeMemberFactory(group=group, role=MemberRole.MEMBER)
    item = ApprovedItemFactory(proposal__program="KUBE", person=None, group=group)
    CeilingFactory(program="KUBE", amount=Decimal("100000000"))
    package = PackageFactory(program="KUBE")
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(package), package=package, actor=None)
    invited = {a.person_id: a for a in participants_invite(session=TrainingSessionFactory(program="KUBE"),
                                                           item_ids=[item.pk], actor=None)}  # fmt: skip
    for officer in officers[:2]:
        attendance_mark(attendance=invited[officer.person_id], status="present", actor=None)
    with pytest.raises(ValidationError, match="bendahara"):
        _handover(allocation)
    attendance_mark(attendance=invited[officers[2].person_id], status="present", actor=None)
    handover = _handover(allocation)
    assert handover.number == "BAST/KUBE/64.72/2024/0001"
    assert handover.second_party_name == chair.person.full_name
    assert handover.second_party_role == f"Ketua {group.label}"


def test_the_daftar_hadir_has_a_signature_column_per_day_and_a_closing_block(client):
    items = ApprovedItemFactory.create_batch(2)
    session = TrainingSessionFactory(start_date=datetime.date(2024, 7, 15), end_date=datetime.date(2024, 7, 17))
    participants_invite(session=session, item_ids=[i.pk for i in items], actor=None)
    client.force_login(VerifikatorFactory())
    sheet = client.get(reverse("training:attendance_sheet", args=[session.pk])).content.decode()
    assert sheet.count('data-testid="sign-day"') == 3
    assert "Hari 1 (15/07/2024)" in sheet and "Hari 3 (17/07/2024)" in sheet
    assert sheet.count('class="sign"') == 2 * 3  # two participants × three days
    assert "Samarinda, 17 Juli 2024" in sheet and "Panitia Penyelenggara" in sheet and "Mengetahui," in sheet
    assert f'href="{session.get_absolute_url()}"' in sheet and "Kembali ke sesi Bimtek" in sheet
    assert items[0].person.masked_nik in sheet and items[0].person.nik not in sheet


def test_the_only_open_budget_year_is_preselected_on_a_new_session(client):
    from tests.factories import BudgetYearFactory

    year = BudgetYearFactory()
    client.force_login(VerifikatorFactory())
    form = client.get(reverse("training:session_create")).context["form"]
    assert form["budget_year"].value() == year.pk
