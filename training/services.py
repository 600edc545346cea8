"""Writes of Bimtek sessions and attendance; each writes its audit events in the same transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record, audit_record_many, snapshot
from beneficiaries.models import KubeMember
from programs.services import ensure_year_writable
from proposals.models import ItemStatus, ProposalItem
from training.models import Attendance, AttendanceStatus, TrainingSession


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


@transaction.atomic
def session_save(*, session: TrainingSession | None = None, data: dict[str, Any], actor) -> TrainingSession:
    """Create or change a Bimtek session (its year must not be closed)."""
    if session is not None:
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)  # not the form's edited copy
    before = snapshot(session) if session is not None else None
    session = session or TrainingSession(created_by=_user(actor))
    for name, value in data.items():
        setattr(session, name, value)
    ensure_year_writable(session.budget_year)
    session.full_clean()
    if session.capacity < (session.attendances.count() if session.pk else 0):
        raise ValidationError({"capacity": "Kapasitas lebih kecil dari jumlah peserta yang sudah diundang."})
    after = snapshot(session)
    if after != before:
        session.save()
        audit_record(
            actor=actor,
            action="training_session.create" if before is None else "training_session.update",
            obj=session,
            before=before,
            after=snapshot(session),
        )
    return session


@transaction.atomic
def participants_invite(*, session: TrainingSession, item_ids, actor) -> list[Attendance]:
    """Invite approved recipients of the session's year, program and regency: a WRSE woman herself, every
    member of a KUBE group individually. Already invited people are skipped; refuses beyond capacity."""
    session = TrainingSession.objects.select_for_update(of=("self",)).select_related("budget_year").get(pk=session.pk)
    ensure_year_writable(session.budget_year)
    items = list(
        ProposalItem.objects.filter(
            pk__in=set(item_ids),
            status=ItemStatus.APPROVED,
            proposal__budget_year=session.budget_year_id,
            proposal__program=session.program,
            proposal__regency=session.regency_id,
        ).select_related("person")
    )
    if len(items) != len(set(item_ids)):
        raise ValidationError(
            "Hanya penerima disetujui dari tahun, program dan kabupaten/kota sesi ini yang dapat diundang."
        )
    members: dict[int, list[int]] = {}
    for member in KubeMember.objects.filter(group__in=[i.group_id for i in items if i.group_id]):
        members.setdefault(member.group_id, []).append(member.person_id)
    invited = set(session.attendances.values_list("person_id", flat=True))
    new = []
    for item in items:
        for person_id in [item.person_id] if item.person_id else members.get(item.group_id, []):
            if person_id not in invited:
                invited.add(person_id)
                new.append(Attendance(session=session, item=item, person_id=person_id))
    if len(invited) > session.capacity:
        raise ValidationError(
            f"Kapasitas sesi {session.capacity} orang; dengan undangan ini peserta menjadi {len(invited)} orang."
        )
    created = Attendance.objects.bulk_create(new)
    audit_record_many(
        actor=actor,
        action="attendance.invite",
        objects=created,
        after=lambda a: {"session": session.pk, "item": a.item_id, "person": a.person_id},
        regency_id=lambda a: session.regency_id,
    )
    return created


@transaction.atomic
def attendance_mark(*, attendance: Attendance, status: str, actor) -> Attendance:
    """Record (or correct) one participant's attendance."""
    if status not in AttendanceStatus.values:
        raise ValidationError("Status kehadiran tidak dikenal.")
    attendance = (
        Attendance.objects.select_for_update(of=("self",)).select_related("session__budget_year").get(pk=attendance.pk)
    )
    ensure_year_writable(attendance.session.budget_year)
    if attendance.status == status:
        return attendance
    before = {"status": attendance.status}
    attendance.status, attendance.marked_at, attendance.marked_by = status, timezone.now(), _user(actor)
    attendance.save(update_fields=["status", "marked_at", "marked_by"])
    audit_record(
        actor=actor,
        action="attendance.mark",
        obj=attendance,
        regency_id=attendance.session.regency_id,
        before=before,
        after={"status": status, "session": attendance.session_id, "person": attendance.person_id},
    )
    return attendance


@transaction.atomic
def attendance_apply(*, session: TrainingSession, statuses: dict[int, str], actor) -> int:
    """Record many participants' attendance at once (the imported sheet): {attendance id: status}. All or
    nothing; returns how many changed."""
    session = TrainingSession.objects.select_for_update(of=("self",)).select_related("budget_year").get(pk=session.pk)
    ensure_year_writable(session.budget_year)
    rows = {a.pk: a for a in session.attendances.select_for_update().filter(pk__in=statuses)}
    changed = []
    now = timezone.now()
    before = {}
    for pk, status in statuses.items():
        attendance = rows[pk]
        if attendance.status != status:
            before[pk] = {"status": attendance.status}
            attendance.status, attendance.marked_at, attendance.marked_by = status, now, _user(actor)
            changed.append(attendance)
    Attendance.objects.bulk_update(changed, ["status", "marked_at", "marked_by"])
    audit_record_many(
        actor=actor,
        action="attendance.mark",
        objects=changed,
        before=lambda a: before[a.pk],
        after=lambda a: {"status": a.status, "session": session.pk, "person": a.person_id},
        regency_id=lambda a: session.regency_id,
    )
    return len(changed)
