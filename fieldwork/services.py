"""Applying what a phone sends: each action once (its client id is the idempotency key), through the service
of the app that owns the data, with the same rights and scope as the page it replaces; what the server refuses
is kept with its reason, so the phone is told the same answer again if it sends the action again."""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from audit.services import done_on_device
from disbursements.permissions import can_attach_handover
from disbursements.selectors import handovers_visible_to
from disbursements.services import handover_attach
from fieldwork.models import FieldAction, Kind, Result
from monitoring import selectors as monitoring_selectors
from monitoring.forms import VisitForm
from monitoring.permissions import can_record_visits
from monitoring.services import visit_photo_add, visit_record
from training.models import Attendance, AttendanceStatus
from training.permissions import can_mark_attendance
from training.selectors import sessions_visible_to
from training.services import attendance_mark

NOT_FOUND = "Data ini tidak ditemukan atau di luar wilayah Anda."
NOT_ALLOWED = "Anda tidak berhak melakukan tindakan ini."


@dataclass
class Answer:
    client_id: str
    result: str
    reason: str
    duplicate: bool  # already received before: nothing was done again

    def as_json(self) -> dict:
        return {"id": self.client_id, "result": self.result, "reason": self.reason, "duplicate": self.duplicate}


# A phone's clock is believed from this day on, and up to a day ahead of the server (then taken as the arrival);
# outside that the action is refused with the reason, never stored with a date like 0001-01-01 or 1970.
EARLIEST_DONE = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
CLOCK_AHEAD = datetime.timedelta(days=1)
MAX_ID = 2**63 - 1


class ClockRefused(ValueError):
    pass


def parse_done_at(value: str, received: datetime.datetime) -> datetime.datetime:
    """The phone's clock as it sent it (ISO 8601); never later than the arrival (a phone's clock may run ahead a
    little). None sent: the arrival. Unreadable, before EARLIEST_DONE or more than CLOCK_AHEAD ahead: ClockRefused."""
    if not value:
        return received
    try:
        done = datetime.datetime.fromisoformat((value or "").replace("Z", "+00:00"))
        if timezone.is_naive(done):
            done = timezone.make_aware(done)
        done.astimezone(datetime.UTC)
        wrong = done < EARLIEST_DONE or done > received + CLOCK_AHEAD
    except (ValueError, OverflowError):
        wrong = True
    if wrong:
        raise ClockRefused(
            f"Tanggal dan jam di perangkat ({value}) tidak masuk akal; betulkan tanggal dan jam ponsel, lalu catat "
            "lagi."
        )
    return min(done, received)


def action_apply(*, user, client_id: str, kind: str, target_id, done_at: str, data: dict, uploads=()) -> Answer:
    """Apply one action from a phone, or answer again what was answered the first time."""
    try:
        key = uuid.UUID(str(client_id))
    except ValueError:
        return Answer(str(client_id), Result.REFUSED, "ID tindakan tidak sah.", False)
    if not (can_mark_attendance(user) or can_attach_handover(user) or can_record_visits(user)):
        return Answer(str(key), Result.REFUSED, NOT_ALLOWED, False)  # a role without field work: nothing stored
    known = FieldAction.objects.filter(client_id=key).first()
    if known is not None:
        return _answer_again(known, user)
    received = timezone.now()
    try:
        done = parse_done_at(done_at, received)
    except ClockRefused as refused:
        done, clock = received, str(refused)
    else:
        clock = ""
    try:
        with transaction.atomic():
            reason = clock
            target = _int(target_id)
            try:
                if not clock:
                    with transaction.atomic(), done_on_device(done):
                        target = _apply(
                            user=user, kind=kind, target_id=target_id, data=data, uploads=list(uploads), done=done
                        )
            except ValidationError as refused:
                reason = " ".join(refused.messages)
            action = FieldAction.objects.create(
                client_id=key,
                user=user,
                kind=str(kind)[:12],
                target_id=target,
                done_at=done,
                result=Result.REFUSED if reason else Result.APPLIED,
                reason=reason,
            )
    except IntegrityError:  # the same action arrived twice at once: the other request applied it
        return _answer_again(FieldAction.objects.get(client_id=key), user)
    return Answer(str(key), action.result, action.reason, False)


def _answer_again(action: FieldAction, user) -> Answer:
    if action.user_id != user.pk:
        return Answer(str(action.client_id), Result.REFUSED, "ID tindakan tidak sah.", False)
    return Answer(str(action.client_id), action.result, action.reason, True)


def _int(value) -> int:
    """An id sent by the phone; 0 (found nowhere) for anything that is not a positive id a database can hold."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    return number if 0 < number <= MAX_ID else 0


def _within_year(done: datetime.datetime, budget_year) -> None:
    """Work of a budget year is not done before that year began (the phone's clock was wrong)."""
    if timezone.localtime(done).year < budget_year.year:
        raise ValidationError(
            f"Tanggal di perangkat ({timezone.localtime(done):%d/%m/%Y}) sebelum tahun anggaran {budget_year.year}; "
            "betulkan tanggal dan jam ponsel, lalu catat lagi."
        )


def _apply(*, user, kind: str, target_id, data: dict, uploads: list, done: datetime.datetime) -> int:
    """Do the action through its app's service; a refusal is a ValidationError with the reason in Indonesian."""
    pk = _int(target_id)
    if kind == Kind.ATTENDANCE:
        if not can_mark_attendance(user):
            raise ValidationError(NOT_ALLOWED)
        try:
            attendance = Attendance.objects.select_related("session__budget_year").get(
                session__in=sessions_visible_to(user), pk=pk
            )
        except ObjectDoesNotExist:
            raise ValidationError(NOT_FOUND) from None
        _within_year(done, attendance.session.budget_year)
        status = data.get("status", "")
        if status not in AttendanceStatus.values:
            raise ValidationError("Status kehadiran tidak dikenal.")
        attendance_mark(attendance=attendance, status=status, actor=user)
        return pk
    if kind == Kind.HANDOVER_PHOTO:
        if not can_attach_handover(user):
            raise ValidationError(NOT_ALLOWED)
        try:
            handover = handovers_visible_to(user).select_related("budget_year").get(pk=pk)
        except ObjectDoesNotExist:
            raise ValidationError(NOT_FOUND) from None
        _within_year(done, handover.budget_year)
        if not uploads:
            raise ValidationError("Foto tidak ikut terkirim; ambil fotonya lagi.")
        handover_attach(handover=handover, field="photo", upload=uploads[0], actor=user)
        return pk
    if kind == Kind.VISIT:
        return _visit(user=user, pk=pk, data=data, uploads=uploads, done=done)
    raise ValidationError("Jenis tindakan tidak dikenal.")


def _visit(*, user, pk: int, data: dict, uploads: list, done: datetime.datetime) -> int:
    """A monitoring visit filled in on the phone: judged by the visit form's own rules, recorded with its photos
    all together or not at all. Answers the visit's id."""
    if not can_record_visits(user):
        raise ValidationError(NOT_ALLOWED)
    try:
        handover = monitoring_selectors.handover_for_visit(user=user, pk=pk)
    except ObjectDoesNotExist:
        raise ValidationError(NOT_FOUND) from None
    _within_year(done, handover.budget_year)
    form = VisitForm(data, MultiValueDict({"photos": uploads}), handover=handover)
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[name].label if name in form.fields else 'Isian'}: {' '.join(errors)}"
             for name, errors in form.errors.items()]
        )  # fmt: skip
    visit = visit_record(handover=handover, data=form.answers(), goods=form.goods(), actor=user)
    for upload in form.cleaned_data.get("photos") or []:
        try:
            visit_photo_add(visit=visit, upload=upload, actor=user)
        except ValidationError as refused:
            raise ValidationError(f"Foto {upload.name}: {' '.join(refused.messages)}") from None
    return visit.pk
