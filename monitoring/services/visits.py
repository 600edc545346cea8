"""Writes of monitoring visits: record, edit and void a visit (goods counted by unit), attach its photos. Each change
leaves an audit event."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record, snapshot
from core import photos
from core.formatting import date_long
from disbursements.models import Handover
from monitoring import schedule, units
from monitoring.models import (
    GoodsCondition,
    Visit,
    VisitGoods,
    VisitPhoto,
)

Goods = dict[int, dict[str, int] | str]  # handover line id -> units by condition (or one condition for all units)
# A visit's answers, in the order the visit form shows them (monitoring.forms.VisitForm uses this list).
FIELDS = [
    "due_month",
    "visited_on",
    "visitor_name",
    "mode",
    "business_status",
    "turnover",
    "net_income",
    "workers",
    "stage",
    "iks_balance",
    "problems",
    "follow_up",
]


def visit_problems(handover: Handover, data: dict[str, Any], goods: Goods, *, visit: Visit | None = None) -> dict:
    """What is wrong with a visit's answers, by field ({"field": [messages]}, "goods" for the goods lines);
    empty when it may be saved."""
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    day = data.get("visited_on")
    if day is not None:
        if day > timezone.localdate():
            add("visited_on", "Tanggal kunjungan tidak boleh di masa depan.")
        if day < handover.handed_over_on:
            add(
                "visited_on",
                f"Tanggal kunjungan tidak boleh sebelum serah terima ({date_long(handover.handed_over_on)}).",
            )
    month = data.get("due_month")
    if month is not None and month not in handover.budget_year.months:
        months = ", ".join(str(m) for m in handover.budget_year.months)
        add("due_month", f"Kunjungan terjadwal {handover.budget_year} hanya bulan ke-{months}.")
    elif month is not None:
        taken = Visit.objects.valid().filter(handover=handover, due_month=month)
        if visit is not None:
            taken = taken.exclude(pk=visit.pk)
        earlier = taken.first()
        if earlier:
            add("due_month", f"Kunjungan bulan ke-{month} sudah dicatat ({date_long(earlier.visited_on)}).")
        due, opens = schedule.window(handover.handed_over_on, month, handover.budget_year.visit_window_days)
        if day is not None and handover.handed_over_on <= day < opens:
            add(
                "visited_on",
                f"Kunjungan bulan ke-{month} dijadwalkan {date_long(due)}; baru dapat dicatat sejak "
                f"{date_long(opens)}. Bila kunjungan ini memang lebih awal, catat sebagai “Kunjungan tambahan (di "
                "luar jadwal)” — tidak dihitung untuk graduasi.",
            )
    kube = handover.program == "KUBE"
    if kube:
        if not data.get("stage"):
            add("stage", "Tahap KUBE wajib diisi.")
        if data.get("iks_balance") is None:
            add("iks_balance", "Saldo dana IKS wajib diisi untuk KUBE (tulis 0 bila belum ada).")
        elif data["iks_balance"] < 0:
            add("iks_balance", "Saldo dana IKS tidak boleh negatif.")
    else:
        if data.get("stage"):
            add("stage", "Tahap KUBE hanya untuk KUBE.")
        if data.get("iks_balance") is not None:
            add("iks_balance", "Dana IKS hanya untuk KUBE.")
    if data.get("turnover") is not None and data["turnover"] < 0:
        add("turnover", "Omzet tidak boleh negatif.")
    for message in _goods_problems(handover, goods):
        add("goods", message)
    return problems


def _goods_problems(handover: Handover, goods: Goods) -> list[str]:
    lines = {line.pk: line for line in handover.lines.all()}
    if set(goods) - set(lines):
        return ["Barang yang dinilai bukan barang BAST ini."]
    found = []
    missing = [str(line.goods) for pk, line in lines.items() if not goods.get(pk)]
    if missing:
        found.append(f"Kondisi setiap barang wajib diisi: {', '.join(missing)}.")
    for pk, line in lines.items():
        if not goods.get(pk):
            continue
        try:
            counts = units.normalise(goods[pk], line.quantity)
        except ValueError as error:
            found.append(f"{line.goods}: {error}.")
            continue
        message = units.problem(
            str(line.goods), line.quantity, line.goods.get_unit_display(), counts, GoodsCondition.values
        )
        if message:
            found.append(message)
    return found


def _counted(handover: Handover, goods: Goods) -> dict[int, dict[str, int]]:
    """The goods as units by condition for each line (already checked by _goods_problems)."""
    quantity = {line.pk: line.quantity for line in handover.lines.all()}
    return {pk: units.normalise(value, quantity[pk]) for pk, value in goods.items()}


def _save_goods(visit: Visit, counted: dict[int, dict[str, int]]) -> None:
    """Write the goods rows of a visit to match the counts: changed units updated, new conditions added, conditions
    no longer found removed."""
    current = {(g.line_id, g.condition): g for g in visit.goods.all()}
    wanted = {(pk, c): n for pk, counts in counted.items() for c, n in counts.items()}
    stale = [g.pk for key, g in current.items() if key not in wanted]
    if stale:
        VisitGoods.objects.filter(pk__in=stale).delete()
    for key, quantity in wanted.items():
        if key in current and current[key].quantity != quantity:
            VisitGoods.objects.filter(pk=current[key].pk).update(quantity=quantity)
    VisitGoods.objects.bulk_create(
        [
            VisitGoods(visit=visit, line_id=pk, condition=c, quantity=n)
            for (pk, c), n in wanted.items()
            if (pk, c) not in current
        ]
    )


def _visit_snapshot(visit: Visit) -> dict:
    data = snapshot(visit, ["handover", *FIELDS, "status", "void_reason"])
    data["goods"] = {}
    for g in visit.goods.all():
        data["goods"].setdefault(str(g.line_id), {})[g.condition] = g.quantity
    return data


def _locked_handover(handover: Handover) -> Handover:
    handover = Handover.objects.select_for_update(of=("self",)).select_related("budget_year").get(pk=handover.pk)
    if handover.status != Handover.Status.DELIVERED:
        raise ValidationError("BAST ini sudah dibatalkan; penerimanya tidak dikunjungi lagi.")
    return handover


def turnover_changes_refresh(handover_ids) -> None:
    """Each valid scheduled visit's change of turnover since its BAST's previous one (none for the first, and for
    extra or voided visits), for the BASTs given: at most a few visits each."""
    rows = (
        Visit.objects.filter(handover_id__in=handover_ids)
        .order_by("handover_id", "due_month", "pk")
        .values_list("pk", "handover_id", "status", "due_month", "turnover", "turnover_change")
    )
    previous: dict = {}
    changed = []
    for pk, handover_id, status, month, turnover, current in rows:
        change = None
        if status == Visit.Status.VALID and month is not None:
            if handover_id in previous:
                change = int(turnover - previous[handover_id])
            previous[handover_id] = turnover
        if change != current:
            changed.append(Visit(pk=pk, turnover_change=change))
    Visit.objects.bulk_update(changed, ["turnover_change"])


@transaction.atomic
def visit_record(*, handover: Handover, data: dict[str, Any], goods: Goods, actor) -> Visit:
    """Record a monitoring visit to the recipient of a delivered BAST, with each goods line's condition.
    Refused with the reasons by field (a ValidationError with a dict) when an answer is wrong."""
    handover = _locked_handover(handover)
    problems = visit_problems(handover, data, goods)
    if problems:
        raise ValidationError(problems)
    visit = Visit(
        handover=handover,
        budget_year_id=handover.budget_year_id,
        program=handover.program,
        regency_id=handover.regency_id,
        handed_over_on=handover.handed_over_on,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **{name: data.get(name) for name in FIELDS if name in data},
    )
    counted = _counted(handover, goods)
    visit.count_goods(counted.values())
    visit.full_clean(exclude=["handover", "budget_year", "regency"], validate_constraints=False)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the same month recorded at the same moment by someone else
        raise ValidationError({"due_month": ["Kunjungan bulan ini baru saja dicatat petugas lain."]}) from None
    _save_goods(visit, counted)
    turnover_changes_refresh([visit.handover_id])
    audit_record(actor=actor, action="visit.create", obj=visit, after=_visit_snapshot(visit))
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, data: dict[str, Any], goods: Goods, actor) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_void:
        raise ValidationError("Kunjungan yang dibatalkan tidak dapat diubah.")
    handover = _locked_handover(visit.handover)
    problems = visit_problems(handover, data, goods, visit=visit)
    if problems:
        raise ValidationError(problems)
    before = _visit_snapshot(visit)
    for name in FIELDS:
        if name in data:
            setattr(visit, name, data[name])
    counted = _counted(handover, goods)
    visit.count_goods(counted.values())
    visit.full_clean(exclude=["handover", "budget_year", "regency"], validate_constraints=False)
    visit.save()
    _save_goods(visit, counted)
    turnover_changes_refresh([visit.handover_id])
    after = _visit_snapshot(visit)
    if after != before:
        audit_record(actor=actor, action="visit.update", obj=visit, before=before, after=after)
    return visit


@transaction.atomic
def visit_void(*, visit: Visit, reason: str, actor) -> Visit:
    """Void a visit with a reason (never deleted): its scheduled month is open again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Alasan pembatalan wajib diisi.")
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_void:
        raise ValidationError("Kunjungan ini sudah dibatalkan.")
    visit.status, visit.void_reason, visit.voided_at = Visit.Status.VOID, reason, timezone.now()
    visit.voided_by = actor if actor is not None and actor.is_authenticated else None
    visit.save(update_fields=["status", "void_reason", "voided_at", "voided_by", "updated_at"])
    turnover_changes_refresh([visit.handover_id])
    audit_record(
        actor=actor,
        action="visit.void",
        obj=visit,
        before={"status": Visit.Status.VALID},
        after={"status": Visit.Status.VOID, "reason": reason},
    )
    return visit


@transaction.atomic
def visit_photo_add(*, visit: Visit, upload, actor) -> VisitPhoto:
    """Attach a photo (JPEG, PNG or HEIC by content; resized to a long side of 1,600 px, kept as JPEG with the
    camera's time and GPS position)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_void:
        raise ValidationError("Kunjungan yang dibatalkan tidak dapat diberi foto.")
    if visit.photos.count() >= settings.VISIT_PHOTOS_MAX:
        raise ValidationError(f"Satu kunjungan paling banyak {settings.VISIT_PHOTOS_MAX} foto.")
    limit = settings.VISIT_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Foto terlalu besar ({upload.size / 1048576:.1f} MB); maksimal {limit / 1048576:.0f} MB."
        )
    try:
        photo = photos.prepare(upload.read())
    except photos.PhotoRefused as refused:
        raise ValidationError(str(refused)) from None
    taken_at = photo.taken_at
    if taken_at is not None:
        taken_at = timezone.make_aware(taken_at) if timezone.is_naive(taken_at) else taken_at
    record = VisitPhoto(
        visit=visit,
        taken_at=taken_at,
        latitude=photo.latitude,
        longitude=photo.longitude,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    number = visit.photos.count() + 1
    record.image.save(f"{visit.pk}-{number}.jpg", ContentFile(photo.content), save=False)
    record.save()
    audit_record(
        actor=actor,
        action="visit.add_photo",
        obj=visit,
        after={
            "photo": record.image.name,
            "size": len(photo.content),
            "taken_at": taken_at.isoformat() if taken_at else None,
            "gps": bool(photo.latitude is not None),
        },
    )
    return record
