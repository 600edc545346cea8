"""Writes of complaints: record one (a gap-free tracking number per year, deadlines in working days) and take it
through its steps, each with a note and an audit event."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record, snapshot
from complaints.models import (
    RESOLVE_DAYS,
    RESPOND_DAYS,
    SENSITIVE_CATEGORIES,
    Channel,
    Complaint,
    ComplaintCounter,
    ComplaintStep,
    Outcome,
    Status,
)
from core.workdays import add_working_days

FIELDS = [
    "received_on",
    "channel",
    "lapor_ticket",
    "anonymous",
    "complainant_name",
    "complainant_contact",
    "category",
    "complexity",
    "description",
    "regency",
    "sensitive",
    "person",
    "group",
    "handover",
]
# Which steps may follow which: "selesai" is the end.
NEXT = {
    Status.NEW: {Status.IN_PROGRESS, Status.WAITING, Status.CLOSED},
    Status.IN_PROGRESS: {Status.WAITING, Status.CLOSED},
    Status.WAITING: {Status.IN_PROGRESS, Status.CLOSED},
    Status.CLOSED: set(),
}


def _next_number(year: int) -> tuple[int, str]:
    ComplaintCounter.objects.get_or_create(year=year)
    counter = ComplaintCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"PGD/{year}/{counter.last:04d}"


def complaint_problems(data: dict[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    received = data.get("received_on")
    if received and received > timezone.localdate():
        problems["received_on"] = ["Tanggal diterima tidak boleh di masa depan."]
    if data.get("channel") == Channel.LAPOR and not (data.get("lapor_ticket") or "").strip():
        problems["lapor_ticket"] = ["Nomor tiket LAPOR! wajib diisi untuk pengaduan dari LAPOR!/SP4N."]
    if (
        not data.get("anonymous")
        and not (data.get("complainant_name") or "").strip()
        and (data.get("channel") != Channel.VERIFICATION)
    ):
        problems["complainant_name"] = ["Isi nama pelapor, atau tandai pelapor tidak bersedia disebut namanya."]
    for name in ("person", "group", "handover"):
        linked = data.get(name)
        regency = data.get("regency")
        if linked is not None and regency is not None and linked.regency_id != regency.pk:
            problems[name] = ["Yang ditautkan harus dari kabupaten/kota pengaduan ini."]
    return problems


@transaction.atomic
def complaint_record(*, data: dict[str, Any], actor) -> Complaint:
    """Record a complaint: its tracking number (gap-free per year), the secret for the public status page, and
    the deadlines (first response in 3 working days; resolution in 5, 14 or 60 by its kind). Extortion is
    always sensitive."""
    problems = complaint_problems(data)
    if problems:
        raise ValidationError(problems)
    received = data["received_on"]
    sequence, number = _next_number(received.year)
    complaint = Complaint(
        number=number,
        year=received.year,
        sequence=sequence,
        secret=secrets.token_hex(3).upper(),
        respond_by=add_working_days(received, RESPOND_DAYS),
        resolve_by=add_working_days(received, RESOLVE_DAYS[data.get("complexity") or "sederhana"]),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **{name: data[name] for name in FIELDS if name in data},
    )
    if complaint.anonymous:
        complaint.complainant_name = complaint.complainant_contact = ""
    complaint.sensitive = complaint.sensitive or complaint.category in SENSITIVE_CATEGORIES
    complaint.full_clean(exclude=["secret"])
    complaint.save()
    audit_record(actor=actor, action="complaint.create", obj=complaint, after=snapshot(complaint, FIELDS + ["number"]))
    return complaint


@transaction.atomic
def complaint_step(*, complaint: Complaint, status: str, note: str, public: bool = False, outcome: str = "", actor):
    """Take a complaint to its next status with a note (an outcome when it is closed), audited. The first step
    after "baru" is its first response."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    note = (note or "").strip()
    problems: dict[str, list[str]] = {}
    if status not in NEXT.get(complaint.status, set()):
        problems["status"] = [f"Dari “{complaint.get_status_display()}” tidak dapat ke status itu."]
    if not note:
        problems["note"] = ["Tulis catatan tindak lanjut."]
    if status == Status.CLOSED and outcome not in Outcome.values:
        problems["outcome"] = ["Pilih hasil penanganan untuk menutup pengaduan."]
    if problems:
        raise ValidationError(problems)
    before = {"status": complaint.status, "outcome": complaint.outcome}
    now = timezone.now()
    if complaint.responded_at is None:
        complaint.responded_at = now
    complaint.status = status
    if status == Status.CLOSED:
        complaint.outcome, complaint.closed_at = outcome, now
    complaint.save(update_fields=["status", "outcome", "responded_at", "closed_at"])
    step = ComplaintStep.objects.create(
        complaint=complaint, status=status, note=note, public=public,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="complaint.step",
        obj=complaint,
        before=before,
        after={"status": status, "outcome": complaint.outcome, "note": note, "public": public},
    )
    if status == Status.CLOSED and outcome in PROVEN:
        _record_on_linked(complaint, note, actor)
    return step


PROVEN = (Outcome.PROVEN, Outcome.PARTLY)


def _record_on_linked(complaint: Complaint, note: str, actor) -> None:
    """A proven complaint leaves its finding on the record it names, through that record's own service: a BAST
    gets a note; a person proposed this year (not targeted, wrong data) gets their item flagged for review."""
    from disbursements.services import handover_flag
    from proposals.models import ItemStatus, ProposalItem
    from proposals.services import item_flag_for_review

    reason = f"Pengaduan {complaint.number} {complaint.get_outcome_display().lower()}: {note}"
    if complaint.handover_id:
        handover_flag(handover=complaint.handover, reason=reason, actor=actor)
    if complaint.person_id or complaint.group_id:
        items = ProposalItem.objects.filter(
            status__in=[ItemStatus.PENDING, ItemStatus.APPROVED, ItemStatus.RETURNED],
            proposal__budget_year__status__in=["planning", "open"],  # a closed year's data no longer change
        )
        items = (
            items.filter(person=complaint.person_id) if complaint.person_id else items.filter(group=complaint.group_id)
        )
        for item in items.select_related("proposal"):
            item_flag_for_review(item=item, reason=reason, actor=actor)


PUBLIC_PER_HOUR = 5  # complaints from one address in an hour through the public page


def address_key(address: str) -> str:
    """A keyed hash of a client address: enough to count, useless to anyone reading the database."""
    import hashlib
    import hmac

    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()[:32]


@transaction.atomic
def complaint_submit_public(*, data: dict[str, Any], address: str) -> Complaint:
    """A complaint from the public page (no login): at most PUBLIC_PER_HOUR per address, stored as given."""
    key = address_key(address)
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    if Complaint.objects.filter(source_address=key, created_at__gte=hour_ago).count() >= PUBLIC_PER_HOUR:
        raise ValidationError("Terlalu banyak pengaduan dari alamat ini dalam satu jam. Silakan coba lagi nanti.")
    name = (data.get("complainant_name") or "").strip()
    complaint = complaint_record(
        data={
            "received_on": timezone.localdate(),
            "channel": Channel.WEB,
            "anonymous": not name,
            "complainant_name": name,
            "complainant_contact": (data.get("complainant_contact") or "").strip(),
            "category": data["category"],
            "description": data["description"],
            "regency": data["regency"],
        },
        actor=None,
    )
    Complaint.objects.filter(pk=complaint.pk).update(source_address=key)
    return complaint


def complaint_lookup(*, number: str, secret: str) -> Complaint | None:
    """The complaint a member of the public may follow: its number and its secret, both exact."""
    import hmac

    complaint = Complaint.objects.filter(number=(number or "").strip().upper()).first()
    if complaint is None or not hmac.compare_digest(complaint.secret, (secret or "").strip().upper()):
        return None
    return complaint
