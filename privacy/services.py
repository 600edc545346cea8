"""Recording a person's request and answering it, each audited in its own transaction; the person's file produced
for an access request (audited with full_nik: it holds the whole NIK and KK)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from privacy.models import Status, SubjectRequest

FIELDS = ["kind", "channel", "received_at", "requester_name", "on_behalf", "identity_check", "description"]


def request_record(*, person, data: dict, actor, complaint=None) -> SubjectRequest:
    """Record a request; one that came through the public complaint page keeps its complaint."""
    with transaction.atomic():
        request = SubjectRequest.objects.create(person=person, regency_id=person.regency_id, recorded_by=actor,
                                                complaint=complaint,
                                                **{name: data[name] for name in FIELDS})  # fmt: skip
        after = {"person": person.pk, "kind": request.kind, "due_at": request.due_at.isoformat()}
        if complaint is not None:
            after["complaint"] = complaint.number
        audit_record(actor=actor, action="subject_request.create", obj=request, after=after)
    return request


def request_answer(*, request: SubjectRequest, status: str, answer: str, actor) -> SubjectRequest:
    """Close a request: fulfilled (with what was done) or refused (with the reason and, for a deletion the law does not
    yet allow, until when the record must be kept)."""
    if status not in (Status.DONE, Status.REFUSED) or not (answer or "").strip():
        raise ValidationError({"answer": "Tuliskan jawaban atau alasan penolakan."})
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != Status.OPEN:
            raise ValidationError("Permintaan ini sudah dijawab.")
        locked.status, locked.answer = status, answer.strip()
        locked.answered_at, locked.answered_by = timezone.now(), actor
        locked.save(update_fields=["status", "answer", "answered_at", "answered_by"])
        late = locked.answered_at > locked.due_at
        audit_record(actor=actor, action="subject_request.answer", obj=locked,
                     after={"status": status, "answer": locked.answer, "late": late})  # fmt: skip
    return locked


def file_taken(*, request: SubjectRequest, actor) -> None:
    """The access file was produced (an export of one person's whole record, whole NIK included)."""
    with transaction.atomic():
        audit_record(actor=actor, action="subject_request.file", obj=request, regency_id=request.regency_id,
                     after={"person": request.person_id, "full_nik": True})  # fmt: skip
