"""Writes of proposals: building the list, attaching documents, submitting, verifying. Every change
writes its audit events in the same transaction; every status change goes through `_move`."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record, audit_record_many, snapshot
from beneficiaries.models import KubeGroup, KubeMember, Person
from core.bulk import bulk_set
from core.notes import append_note
from programs.models import BudgetYear, Program
from proposals import checks
from proposals.models import ItemStatus, Proposal, ProposalItem, ProposedPerson, Upload

Status = Proposal.Status

# The proposal's life: who moves it where (docs/architecture.md, "What it does").
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED),  # the officer submits
    (Status.SUBMITTED, Status.IN_REVIEW),  # the first verifier decision
    (Status.IN_REVIEW, Status.DRAFT),  # review finished with items returned for revision
    (Status.SUBMITTED, Status.DRAFT),  # the same, when every item was returned at once
    (Status.IN_REVIEW, Status.FINALISED),  # review finished, every item approved or rejected
    (Status.SUBMITTED, Status.FINALISED),
}
ITEM_DECISIONS = {ItemStatus.APPROVED, ItemStatus.RETURNED, ItemStatus.REJECTED}


def _move(proposal: Proposal, to: str, *, actor) -> Proposal:
    """The one door for a proposal's status: refuses a transition that is not in TRANSITIONS."""
    if (proposal.status, to) not in TRANSITIONS:
        raise ValidationError(
            f"Usulan berstatus {proposal.get_status_display()} tidak dapat menjadi {Status(to).label}."
        )
    before = proposal.status
    proposal.status = to
    proposal.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit_record(actor=actor, action=f"proposal.{to}", obj=proposal, before={"status": before}, after={"status": to})
    return proposal


@transaction.atomic
def proposal_open(*, regency, budget_year: BudgetYear, program: str, actor) -> Proposal:
    """The regency's proposal for a program and year, created (as a draft) the first time it is opened."""
    if budget_year.status == BudgetYear.Status.CLOSED:
        raise ValidationError(f"{budget_year} sudah ditutup.")
    proposal, created = Proposal.objects.get_or_create(
        regency=regency, budget_year=budget_year, program=program, defaults={"created_by": _user(actor)}
    )
    if created:
        audit_record(actor=actor, action="proposal.create", obj=proposal, after=snapshot(proposal))
    return proposal


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("budget_year").get(pk=proposal.pk)


def _require_draft(proposal: Proposal) -> None:
    if proposal.status != Status.DRAFT:
        raise ValidationError(f"Usulan berstatus {proposal.get_status_display()}: daftarnya tidak dapat diubah lagi.")


class Refusal(ValidationError):
    """Some of the people or groups could not be added; `.refused` says who and why."""

    def __init__(self, refused: list[tuple[object, str]]):
        self.refused = refused
        super().__init__([f"{subject}: {reason}" for subject, reason in refused])


def _proposed_people(budget_year: BudgetYear, person_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """Person id -> (program, proposal id) of where they are already proposed this year."""
    rows = ProposedPerson.objects.filter(budget_year=budget_year, person_id__in=list(person_ids)).values_list(
        "person_id", "item__proposal__program", "item__proposal_id"
    )
    return {person_id: (program, proposal_id) for person_id, program, proposal_id in rows}


def _where(proposal: Proposal, program: str, proposal_id: int) -> str:
    if proposal_id == proposal.pk:
        return "sudah ada dalam usulan ini"
    if program != proposal.program:
        return f"sudah diusulkan tahun ini untuk program {program}"
    return "sudah diusulkan tahun ini oleh kabupaten/kota lain"


@transaction.atomic
def proposal_add_people(
    *, proposal: Proposal, people: list[Person], actor, business_type=None, notes=None
) -> list[ProposalItem]:
    """Add WRSE candidates. All or nothing: a person of another regency, or one already proposed this year
    (in any program or regency), refuses the whole call with a `Refusal` naming each."""
    proposal = _locked(proposal)
    _require_draft(proposal)
    if proposal.program != Program.WRSE:
        raise ValidationError("Usulan KUBE berisi kelompok, bukan perorangan.")
    taken = _proposed_people(proposal.budget_year, [p.pk for p in people])
    refused = []
    for person in people:
        if person.regency_id != proposal.regency_id:
            refused.append((person, "terdaftar di kabupaten/kota lain"))
        elif person.pk in taken:
            refused.append((person, _where(proposal, *taken[person.pk])))
    if refused:
        raise Refusal(refused)
    items = [
        ProposalItem(proposal=proposal, person=p, business_type=business_type, note=(notes or {}).get(p.pk, ""))
        for p in people
    ]
    items = ProposalItem.objects.bulk_create(checks.assign(items, proposal.budget_year))
    _record_people(proposal, items, {item.pk: [item.person_id] for item in items})
    audit_record_many(
        actor=actor,
        action="proposal_item.create",
        objects=items,
        after=lambda item: {"proposal": proposal.pk, "person": item.person_id, "nik": item.person.nik},
        regency_id=lambda item: proposal.regency_id,
    )
    return items


def _record_people(proposal: Proposal, items: list[ProposalItem], people_by_item: dict[int, list[int]]) -> None:
    try:
        with transaction.atomic():
            ProposedPerson.objects.bulk_create(
                [
                    ProposedPerson(budget_year_id=proposal.budget_year_id, person_id=person_id, item_id=item_id)
                    for item_id, person_ids in people_by_item.items()
                    for person_id in person_ids
                ]
            )
    except IntegrityError:  # another regency proposed one of them a moment ago
        raise ValidationError(
            "Sebagian calon penerima baru saja diusulkan di tempat lain. Muat ulang dan coba lagi."
        ) from None


@transaction.atomic
def proposal_add_groups(*, proposal: Proposal, groups: list[KubeGroup], actor) -> list[ProposalItem]:
    """Add KUBE groups; every member counts as proposed this year. All or nothing, like people."""
    proposal = _locked(proposal)
    _require_draft(proposal)
    if proposal.program != Program.KUBE:
        raise ValidationError("Usulan WRSE berisi perorangan, bukan kelompok.")
    members: dict[int, list[int]] = {g.pk: [] for g in groups}
    for group_id, person_id in KubeMember.objects.filter(group__in=groups).values_list("group_id", "person_id"):
        members[group_id].append(person_id)
    taken = _proposed_people(proposal.budget_year, [pid for ids in members.values() for pid in ids])
    refused = []
    for group in groups:
        if group.regency_id != proposal.regency_id:
            refused.append((group, "terdaftar di kabupaten/kota lain"))
        elif not group.is_active:
            refused.append((group, "kelompok tidak aktif"))
        else:
            clash = [pid for pid in members[group.pk] if pid in taken]
            if clash:
                refused.append((group, f"{len(clash)} anggotanya {_where(proposal, *taken[clash[0]])}"))
    if refused:
        raise Refusal(refused)
    items = [ProposalItem(proposal=proposal, group=g, business_type_id=g.business_type_id) for g in groups]
    items = ProposalItem.objects.bulk_create(checks.assign(items, proposal.budget_year))
    _record_people(proposal, items, {item.pk: members[item.group_id] for item in items})
    audit_record_many(
        actor=actor,
        action="proposal_item.create",
        objects=items,
        after=lambda item: {"proposal": proposal.pk, "group": item.group_id, "name": item.group.name},
        regency_id=lambda item: proposal.regency_id,
    )
    return items


@transaction.atomic
def proposal_remove_item(*, item: ProposalItem, actor) -> None:
    """Take a pending or returned candidate off a draft proposal."""
    proposal = _locked(item.proposal)
    _require_draft(proposal)
    item = ProposalItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in (ItemStatus.PENDING, ItemStatus.RETURNED):
        raise ValidationError("Calon penerima yang sudah diputuskan tidak dapat dihapus.")
    audit_record(
        actor=actor,
        action="proposal_item.delete",
        obj=item,
        regency_id=proposal.regency_id,
        before={"proposal": proposal.pk, "person": item.person_id, "group": item.group_id},
    )
    item.delete()


# Documents --------------------------------------------------------------------------------------

DOCUMENT_SIGNATURES = {
    b"%PDF-": "PDF",
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
}


def document_kind(head: bytes) -> str | None:
    """'PDF', 'JPEG' or 'PNG' from the file's first bytes (its name and stated type are not trusted)."""
    for signature, kind in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


@transaction.atomic
def proposal_attach_document(*, proposal: Proposal, field: str, upload, actor) -> Proposal:
    """Store the cover letter (`cover_letter`) or the meeting minutes (`minutes`): PDF, JPEG or PNG by
    content, at most settings.PROPOSAL_DOCUMENT_MAX_BYTES."""
    if field not in ("cover_letter", "minutes"):
        raise ValueError(field)
    proposal = _locked(proposal)
    _require_draft(proposal)
    limit = settings.PROPOSAL_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                field: f"Berkas terlalu besar ({upload.size // 1024:,} KB); maksimal {limit // 1024:,} KB.".replace(
                    ",", "."
                )
            }
        )
    head = upload.read(16)
    upload.seek(0)
    kind = document_kind(head)
    if kind is None:
        raise ValidationError({field: "Berkas harus PDF atau gambar (JPG/PNG); isi berkas ini bukan salah satunya."})
    before = getattr(proposal, field).name
    # Stored under a name of our own whose extension matches the content, so it is served as what it is.
    extension = {"PDF": "pdf", "JPEG": "jpg", "PNG": "png"}[kind]
    getattr(proposal, field).save(f"{field}-{proposal.pk}.{extension}", upload, save=False)
    proposal.save(update_fields=[field, "updated_at"])
    audit_record(
        actor=actor,
        action=f"proposal.attach_{field}",
        obj=proposal,
        before={field: before},
        after={field: getattr(proposal, field).name},
    )
    return proposal


# Submission and verification ------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor) -> Proposal:
    """Send a draft to the province: needs at least one candidate, both documents, and no open item with an
    error-level check (recomputed now; the refusal names each such item and its first error). Returned items go
    back to pending."""
    proposal = _locked(proposal)
    _require_draft(proposal)
    open_items = list(
        proposal.items.filter(status__in=[ItemStatus.PENDING, ItemStatus.RETURNED]).select_related("person", "group")
    )
    problems = []
    if not proposal.items.exists():
        problems.append("Usulan belum berisi calon penerima.")
    if not proposal.cover_letter:
        problems.append("Surat pengantar belum diunggah.")
    if not proposal.minutes:
        problems.append("Berita acara musyawarah belum diunggah.")
    checks.apply(open_items, proposal.budget_year)
    wrong = [item for item in open_items if item.has_errors]
    if wrong:
        named = "; ".join(f"{_item_name(item)}: {_first_error(item)}" for item in wrong[:10])
        more = f" dan {len(wrong) - 10} lainnya" if len(wrong) > 10 else ""
        problems.append(
            f"{len(wrong)} calon penerima masih memiliki kesalahan — {named}{more}. "
            "Perbaiki datanya atau hapus dari usulan, lalu ajukan lagi."
        )
    if problems:
        raise ValidationError(problems)
    returned = [item for item in open_items if item.status == ItemStatus.RETURNED]
    for item in returned:
        item.status = ItemStatus.PENDING
    bulk_set(ProposalItem, returned, ["status"])
    proposal.submitted_by, proposal.submitted_at = _user(actor), timezone.now()
    _move(proposal, Status.SUBMITTED, actor=actor)
    if returned:
        audit_record_many(
            actor=actor,
            action="proposal_item.resubmit",
            objects=returned,
            before=lambda item: {"status": ItemStatus.RETURNED},
            after=lambda item: {"status": ItemStatus.PENDING},
            regency_id=lambda item: proposal.regency_id,
        )
    return proposal


def _item_name(item: ProposalItem) -> str:
    return item.group.name if item.group_id else item.person.full_name


def _first_error(item: ProposalItem) -> str:
    return next((c["message"] for c in item.checks if c["level"] == checks.ERROR), "")


def approval_blockers(items: list[ProposalItem]) -> list[tuple[ProposalItem, str]]:
    """The items that cannot be approved, each with why (its first error-level check)."""
    return [(item, _first_error(item)) for item in items if item.has_errors]


@transaction.atomic
def items_decide(
    *, proposal: Proposal, items: list[ProposalItem], decision: str, reason: str, actor
) -> list[ProposalItem]:
    """A verifier's decision on one or many items of a submitted proposal; returns the items decided.
    Approval passes over the items whose error-level check stands ("Setujui terpilih" approves the eligible
    ones; `approval_blockers` says why the others were not) and is refused only when none is eligible;
    returning and rejecting need a reason. One audit event per item."""
    if decision not in ITEM_DECISIONS:
        raise ValidationError("Keputusan tidak dikenal.")
    proposal = _locked(proposal)
    if proposal.status not in (Status.SUBMITTED, Status.IN_REVIEW):
        raise ValidationError(f"Usulan berstatus {proposal.get_status_display()} tidak sedang diverifikasi.")
    reason = (reason or "").strip()
    if decision != ItemStatus.APPROVED and not reason:
        raise ValidationError({"reason": "Alasan wajib diisi untuk mengembalikan atau menolak."})
    items = list(ProposalItem.objects.select_for_update().filter(proposal=proposal, pk__in=[i.pk for i in items]))
    if not items:
        raise ValidationError("Pilih minimal satu calon penerima.")
    if decision == ItemStatus.APPROVED:
        items = [item for item in items if not item.has_errors]
        if not items:
            raise ValidationError(
                "Calon penerima yang dipilih masih memiliki kesalahan pemeriksaan dan tidak dapat disetujui."
            )
    before = {item.pk: {"status": item.status, "reason": item.reason} for item in items}
    now = timezone.now()
    for item in items:
        item.status, item.reason, item.decided_by, item.decided_at = decision, reason, _user(actor), now
    for item in items:
        item.updated_at = now
    bulk_set(ProposalItem, items, ["status", "reason", "decided_by", "decided_at", "updated_at"])
    if decision == ItemStatus.REJECTED:
        # A rejected person is free to be proposed again (e.g. for the other program) this year.
        ProposedPerson.objects.filter(item__in=items).delete()
    if proposal.status == Status.SUBMITTED:
        _move(proposal, Status.IN_REVIEW, actor=actor)
    audit_record_many(
        actor=actor,
        action=f"proposal_item.{decision}",
        objects=items,
        before=lambda item: before[item.pk],
        after=lambda item: {"status": item.status, "reason": item.reason},
        regency_id=lambda item: proposal.regency_id,
    )
    return items


@transaction.atomic
def proposal_finish_review(*, proposal: Proposal, actor) -> Proposal:
    """Close a review: with returned items the proposal goes back to the regency (draft), otherwise it is
    final. Refused while an item is still pending."""
    proposal = _locked(proposal)
    statuses = set(proposal.items.values_list("status", flat=True))
    if ItemStatus.PENDING in statuses:
        raise ValidationError("Masih ada calon penerima yang belum diputuskan.")
    return _move(proposal, Status.DRAFT if ItemStatus.RETURNED in statuses else Status.FINALISED, actor=actor)


@transaction.atomic
def items_recheck(*, proposal: Proposal) -> None:
    """Recompute the checks of a proposal's open items (after registry data was corrected)."""
    items = list(
        proposal.items.filter(status__in=[ItemStatus.PENDING, ItemStatus.RETURNED]).select_related("person", "group")
    )
    checks.apply(items, proposal.budget_year)


@transaction.atomic
def upload_downloaded(*, upload: Upload, actor) -> None:
    """Record that `actor` took an uploaded workbook back (it holds whole NIKs and KKs: UU 27/2022)."""
    audit_record(
        actor=actor,
        action="proposal.upload_download",
        obj=upload,
        regency_id=upload.proposal.regency_id,
        after={"file": upload.filename, "rows": upload.row_count, "full_nik": True},
    )


@transaction.atomic
def item_flag_for_review(*, item: ProposalItem, reason: str, actor) -> ProposalItem:
    """Mark a recipient for review (a complaint proved them ineligible): the note shows on the item, audited.
    Nothing else changes here: the province decides what follows."""
    item, before = append_note(ProposalItem, item.pk, "review_flag", reason)
    audit_record(
        actor=actor,
        action="proposal_item.flag",
        obj=item,
        regency_id=item.proposal.regency_id,
        before={"review_flag": before},
        after={"review_flag": item.review_flag},
    )
    return item
