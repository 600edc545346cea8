"""Writes of complaints: record one (a gap-free tracking number per year, deadlines in working days) and take it
through its steps, each with a note and an audit event."""

import logging
import os
import secrets
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record, snapshot
from complaints.models import (
    RESOLVE_DAYS,
    RESPOND_DAYS,
    SENSITIVE_CATEGORIES,
    AttachmentKind,
    Channel,
    Complaint,
    ComplaintAttachment,
    ComplaintCounter,
    ComplaintStep,
    Outcome,
    RefusedSubmission,
    Status,
    StatusLookupFailure,
)
from core import photos
from core.workdays import add_working_days

logger = logging.getLogger(__name__)

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
    "item",
    "allocation",
    "handover",
]
LINKS = ("person", "group", "item", "allocation", "handover")
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
        # A finding of the verification has no complainant; a citizen on the public page may leave her name out
        # without asking to stay anonymous (her phone number is then how she is reached).
        and data.get("channel") not in (Channel.VERIFICATION, Channel.WEB)
    ):
        problems["complainant_name"] = ["Isi nama pelapor, atau tandai pelapor tidak bersedia disebut namanya."]
    for name, message in _link_problems(data).items():
        problems.setdefault(name, []).append(message)
    return problems


def derive_links(data: dict[str, Any]) -> dict[str, Any]:
    """Fill the links a complaint implies: a BAST names its allocation, an allocation its proposal item, an item
    its person or KUBE group. What was given stays as given (a mismatch is a problem, see complaint_problems)."""
    data = dict(data)
    if data.get("handover") is not None and data.get("allocation") is None:
        data["allocation"] = data["handover"].allocation
    if data.get("allocation") is not None and data.get("item") is None:
        data["item"] = data["allocation"].item
    item = data.get("item")
    if item is not None:
        if item.person_id and data.get("person") is None:
            data["person"] = item.person
        if item.group_id and data.get("group") is None:
            data["group"] = item.group
    return data


def _link_problems(data: dict[str, Any]) -> dict[str, str]:
    problems = {}
    handover, allocation, item = data.get("handover"), data.get("allocation"), data.get("item")
    if handover is not None and allocation is not None and handover.allocation_id != allocation.pk:
        problems["handover"] = "BAST ini bukan serah terima alokasi yang ditautkan."
    if allocation is not None and item is not None and allocation.item_id != item.pk:
        problems["allocation"] = "Alokasi ini bukan milik usulan penerima yang ditautkan."
    if item is not None:
        person, group = data.get("person"), data.get("group")
        if person is not None and item.person_id != person.pk or group is not None and item.group_id != group.pk:
            problems["item"] = "Usulan ini bukan milik penduduk atau KUBE yang ditautkan."
    regency = data.get("regency")
    for name in LINKS:
        linked = data.get(name)
        if linked is None or regency is None or name in problems:
            continue
        linked_regency = linked.proposal.regency_id if name == "item" else linked.regency_id
        if linked_regency != regency.pk:
            problems[name] = "Yang ditautkan harus dari kabupaten/kota pengaduan ini."
    return problems


@transaction.atomic
def complaint_record(*, data: dict[str, Any], actor) -> Complaint:
    """Record a complaint: its tracking number (gap-free per year), the secret for the public status page, and
    the deadlines (first response in 3 working days; resolution in 5, 14 or 60 by its kind). Extortion is
    always sensitive. Links are completed upwards (BAST → allocation → item → person or group)."""
    data = derive_links(data)
    problems = complaint_problems(data)
    if problems:
        raise ValidationError(problems)
    received = data["received_on"]
    sequence, number = _next_number(received.year)
    complaint = Complaint(
        number=number,
        year=received.year,
        sequence=sequence,
        secret=new_secret(),
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


@transaction.atomic
def complaint_link(*, complaint: Complaint, links: dict[str, Any], actor) -> Complaint:
    """Name what a complaint is about after it came in (a public complaint names nothing): the person, KUBE group
    or BAST the officer found, completed upwards as when it is recorded, within the complaint's regency; what was
    linked before is replaced. Audited. Not once the complaint is closed (its finding went to what it named)."""
    complaint = Complaint.objects.select_for_update().select_related("regency").get(pk=complaint.pk)
    if complaint.status == Status.CLOSED:
        raise ValidationError("Pengaduan yang sudah selesai tidak dapat ditautkan lagi.")
    given = {name: links.get(name) for name in LINKS if links.get(name) is not None}
    if not given:
        raise ValidationError("Isi NIK, KUBE atau nomor BAST yang diadukan.")
    data = derive_links({**dict.fromkeys(LINKS), **given, "regency": complaint.regency})
    problems = _link_problems(data)
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})
    before = {name: getattr(complaint, f"{name}_id") for name in LINKS}
    for name in LINKS:
        setattr(complaint, name, data[name])
    after = {name: getattr(complaint, f"{name}_id") for name in LINKS}
    if after != before:
        complaint.save(update_fields=list(LINKS))
        audit_record(actor=actor, action="complaint.link", obj=complaint, before=before, after=after)
    return complaint


def _record_on_linked(complaint: Complaint, note: str, actor) -> None:
    """A proven complaint leaves its finding on the record it names, through that record's own service: a BAST
    gets a note, else an allocation (goods never handed over); the proposal item named, else the person's or
    group's items of a year still open, are flagged for review."""
    from disbursements.services import allocation_flag, handover_flag
    from proposals.models import ItemStatus, ProposalItem
    from proposals.services import item_flag_for_review

    reason = f"Pengaduan {complaint.number} {complaint.get_outcome_display().lower()}: {note}"
    if complaint.handover_id:
        handover_flag(handover=complaint.handover, reason=reason, actor=actor)
    elif complaint.allocation_id:
        allocation_flag(allocation=complaint.allocation, reason=reason, actor=actor)
    items = ProposalItem.objects.filter(
        status__in=[ItemStatus.PENDING, ItemStatus.APPROVED, ItemStatus.RETURNED],
        proposal__budget_year__status__in=["planning", "open"],  # a closed year's data no longer change
    )
    if complaint.item_id:
        items = items.filter(pk=complaint.item_id)
    elif complaint.person_id:
        items = items.filter(person=complaint.person_id)
    elif complaint.group_id:
        items = items.filter(group=complaint.group_id)
    else:
        return
    for item in items.select_related("proposal"):
        item_flag_for_review(item=item, reason=reason, actor=actor)


PUBLIC_PER_HOUR = 5  # complaints from one address in an hour through the public page
REFUSED_PER_HOUR = 10  # refused sendings from one address in an hour (mistakes happen; a flood is not one)
THROTTLED_MESSAGE = "Terlalu banyak pengaduan dari alamat ini dalam satu jam. Silakan coba lagi nanti."


def public_submit_throttled(address: str) -> bool:
    """Whether this address has sent PUBLIC_PER_HOUR complaints, or had REFUSED_PER_HOUR sendings refused, within
    the hour: then its next sending is refused before any of it (its files above all) is looked at."""
    key = address_key(address)
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    return (
        Complaint.objects.filter(source_address=key, created_at__gte=hour_ago).count() >= PUBLIC_PER_HOUR
        or RefusedSubmission.objects.filter(address=key, at__gte=hour_ago).count() >= REFUSED_PER_HOUR
    )


def public_submit_refused(address: str, reason: str) -> None:
    """Count a refused sending from the public page (outside the refused transaction: it must stay)."""
    RefusedSubmission.objects.create(address=address_key(address), reason=reason[:200])
    logger.info("public complaint refused: %s", reason[:200])


def address_key(address: str) -> str:
    """A keyed hash of a client address: enough to count, useless to anyone reading the database."""
    import hashlib
    import hmac

    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()[:32]


ATTACHMENTS_PER_COMPLAINT = 10
ATTACHMENTS_FROM_PUBLIC = 3


@transaction.atomic
def complaint_attach(*, complaint: Complaint, upload, actor, from_public: bool = False) -> ComplaintAttachment:
    """Keep a photo or a letter with a complaint, checked by content like every other document: a PDF is kept as
    it is; a photo (JPEG, PNG, HEIC) is opened, turned upright, shrunk and kept as JPEG; anything else, or a file
    above settings.COMPLAINT_ATTACHMENT_MAX_BYTES, is refused with the file's name in the message."""
    from proposals.services import document_kind

    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    name = _safe_name(getattr(upload, "name", "") or "")
    limit = settings.COMPLAINT_ATTACHMENT_MAX_BYTES
    if complaint.is_closed:
        raise ValidationError("Pengaduan yang sudah selesai tidak dapat diberi lampiran.")
    count = complaint.attachments.count()
    if count >= ATTACHMENTS_PER_COMPLAINT:
        raise ValidationError(f"Satu pengaduan paling banyak {ATTACHMENTS_PER_COMPLAINT} lampiran.")
    if upload.size > limit:
        raise ValidationError(
            f"{name}: berkas terlalu besar ({upload.size / 1048576:.1f} MB); maksimal {limit / 1048576:.0f} MB."
        )
    data = upload.read()
    if document_kind(data[:16]) == "PDF":
        kind, content, extension = AttachmentKind.LETTER, data, "pdf"
    else:
        try:
            content, kind, extension = photos.prepare(data, keep_place=False).content, AttachmentKind.PHOTO, "jpg"
        except photos.PhotoRefused:
            raise ValidationError(
                f"{name}: bukan foto (JPEG, PNG, HEIC) atau surat PDF, atau berkasnya rusak."
            ) from None
    attachment = ComplaintAttachment(
        complaint=complaint,
        kind=kind,
        original_name=name,
        size=len(content),
        from_public=from_public,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    stored = f"{complaint.number.replace('/', '-')}-{count + 1}-{secrets.token_hex(4)}.{extension}"
    attachment.file.save(stored, ContentFile(content), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="complaint.attach",
        obj=complaint,
        after={"file": attachment.file.name, "kind": kind, "name": name, "size": len(content)},
    )
    return attachment


def _safe_name(name: str) -> str:
    """The name the sender gave, for display only: no folders, no control characters, at most 150 characters."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:150] or "lampiran"


# The public's code: no look-alike characters (0/O, 1/I/L, 8/B, 2/Z, 5/S), so it is read off a phone or paper
# and typed back without doubt. 25 characters, 11 places: 3·10^15 codes (51 bits), shown in groups of four.
# (Codes of 6 given before stay valid.)
SECRET_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
SECRET_LENGTH = 11
# Wrong number-and-code pairs allowed in an hour, from one address and for one complaint number, before the status
# page stops answering them (the right code too) until the hour has passed.
LOOKUP_FAILURES_PER_HOUR = 10
# The same complaint sent twice from one address within this time (a reload, a second tap) is refused.
DUPLICATE_WINDOW = timezone.timedelta(minutes=15)


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


@transaction.atomic
def complaint_submit_public(*, data: dict[str, Any], address: str, files=()) -> Complaint:
    """A complaint from the public page (no login): at most PUBLIC_PER_HOUR per address, stored as given, with
    at most ATTACHMENTS_FROM_PUBLIC attachments; a refused attachment saves nothing."""
    if len(files) > ATTACHMENTS_FROM_PUBLIC:
        raise ValidationError(f"Paling banyak {ATTACHMENTS_FROM_PUBLIC} lampiran.")
    key = address_key(address)
    if public_submit_throttled(address):
        raise ValidationError(THROTTLED_MESSAGE)
    earlier = (
        Complaint.objects.filter(
            source_address=key,
            regency=data["regency"],
            category=data["category"],
            description=data["description"],
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("-created_at")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            f"Pengaduan yang sama sudah kami terima pukul {timezone.localtime(earlier.created_at):%H.%M} WITA dengan "
            f"nomor {earlier.number}; tidak perlu dikirim lagi. Pantau dengan nomor dan kode rahasia pada tanda "
            "terimanya."
        )
    name = (data.get("complainant_name") or "").strip()
    # Anonymous only when the citizen asks for it: a phone number given without a name is kept, to reach her.
    anonymous = bool(data.get("anonymous"))
    complaint = complaint_record(
        data={
            "received_on": timezone.localdate(),
            "channel": Channel.WEB,
            "anonymous": anonymous,
            "complainant_name": name,
            "complainant_contact": (data.get("complainant_contact") or "").strip(),
            "category": data["category"],
            "description": data["description"],
            "regency": data["regency"],
        },
        actor=None,
    )
    Complaint.objects.filter(pk=complaint.pk).update(source_address=key)
    for upload in files:
        complaint_attach(complaint=complaint, upload=upload, actor=None, from_public=True)
    return complaint


class LookupThrottled(Exception):
    """Too many wrong codes in the last hour from this address or for this complaint number."""


def complaint_lookup(*, number: str, secret: str, address: str = "") -> Complaint | None:
    """The complaint a member of the public may follow: its number and its secret, both exact (spaces and dashes
    between the code's groups ignored). Each failure is counted and logged; after LOOKUP_FAILURES_PER_HOUR from one
    address or for one number within the hour, LookupThrottled, whatever is sent."""
    import hmac

    number = (number or "").strip().upper()
    key = address_key(address)
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    recent = StatusLookupFailure.objects.filter(at__gte=hour_ago)
    if (
        recent.filter(address=key).count() >= LOOKUP_FAILURES_PER_HOUR
        or recent.filter(number=number[:20]).count() >= LOOKUP_FAILURES_PER_HOUR
    ):
        logger.warning("complaint status lookup throttled: number %s", number[:20])
        raise LookupThrottled
    code = "".join(ch for ch in (secret or "").upper() if ch not in " -")
    complaint = Complaint.objects.filter(number=number).first()
    if complaint is None or not hmac.compare_digest(complaint.secret, code):
        StatusLookupFailure.objects.create(address=key, number=number[:20])
        logger.warning("complaint status lookup failed: number %s", number[:20])
        return None
    return complaint
