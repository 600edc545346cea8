"""Writes of monitoring: record, edit and void a visit, attach its photos. Each change leaves an audit event."""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record, snapshot
from beneficiaries.services import graduation_mark
from core import photos
from core.formatting import date_long
from disbursements.models import Handover
from monitoring import graduation, sampling, schedule, units
from monitoring.models import (
    Assessment,
    GoodsCondition,
    GraduationCriterion,
    Outcome,
    Recommendation,
    SampleMethod,
    TurnoverThreshold,
    UnitFinding,
    VerificationResult,
    VerificationSample,
    Visit,
    VisitGoods,
    VisitPhoto,
)
from monitoring.signals import verification_recorded

Goods = dict[int, dict[str, int] | str]  # handover line id -> units by condition (or one condition for all units)
FIELDS = [
    "due_month",
    "visited_on",
    "visitor_name",
    "mode",
    "business_status",
    "turnover",
    "net_income",
    "workers",
    "iks_balance",
    "stage",
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


# Graduation -----------------------------------------------------------------------------------------------------


def criteria_of(budget_year, program: str) -> list[GraduationCriterion]:
    return list(GraduationCriterion.objects.filter(budget_year=budget_year, program=program))


def _criteria_snapshot(criteria) -> list[dict]:
    return [snapshot(c, ["name", "measure", "month", "weight", "required", "order"]) for c in criteria]


@transaction.atomic
def criteria_ensure(*, budget_year, program: str, actor) -> list[GraduationCriterion]:
    """The year's criteria of `program`; the defaults (graduation.DEFAULTS) are written the first time, audited."""
    criteria = criteria_of(budget_year, program)
    if criteria:
        return criteria
    criteria = GraduationCriterion.objects.bulk_create(
        [
            GraduationCriterion(
                budget_year=budget_year,
                program=program,
                name=name,
                measure=measure,
                month=month,
                weight=weight,
                required=required,
                order=index,
            )
            for index, (name, measure, month, weight, required) in enumerate(graduation.DEFAULTS[program])
        ]
    )
    # The defaults are the system's choice, not the officer's whose first assessment needed them: the system is
    # the actor (no user), and who was at work then is noted.
    audit_record(
        actor=None,
        action="graduation_criteria.default",
        obj=budget_year,
        after={
            "program": program,
            "criteria": _criteria_snapshot(criteria),
            "during_work_of": actor.get_username() if actor is not None and actor.is_authenticated else None,
        },
    )
    return criteria_of(budget_year, program)


@transaction.atomic
def criteria_save(*, budget_year, program: str, rows: list[dict[str, Any]], actor) -> list[GraduationCriterion]:
    """Replace the year's criteria of `program` by `rows` (name, measure, month, weight, required), audited.
    Refused once an assessment of that year and program exists: its scores were computed under the old ones."""
    if Assessment.objects.filter(budget_year=budget_year, program=program).exclude(status="returned").exists():
        raise ValidationError("Kriteria tidak dapat diubah: sudah ada penilaian graduasi tahun ini untuk program ini.")
    names = [" ".join((row.get("name") or "").split()) for row in rows]
    if not rows:
        raise ValidationError("Isi setidaknya satu kriteria.")
    if len(set(n.lower() for n in names)) != len(names) or not all(names):
        raise ValidationError("Setiap kriteria perlu nama, dan nama tidak boleh kembar.")
    if any((row.get("weight") or 0) < 1 for row in rows):
        raise ValidationError("Bobot setiap kriteria minimal 1.")
    months = budget_year.months
    if any(row.get("month") and row["month"] not in months for row in rows):
        raise ValidationError(f"Bulan kunjungan kriteria harus salah satu dari {', '.join(map(str, months))}.")
    before = _criteria_snapshot(criteria_of(budget_year, program))
    GraduationCriterion.objects.filter(budget_year=budget_year, program=program).delete()
    criteria = GraduationCriterion.objects.bulk_create(
        [
            GraduationCriterion(
                budget_year=budget_year,
                program=program,
                name=name,
                measure=row["measure"],
                month=row.get("month") or None,
                weight=row["weight"],
                required=bool(row.get("required")),
                order=index,
            )
            for index, (name, row) in enumerate(zip(names, rows, strict=True))
        ]
    )
    after = _criteria_snapshot(criteria)
    if after != before:
        audit_record(
            actor=actor,
            action="graduation_criteria.set",
            obj=budget_year,
            before={"program": program, "criteria": before},
            after={"program": program, "criteria": after},
        )
    return criteria_of(budget_year, program)


@transaction.atomic
def thresholds_save(*, budget_year, values: dict[str, Any], actor) -> None:
    """Set the regencies' monthly turnover thresholds ({regency code: amount or None to clear}), audited."""
    current = {t.regency_id: t for t in TurnoverThreshold.objects.filter(budget_year=budget_year)}
    before = {code: str(t.amount) for code, t in current.items()}
    for code, amount in values.items():
        if amount is None:
            if code in current:
                current[code].delete()
        elif amount < 0:
            raise ValidationError("Ambang omzet tidak boleh negatif.")
        else:
            TurnoverThreshold.objects.update_or_create(
                budget_year=budget_year, regency_id=code, defaults={"amount": amount}
            )
    after = {t.regency_id: str(t.amount) for t in TurnoverThreshold.objects.filter(budget_year=budget_year)}
    if after != before:
        audit_record(actor=actor, action="turnover_threshold.set", obj=budget_year, before=before, after=after)


def assessment_compute(handover: Handover, assessor_scores: dict, criteria=None) -> graduation.Result:
    """The graduation rule applied to a recipient as they stand now (four queries)."""
    budget_year = handover.budget_year
    if criteria is None:
        criteria = criteria_of(budget_year, handover.program)
        if not criteria:
            criteria = [_Unsaved(i, *d) for i, d in enumerate(graduation.DEFAULTS[handover.program])]
    visits = list(
        Visit.objects.valid()
        .filter(handover=handover)
        .prefetch_related("goods__line__goods")
        .order_by("visited_on", "id")
    )
    threshold = (
        TurnoverThreshold.objects.filter(budget_year=budget_year, regency_id=handover.regency_id)
        .values_list("amount", flat=True)
        .first()
    )
    # Only a scheduled visit done inside its window counts as that month's visit (one recorded early, before this
    # rule, counts as an unscheduled visit).
    opens = {
        month: schedule.window(handover.handed_over_on, month, budget_year.visit_window_days)[1]
        for month in budget_year.months
    }
    return graduation.assess(
        criteria,
        visits=visits,
        opens=opens,
        months=budget_year.months,
        threshold=threshold,
        assessor_scores=assessor_scores,
        min_score=budget_year.graduation_min_score,
    )


class _Unsaved:
    """A default criterion before the year's criteria are written (the form's first look)."""

    def __init__(self, index, name, measure, month, weight, required):
        self.pk, self.name, self.measure, self.month = -1 - index, name, measure, month
        self.weight, self.required = weight, required


def _assessment_snapshot(assessment: Assessment) -> dict:
    return snapshot(
        assessment,
        ["status", "readiness_score", "failed_required", "recommendation", "decision", "exit_reason", "note"],
    ) | {"scores": assessment.scores}


@transaction.atomic
def assessment_save(
    *,
    handover: Handover,
    assessor_scores: dict,
    decision: str,
    exit_reason: str = "",
    note: str = "",
    submit: bool = False,
    actor,
) -> Assessment:
    """Propose (or keep as a draft) the graduation assessment of a delivered recipient: the criteria are scored
    now, the decision checked against the rule (graduation.decision_problems). A returned assessment is edited
    again; an approved one stands, a new one may follow it (e.g. after an extension)."""
    handover = _locked_handover(handover)
    criteria = criteria_ensure(budget_year=handover.budget_year, program=handover.program, actor=actor)
    known = {str(c.pk) for c in criteria}
    assessor_scores = {k: v for k, v in assessor_scores.items() if k in known and v not in (None, "")}
    result = assessment_compute(handover, assessor_scores, criteria)
    problems = graduation.decision_problems(result, decision, exit_reason)
    if submit and result.unjudged:
        problems.setdefault("__all__", []).append("Nilai dulu kriteria: " + ", ".join(result.unjudged) + ".")
    if problems:
        raise ValidationError(problems)
    assessment = (
        Assessment.objects.select_for_update()
        .filter(handover=handover, status__in=["draft", "submitted", "returned"])
        .order_by("-id")
        .first()
    )
    if assessment is not None and assessment.status == Assessment.Status.SUBMITTED:
        raise ValidationError("Penilaian ini sudah diajukan dan sedang diperiksa provinsi.")
    before = _assessment_snapshot(assessment) if assessment else None
    if assessment is None:
        assessment = Assessment(
            handover=handover,
            budget_year_id=handover.budget_year_id,
            program=handover.program,
            regency_id=handover.regency_id,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
    assessment.scores = [s.as_dict() for s in result.scores]
    assessment.assessor_scores = assessor_scores
    assessment.readiness_score = result.readiness
    assessment.failed_required = result.failed_required
    assessment.recommendation = result.recommendation
    assessment.decision = decision
    # keluar without a reason was refused above (decision_problems)
    assessment.exit_reason = " ".join(exit_reason.split()) if decision == Recommendation.EXIT else ""
    assessment.note = note or ""
    assessment.status = Assessment.Status.SUBMITTED if submit else Assessment.Status.DRAFT
    assessment.submitted_at = timezone.now() if submit else None
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise ValidationError("Penilaian penerima ini baru saja dibuat petugas lain; muat ulang halaman.") from None
    audit_record(
        actor=actor,
        action="assessment.submit" if submit else ("assessment.update" if before else "assessment.create"),
        obj=assessment,
        before=before,
        after=_assessment_snapshot(assessment),
    )
    return assessment


@transaction.atomic
def assessment_review(*, assessment: Assessment, approve: bool, note: str = "", actor) -> Assessment:
    """The province approves a submitted assessment (a "lulus" marks the person or KUBE group as graduated in the
    registry, with this year) or returns it to the regency with a note."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("handover__allocation__item")
        .get(pk=assessment.pk)
    )
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Hanya penilaian yang diajukan yang dapat diperiksa.")
    note = " ".join((note or "").split())
    if not approve and not note:
        raise ValidationError({"review_note": ["Tulis alasan pengembalian untuk kabupaten/kota."]})
    before = _assessment_snapshot(assessment)
    assessment.status = Assessment.Status.APPROVED if approve else Assessment.Status.RETURNED
    assessment.review_note = note
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    assessment.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        action="assessment.approve" if approve else "assessment.return",
        obj=assessment,
        before=before,
        after=_assessment_snapshot(assessment) | {"review_note": note},
    )
    if approve and assessment.decision == Recommendation.GRADUATE:
        item = assessment.handover.allocation.item
        year = timezone.localdate().year
        if item.person_id:
            graduation_mark(person=item.person, year=year, actor=actor)
        else:
            graduation_mark(group=item.group, year=year, actor=actor)
    return assessment


# Post-distribution verification --------------------------------------------------------------------------------


def _sample_method(method: str, confidence, margin) -> tuple:
    if method not in SampleMethod.values:
        raise ValidationError({"method": ["Pilih cara: semua penerima atau sampel acak."]})
    if method != SampleMethod.RANDOM:
        return None, None
    problems = {}
    if confidence not in sampling.CONFIDENCE_LEVELS:
        problems["confidence"] = ["Pilih tingkat kepercayaan 90, 95 atau 99%."]
    if margin not in sampling.MARGINS:
        problems["margin"] = ["Pilih batas kesalahan 5, 10 atau 15%."]
    if problems:
        raise ValidationError(problems)
    return confidence, margin


def _delivered(budget_year, regency) -> list[int]:
    return list(
        Handover.objects.delivered()
        .filter(budget_year=budget_year, regency=regency)
        .order_by("id")
        .values_list("id", flat=True)
    )


def _sample(*, budget_year, regency, draw, population, method, confidence, margin, actor) -> VerificationSample:
    size = len(population) if method == SampleMethod.ALL else sampling.cochran(len(population), confidence, margin)
    seed = secrets.randbits(48)
    chosen = population if method == SampleMethod.ALL else sampling.draw(population, size, seed)
    try:
        with transaction.atomic():
            sample = VerificationSample.objects.create(
                budget_year=budget_year,
                regency=regency,
                draw=draw,
                method=method,
                confidence=confidence,
                margin=margin,
                population=len(population),
                size=size,
                seed=seed,
                population_ids=population,
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:  # the same draw made at the same moment by someone else
        raise ValidationError(f"Sampel {regency} {budget_year} baru saja ditarik petugas lain.") from None
    VerificationResult.objects.bulk_create(
        [
            VerificationResult(sample=sample, handover_id=pk, regency=regency, position=index)
            for index, pk in enumerate(chosen, start=1)
        ]
    )
    audit_record(
        actor=actor,
        action="verification_sample.draw",
        obj=sample,
        after={
            "draw": draw,
            "method": method,
            "confidence": confidence,
            "margin": margin,
            "population": len(population),
            "size": size,
            "seed": seed,
            "chosen": chosen,
        },
    )
    return sample


@transaction.atomic
def sample_draw(*, budget_year, regency, method: str, confidence: int | None, margin: int | None, actor):
    """Draw the recipients of a regency and year to verify (all, or a Cochran-sized random sample), once per
    regency and year; the seed and population are stored so the draw can be redone. Audited. BASTs made later
    are drawn by sample_supplement."""
    confidence, margin = _sample_method(method, confidence, margin)
    if VerificationSample.objects.filter(budget_year=budget_year, regency=regency).exists():
        raise ValidationError(
            f"Sampel {regency} {budget_year} sudah ditarik; sampel tidak ditarik ulang. BAST yang dibuat sesudahnya "
            "ditarik sebagai sampel tambahan dari halaman sampel itu."
        )
    population = _delivered(budget_year, regency)
    if not population:
        raise ValidationError(f"Belum ada penerima {regency} {budget_year} yang menerima barang (BAST).")
    return _sample(
        budget_year=budget_year, regency=regency, draw=1, population=population, method=method,
        confidence=confidence, margin=margin, actor=actor,
    )  # fmt: skip


def sample_newcomers(sample: VerificationSample) -> list[int]:
    """The delivered BASTs of the sample's regency and year that no draw so far had in its population (made after
    the earlier draws), in id order."""
    drawn = set()
    for ids in VerificationSample.objects.filter(
        budget_year_id=sample.budget_year_id, regency_id=sample.regency_id
    ).values_list("population_ids", flat=True):
        drawn.update(ids)
    return [pk for pk in _delivered(sample.budget_year_id, sample.regency_id) if pk not in drawn]


@transaction.atomic
def sample_supplement(*, sample: VerificationSample, method: str, confidence, margin, actor) -> VerificationSample:
    """A supplementary draw for the BASTs made after the earlier draws of a regency and year: its own population,
    method, seed and results, reproducible on its own. Audited."""
    confidence, margin = _sample_method(method, confidence, margin)
    # one draw at a time per regency and year: the earlier draws are locked while the new one is made
    earlier = list(
        VerificationSample.objects.select_for_update()
        .filter(budget_year_id=sample.budget_year_id, regency_id=sample.regency_id)
        .order_by("draw")
    )
    population = sample_newcomers(sample)
    if not population:
        last = earlier[-1]
        raise ValidationError(
            f"Belum ada BAST baru {sample.regency} sejak penarikan ke-{last.draw} "
            f"({date_long(timezone.localtime(last.created_at).date())}); sampel tambahan belum dapat ditarik."
        )
    return _sample(
        budget_year=sample.budget_year, regency=sample.regency, draw=earlier[-1].draw + 1, population=population,
        method=method, confidence=confidence, margin=margin, actor=actor,
    )  # fmt: skip


def verification_problems(result: VerificationResult, data: dict[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    outcome, lines = data.get("outcome"), data.get("lines") or {}
    if outcome not in Outcome.values:
        problems["outcome"] = ["Pilih hasil pemeriksaan."]
    day = data.get("checked_on")
    if day is None:
        problems["checked_on"] = ["Tanggal pemeriksaan wajib diisi."]
    elif day > timezone.localdate():
        problems["checked_on"] = ["Tanggal pemeriksaan tidak boleh di masa depan."]
    elif day < result.handover.handed_over_on:
        problems["checked_on"] = [
            f"Tanggal pemeriksaan tidak boleh sebelum serah terima ({date_long(result.handover.handed_over_on)})."
        ]
    if outcome == Outcome.INCOMPLETE:
        found = _found_units(result, lines)
        if isinstance(found, list):
            problems["lines"] = found
        elif all(set(counts) == {UnitFinding.GOOD} for counts in found.values()):
            problems["lines"] = ["Tandai berapa barang yang rusak atau tidak ada."]
    if (
        outcome in (Outcome.INCOMPLETE, Outcome.NOT_RECEIVED, Outcome.NOT_FOUND)
        and not (data.get("note") or "").strip()
    ):
        problems["note"] = ["Tulis catatan: apa yang ditemukan."]
    return problems


def _found_units(result: VerificationResult, lines: dict) -> dict[str, dict[str, int]] | list[str]:
    """The units found of each goods line ({line id: {UnitFinding: units}}), or what is wrong with them."""
    expected = {str(line.pk): line for line in result.handover.lines.all()}
    if set(k for k, v in lines.items() if v) - set(expected):
        return ["Barang yang diperiksa bukan barang BAST ini."]
    found, messages = {}, []
    for pk, line in expected.items():
        name, unit = str(line.goods), line.goods.get_unit_display()
        try:
            counts = units.normalise(lines.get(pk), line.quantity)
        except ValueError as error:
            messages.append(f"{name}: {error}.")
            continue
        if not counts:
            messages.append(f"{name}: isi berapa {unit} yang ada dan baik, rusak atau tidak ada.")
            continue
        message = units.problem(name, line.quantity, unit, counts, UnitFinding.values)
        if message:
            messages.append(message)
        found[pk] = counts
    return messages or found


@transaction.atomic
def verification_record(*, result: VerificationResult, data: dict[str, Any], photo=None, actor) -> VerificationResult:
    """Record (or correct) what the verifier found for one sampled recipient, with an optional photo. Audited."""
    result = VerificationResult.objects.select_for_update(of=("self",)).select_related("handover").get(pk=result.pk)
    problems = verification_problems(result, data)
    if problems:
        raise ValidationError(problems)
    before = snapshot(result, ["outcome", "lines", "note", "checked_on", "photo"]) if result.outcome else None
    result.outcome = data["outcome"]
    result.lines = _found_units(result, data.get("lines") or {}) if result.outcome == Outcome.INCOMPLETE else {}
    result.note = (data.get("note") or "").strip()
    result.checked_on = data["checked_on"]
    result.checked_by = actor if actor is not None and actor.is_authenticated else None
    if photo is not None:
        if photo.size > settings.VISIT_PHOTO_MAX_BYTES:
            raise ValidationError({"photo": ["Foto terlalu besar."]})
        try:
            prepared = photos.prepare(photo.read())
        except photos.PhotoRefused as refused:
            raise ValidationError({"photo": [str(refused)]}) from None
        result.photo.save(f"{result.pk}.jpg", ContentFile(prepared.content), save=False)
    result.save()
    audit_record(
        actor=actor,
        action="verification.record",
        obj=result,
        before=before,
        after=snapshot(result, ["outcome", "lines", "note", "checked_on", "photo"]),
    )
    verification_recorded.send(sender=VerificationResult, result=result, actor=actor)
    return result
