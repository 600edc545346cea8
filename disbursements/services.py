"""Writes of the catalogue, packages and allocations; each writes its audit events in the same transaction.

Never overspend: an allocation locks the ceilings it draws on (SELECT … FOR UPDATE on PostgreSQL; SQLite
runs every transaction IMMEDIATE, one writer at a time), checks the remaining amount, then raises the
ceiling's `committed`, which the database refuses to take above the ceiling's amount."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record, audit_record_many, snapshot
from beneficiaries.models import MemberRole
from core.formatting import date_long
from core.notes import append_note
from disbursements.models import (
    Allocation,
    AllocationLine,
    Condition,
    GoodsItem,
    Handover,
    HandoverCounter,
    HandoverLine,
    Package,
    PackageLine,
)
from disbursements.selectors import costs_per_ceiling, delivered_handover, matching_packages, session_allocations
from programs.models import Ceiling
from programs.services import ensure_year_writable
from proposals.models import ItemStatus, ProposalItem
from proposals.services import document_kind
from training.selectors import trained_on, training_gate

Lines = Sequence[tuple[GoodsItem, int]]


@transaction.atomic
def goods_item_save(*, goods: GoodsItem | None = None, data: dict[str, Any], actor) -> GoodsItem:
    """Create or change a catalogue entry (a price change applies to later allocations only)."""
    # From the database: a bound ModelForm has already written the new values onto the caller's instance.
    goods = GoodsItem.objects.select_for_update().get(pk=goods.pk) if goods is not None else None
    before = snapshot(goods) if goods is not None else None
    goods = goods or GoodsItem()
    for name, value in data.items():
        setattr(goods, name, value)
    goods.full_clean()
    after = snapshot(goods)
    if after != before:
        goods.save()
        audit_record(
            actor=actor,
            action="goods_item.create" if before is None else "goods_item.update",
            obj=goods,
            before=before,
            after=snapshot(goods),
        )
    return goods


def _package_snapshot(package: Package) -> dict:
    return {
        **snapshot(package),
        "lines": [[line.goods_id, line.quantity] for line in package.lines.order_by("goods_id")],
    }


@transaction.atomic
def package_save(*, package: Package | None = None, data: dict[str, Any], lines: Lines, actor) -> Package:
    """Create or change a package and replace its lines; at least one line, each kind of goods once."""
    if not lines:
        raise ValidationError("Paket harus berisi paling sedikit satu barang.")
    goods_ids = [goods.pk for goods, _ in lines]
    if len(set(goods_ids)) != len(goods_ids):
        raise ValidationError("Setiap barang cukup satu kali dalam paket; jumlahkan kuantitasnya.")
    if any(quantity <= 0 for _, quantity in lines):
        raise ValidationError("Jumlah barang harus lebih dari 0.")
    package = Package.objects.select_for_update().get(pk=package.pk) if package is not None else None
    before = _package_snapshot(package) if package is not None else None
    package = package or Package()
    for name, value in data.items():
        setattr(package, name, value)
    package.full_clean()
    package.save()
    package.lines.all().delete()
    PackageLine.objects.bulk_create([PackageLine(package=package, goods=g, quantity=q) for g, q in lines])
    after = _package_snapshot(package)
    if after != before:
        audit_record(
            actor=actor,
            action="package.create" if before is None else "package.update",
            obj=package,
            before=before,
            after=after,
        )
    return package


def package_lines(package: Package) -> list[tuple[GoodsItem, int]]:
    return [(line.goods, line.quantity) for line in package.lines.select_related("goods")]


@transaction.atomic
def allocations_create_matching(*, item_ids: Sequence[int], actor) -> list[Allocation]:
    """Allocate to each recipient the package of its program and jenis usaha (several packages in one run), with
    every rule of `allocations_create`. All or nothing: a recipient no active package fits refuses the run."""
    items = list(ProposalItem.objects.filter(pk__in=set(item_ids)).select_related("proposal", "person", "group"))
    groups, unmatched = matching_packages(items)
    if unmatched:
        names = "; ".join(f"{item} ({item.business_type_label or 'jenis usaha kosong'})" for item in unmatched[:10])
        raise ValidationError(f"Tidak ada paket aktif yang sesuai program dan jenis usaha untuk: {names}.")
    allocations = []
    for package, group in sorted(groups.items(), key=lambda pair: pair[0].pk):
        allocations += allocations_create(
            item_ids=[item.pk for item in group], lines=package_lines(package), package=package, actor=actor
        )
    return allocations


@transaction.atomic
def allocations_create(
    *, item_ids: Sequence[int], lines: Lines, actor, package: Package | None = None
) -> list[Allocation]:
    """Allocate the goods `lines` [(goods, quantity)] (a package's, or chosen one by one) to each approved
    recipient in `item_ids`, at today's unit prices. All or nothing: refuses (ValidationError, every
    reason at once) when a recipient is not approved, already holds an allocation, belongs to a closed
    year or another program than the package, or when a ceiling has no room for its share."""
    if not item_ids:
        raise ValidationError("Pilih paling sedikit satu penerima.")
    if not lines:
        raise ValidationError("Pilih paket bantuan atau paling sedikit satu barang.")
    if any(quantity <= 0 for _, quantity in lines):
        raise ValidationError("Jumlah barang harus lebih dari 0.")
    today = GoodsItem.objects.in_bulk([goods.pk for goods, _ in lines])  # today's prices, one query
    lines = [(today[goods.pk], quantity) for goods, quantity in lines]
    items = list(
        ProposalItem.objects.select_for_update(of=("self",))
        .filter(pk__in=set(item_ids))
        .select_related("proposal__budget_year", "proposal__regency", "person", "group")
        .order_by("pk")
    )
    errors = []
    if len(items) != len(set(item_ids)):
        errors.append("Sebagian penerima tidak ditemukan.")
    for item in items:
        if item.status != ItemStatus.APPROVED:
            errors.append(f"{item} belum disetujui ({item.get_status_display()}).")
        if package is not None and item.proposal.program != package.program:
            errors.append(f"{item}: paket {package} untuk program {package.program}, bukan {item.proposal.program}.")
    years = {item.proposal.budget_year for item in items}
    if len(years) > 1:
        errors.append("Semua penerima satu alokasi harus dari tahun anggaran yang sama.")
    for year in years:
        try:
            ensure_year_writable(year)
        except ValidationError as error:
            errors.extend(error.messages)
    taken = Allocation.objects.active().filter(item__in=items).select_related("item__person", "item__group")
    errors += [f"{allocation.item} sudah memiliki alokasi (#{allocation.pk})." for allocation in taken]
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))

    budget_year = years.pop()
    keys = {(item.proposal.regency_id, item.proposal.program) for item in items}
    ceilings = {
        (c.regency_id, c.program): c
        for c in Ceiling.objects.select_for_update()
        .filter(budget_year=budget_year, regency__in={k[0] for k in keys}, program__in={k[1] for k in keys})
        .order_by("pk")
    }
    costs = costs_per_ceiling(items, lines, ceilings)
    problems = [cost.problem for cost in costs if cost.problem]
    if problems:
        raise ValidationError(problems)
    for cost in costs:
        Ceiling.objects.filter(pk=cost.ceiling.pk).update(committed=F("committed") + cost.cost)

    each = sum((goods.unit_price * quantity for goods, quantity in lines), Decimal(0))
    user = actor if actor is not None and actor.is_authenticated else None
    allocations = Allocation.objects.bulk_create(
        [
            Allocation(
                item=item,
                ceiling=ceilings[(item.proposal.regency_id, item.proposal.program)],
                budget_year=budget_year,
                regency_id=item.proposal.regency_id,
                program=item.proposal.program,
                package=package,
                total=each,
                created_by=user,
            )
            for item in items
        ]
    )
    AllocationLine.objects.bulk_create(
        [
            AllocationLine(
                allocation=allocation,
                goods=goods,
                quantity=quantity,
                unit_price=goods.unit_price,
                total=goods.unit_price * quantity,
            )
            for allocation in allocations
            for goods, quantity in lines
        ]
    )
    audit_record_many(
        actor=actor,
        action="allocation.create",
        objects=allocations,
        after=lambda a: {
            "item": a.item_id,
            "budget_year": budget_year.year,
            "program": a.program,
            "package": a.package_id,
            "total": int(a.total),
            "lines": [[g.pk, g.name, q, int(g.unit_price)] for g, q in lines],
        },
    )
    return allocations


def _void_reason(reason: str | None) -> str:
    """A void's reason, whitespace tidied; refused when empty (allocations and BASTs are never deleted)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Alasan pembatalan wajib diisi.")
    return reason


@transaction.atomic
def allocation_void(*, allocation: Allocation, reason: str, actor) -> Allocation:
    """Void an active allocation (never deleted): its value returns to the ceiling's remaining amount. Refused while
    its goods stand handed over (a delivered BAST: void that first), so money never returns for goods given."""
    reason = _void_reason(reason)
    allocation = Allocation.objects.select_for_update(of=("self",)).select_related("budget_year").get(pk=allocation.pk)
    if allocation.status != Allocation.Status.ACTIVE:
        raise ValidationError("Alokasi ini sudah dibatalkan.")
    ensure_year_writable(allocation.budget_year)
    handover = delivered_handover(allocation)
    if handover is not None:
        raise ValidationError(
            f"Barang alokasi ini sudah diserahterimakan (BAST {handover.number}). Batalkan BAST-nya terlebih dahulu."
        )
    Ceiling.objects.select_for_update().get(pk=allocation.ceiling_id)
    Ceiling.objects.filter(pk=allocation.ceiling_id).update(committed=F("committed") - allocation.total)
    allocation.status = Allocation.Status.VOID
    allocation.void_reason, allocation.voided_at = reason, timezone.now()
    allocation.voided_by = actor if actor is not None and actor.is_authenticated else None
    allocation.save(update_fields=["status", "void_reason", "voided_at", "voided_by"])
    audit_record(
        actor=actor,
        action="allocation.void",
        obj=allocation,
        before={"status": Allocation.Status.ACTIVE, "total": int(allocation.total)},
        after={"status": Allocation.Status.VOID, "reason": reason},
    )
    return allocation


def handover_number(handover_or_scope) -> str:
    """'BAST/WRSE/64.72/2024/0001'."""
    h = handover_or_scope
    return f"BAST/{h.program}/{h.regency_id}/{h.budget_year.year}/{h.sequence:04d}"


def _next_sequence(*, budget_year, program: str, regency_id: str) -> int:
    """The next BAST number of the scope, taken under the counter row's lock (gap-free: a rollback of the
    caller's transaction gives the number back)."""
    counter, _ = HandoverCounter.objects.get_or_create(budget_year=budget_year, program=program, regency_id=regency_id)
    counter = HandoverCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def handover_date_problems(day, *, allocation: Allocation, trained) -> list[str]:
    """Why `day` cannot be a BAST's date: in the future, before the goods were allocated, or before the recipient's
    Bimtek was done (`trained`, see training.selectors.trained_on). Empty when it can."""
    if day is None:
        return []
    problems = []
    if day > timezone.localdate():
        problems.append("Tanggal serah terima tidak boleh di masa depan.")
    allocated = timezone.localtime(allocation.created_at).date()
    if day < allocated:
        problems.append(f"Tanggal serah terima tidak boleh sebelum barang dialokasikan ({date_long(allocated)}).")
    if trained is not None and day < trained:
        problems.append(f"Tanggal serah terima tidak boleh sebelum Bimtek penerima selesai ({date_long(trained)}).")
    return problems


@transaction.atomic
def handover_create(
    *, allocation: Allocation, data: dict[str, Any], conditions: dict[int, str] | None = None, actor
) -> Handover:
    """Record the handover (BAST) of an active allocation's goods. Refused unless the recipient attended
    Bimtek (a KUBE: its ketua, sekretaris and bendahara), and when the allocation already has one.
    `conditions` maps an allocation line id to its condition on the day (default: good)."""
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("budget_year", "item__proposal", "item__person", "item__group")
        .get(pk=allocation.pk)
    )
    if allocation.status != Allocation.Status.ACTIVE:
        raise ValidationError("Alokasi ini sudah dibatalkan; barangnya tidak dapat diserahkan.")
    ensure_year_writable(allocation.budget_year)
    if delivered_handover(allocation) is not None:
        raise ValidationError("Barang alokasi ini sudah diserahterimakan (BAST sudah ada).")
    missing = training_gate(allocation.item)
    if missing:
        raise ValidationError(["Serah terima hanya setelah Bimtek.", *missing])
    item = allocation.item
    wrong_day = handover_date_problems(data.get("handed_over_on"), allocation=allocation, trained=trained_on(item))
    if wrong_day:
        raise ValidationError({"handed_over_on": wrong_day})
    if item.person_id:
        second_name, second_role = item.person.full_name, f"Penerima Manfaat {allocation.program}"
    else:
        chair = item.group.members.select_related("person").get(role=MemberRole.CHAIR).person
        second_name, second_role = chair.full_name, f"Ketua {item.group.label}"
    handover = Handover(
        allocation=allocation,
        budget_year=allocation.budget_year,
        program=allocation.program,
        regency_id=allocation.regency_id,
        second_party_name=second_name,
        second_party_role=second_role,
        value=allocation.total,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    for name, value in data.items():
        setattr(handover, name, value)
    handover.sequence = _next_sequence(
        budget_year=allocation.budget_year, program=allocation.program, regency_id=allocation.regency_id
    )
    handover.number = handover_number(handover)
    handover.full_clean(exclude=["photo", "signed_scan"])
    handover.save()
    conditions = conditions or {}
    HandoverLine.objects.bulk_create(
        [
            HandoverLine(
                handover=handover,
                goods=line.goods,
                quantity=line.quantity,
                unit_price=line.unit_price,
                total=line.total,
                condition=conditions.get(line.pk, Condition.GOOD),
            )
            for line in allocation.lines.select_related("goods")
        ]
    )
    audit_record(actor=actor, action="handover.create", obj=handover, after=snapshot(handover))
    return handover


@transaction.atomic
def handovers_create_for_session(*, session, data: dict[str, Any], actor) -> list[Handover]:
    """The BASTs of every recipient present at one Bimtek session whose goods are allocated and not yet handed
    over (`selectors.session_allocations`), all with the same date, place, first party and witness, numbered
    in turn. All or none: a refusal names the recipient it concerns."""
    allocations = session_allocations(session)
    if not allocations:
        raise ValidationError(
            "Tidak ada peserta hadir sesi ini yang barangnya sudah dialokasikan dan belum diserahkan."
        )
    handovers, problems = [], []
    for allocation in allocations:
        try:
            with transaction.atomic():
                handovers.append(handover_create(allocation=allocation, data=data, actor=actor))
        except ValidationError as error:
            problems += [f"{allocation.item}: {message}" for message in error.messages]
    if problems:
        raise ValidationError(problems)  # rolls back the BASTs made before, and their numbers
    return handovers


@transaction.atomic
def handover_attach(*, handover: Handover, field: str, upload, actor) -> Handover:
    """Store the handover photo (JPEG/PNG) or the signed scan (PDF/JPEG/PNG), checked by content and size,
    under our own file name."""
    allowed = {"photo": {"jpg", "png"}, "signed_scan": {"pdf", "jpg", "png"}}
    if field not in allowed:
        raise ValidationError("Jenis lampiran tidak dikenal.")
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.status != Handover.Status.DELIVERED:
        raise ValidationError("BAST ini sudah dibatalkan; lampiran tidak dapat ditambahkan.")
    limit = settings.HANDOVER_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Berkas terlalu besar ({upload.size / 1048576:.1f} MB); maksimal {limit / 1048576:.0f} MB."
        )
    data = upload.read()
    kind = {"PDF": "pdf", "JPEG": "jpg", "PNG": "png"}.get(document_kind(data[:16]) or "")
    if kind not in allowed[field]:
        wanted = "foto JPEG atau PNG" if field == "photo" else "PDF, JPEG atau PNG"
        raise ValidationError(f"Isi berkas bukan {wanted}.")
    before = getattr(handover, field).name or None
    name = f"{handover.pk}-{field}.{kind}"
    getattr(handover, field).save(name, ContentFile(data), save=False)
    handover.save(update_fields=[field])
    audit_record(
        actor=actor,
        action=f"handover.attach_{field}",
        obj=handover,
        before={field: before} if before else None,
        after={field: getattr(handover, field).name, "size": len(data)},
    )
    return handover


@transaction.atomic
def handover_void(*, handover: Handover, reason: str, actor) -> Handover:
    """Void a BAST (it keeps its number; never deleted): its value no longer counts as realised."""
    reason = _void_reason(reason)
    handover = Handover.objects.select_for_update(of=("self",)).select_related("budget_year").get(pk=handover.pk)
    if handover.status != Handover.Status.DELIVERED:
        raise ValidationError("BAST ini sudah dibatalkan.")
    ensure_year_writable(handover.budget_year)
    handover.status, handover.void_reason, handover.voided_at = Handover.Status.VOID, reason, timezone.now()
    handover.voided_by = actor if actor is not None and actor.is_authenticated else None
    handover.save(update_fields=["status", "void_reason", "voided_at", "voided_by"])
    audit_record(
        actor=actor,
        action="handover.void",
        obj=handover,
        before={"status": Handover.Status.DELIVERED},
        after={"status": Handover.Status.VOID, "reason": reason},
    )
    return handover


def allocation_flag(*, allocation: Allocation, reason: str, actor) -> Allocation:
    """Note on an allocation what a proven complaint found (goods not received), audited; the allocation stands
    until someone voids it with its own reason."""
    return _flag(allocation, reason, actor, "allocation.flag")


def handover_flag(*, handover: Handover, reason: str, actor) -> Handover:
    """Note on a BAST what a proven complaint found (goods not received, incomplete), audited; the BAST stands
    until someone voids it with its own reason."""
    return _flag(handover, reason, actor, "handover.flag")


@transaction.atomic
def _flag(record, reason: str, actor, action: str):
    record, before = append_note(type(record), record.pk, "review_flag", reason)
    audit_record(
        actor=actor,
        action=action,
        obj=record,
        before={"review_flag": before},
        after={"review_flag": record.review_flag},
    )
    return record
