"""Writes of graduation: the criteria of a year and program, the turnover thresholds, an assessment computed, saved,
submitted and reviewed. Each change leaves an audit event."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record, snapshot
from beneficiaries.services import graduation_mark
from disbursements.models import Handover
from monitoring import graduation, schedule
from monitoring.models import (
    Assessment,
    GraduationCriterion,
    Recommendation,
    TurnoverThreshold,
    Visit,
)
from monitoring.services.visits import _locked_handover


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
