"""The graduation pages: candidates and assessments, the assessment form and its review, the criteria of a year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from core.access import require
from core.forms import add_service_errors
from disbursements.models import Handover
from monitoring import selectors, services
from monitoring.forms import (
    AssessmentForm,
    CriteriaFormSet,
    ReviewForm,
    ThresholdForm,
)
from monitoring.graduation import DEFAULTS as DEFAULT_CRITERIA
from monitoring.models import Assessment, TurnoverThreshold
from monitoring.permissions import (
    can_assess,
    can_review_assessments,
    can_set_graduation_criteria,
    can_view_visits,
)
from monitoring.views.visits import regency_chosen
from programs.models import Program
from programs.selectors import budget_year_chosen
from regions.selectors import regencies_visible_to


@login_required
def assessment_list(request):
    require(can_view_visits(request.user))
    budget_year, years = budget_year_chosen(request.user, request.GET.get("tahun"))
    regencies = regencies_visible_to(request.user)
    regency = regency_chosen(request, regencies)
    status = request.GET.get("status", "")
    assessments = selectors.assessment_list(selectors.assessments_visible_to(request.user))
    candidates = Handover.objects.none()
    if budget_year:
        assessments = assessments.filter(budget_year=budget_year)
        if can_assess(request.user):
            candidates = selectors.graduation_candidates(
                user=request.user, budget_year=budget_year, regency_id=regency or None
            )
    else:
        assessments = assessments.none()
    if regency:
        assessments = assessments.filter(regency_id=regency)
    if status in Assessment.Status.values:
        assessments = assessments.filter(status=status)
    return render(
        request,
        "monitoring/assessment_list.html",
        {
            "page": Paginator(assessments.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page")),
            "candidates": candidates[:200],
            "budget_year": budget_year,
            "years": years.values_list("year", flat=True),
            "regencies": regencies,
            "regency": regency,
            "status": status,
            "statuses": Assessment.Status.choices,
            "can_assess": can_assess(request.user),
            "can_set": can_set_graduation_criteria(request.user),
        },
    )


@login_required
def assessment_create(request, handover_pk):
    require(can_assess(request.user))
    try:
        handover = selectors.handover_for_visit(user=request.user, pk=handover_pk)
    except Handover.DoesNotExist:
        raise Http404 from None
    current = selectors.assessment_open(handover)
    if current is not None and current.status == Assessment.Status.SUBMITTED:
        messages.info(request, "Penilaian ini sudah diajukan dan sedang diperiksa provinsi.")
        return redirect(current)
    criteria = services.criteria_of(handover.budget_year, handover.program)
    initial = {}
    if current is not None:
        initial = {"decision": current.decision, "exit_reason": current.exit_reason, "note": current.note}
        initial |= {f"score_{k}": v for k, v in current.assessor_scores.items()}
    form = AssessmentForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_save(
                handover=handover,
                assessor_scores=form.assessor_scores(),
                decision=form.cleaned_data["decision"],
                exit_reason=form.cleaned_data["exit_reason"],
                note=form.cleaned_data["note"],
                submit=request.POST.get("action") == "submit",
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            submitted = assessment.status == Assessment.Status.SUBMITTED
            messages.success(request, "Penilaian diajukan ke provinsi." if submitted else "Draf penilaian disimpan.")
            return redirect(assessment)
    scores = {}
    if form.is_bound and form.is_valid():
        scores = form.assessor_scores()
    elif current is not None:
        scores = current.assessor_scores
    result = services.assessment_compute(handover, scores, criteria or None)
    if not form.is_bound and current is None:
        form.initial["decision"] = result.recommendation
    return render(
        request,
        "monitoring/assessment_form.html",
        {
            "form": form,
            "handover": handover,
            "recipient": selectors.recipient_name(handover),
            "result": result,
            "current": current,
            "visits": handover.visits.valid().order_by("visited_on"),
            "min_score": handover.budget_year.graduation_min_score,
        },
    )


def _assessment(request, pk) -> Assessment:
    require(can_view_visits(request.user))
    try:
        return selectors.assessment_detail(user=request.user, pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


@login_required
def assessment_detail(request, pk):
    assessment = _assessment(request, pk)
    can_review = can_review_assessments(request.user) and assessment.status == Assessment.Status.SUBMITTED
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        require(can_review)
        if form.is_valid():
            try:
                services.assessment_review(
                    assessment=assessment,
                    approve=form.cleaned_data["approve"],
                    note=form.cleaned_data["review_note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "Penilaian disetujui."
                    if form.cleaned_data["approve"]
                    else "Penilaian dikembalikan ke kabupaten/kota.",
                )
                return redirect(assessment)
    return render(
        request,
        "monitoring/assessment_detail.html",
        {
            "assessment": assessment,
            "recipient": selectors.recipient_name(assessment.handover),
            "village": selectors.recipient_village(assessment.handover),
            "history": selectors.assessment_history(assessment),
            "form": form,
            "can_edit": can_assess(request.user)
            and assessment.status in (Assessment.Status.DRAFT, Assessment.Status.RETURNED),
        },
    )


@login_required
def criteria_edit(request, year, program):
    require(can_set_graduation_criteria(request.user))
    budget_year, _ = budget_year_chosen(request.user, str(year))
    if budget_year is None or budget_year.year != year or program not in Program.values:
        raise Http404
    criteria = services.criteria_of(budget_year, program)
    if criteria:
        initial = [
            {"name": c.name, "measure": c.measure, "month": c.month, "weight": c.weight, "required": c.required}
            for c in criteria
        ]
    else:
        initial = [
            {"name": n, "measure": m, "month": mo, "weight": w, "required": r}
            for n, m, mo, w, r in DEFAULT_CRITERIA[program]
        ]
    regencies = regencies_visible_to(request.user)
    formset = CriteriaFormSet(
        request.POST or None, initial=initial, form_kwargs={"months": budget_year.months}, prefix="kriteria"
    )
    thresholds = {t.regency_id: t.amount for t in TurnoverThreshold.objects.filter(budget_year=budget_year)}
    threshold_form = ThresholdForm(
        request.POST or None,
        regencies=regencies,
        initial={f"amount_{code}": amount for code, amount in thresholds.items()},
        prefix="ambang",
    )
    problem = None
    if request.method == "POST" and formset.is_valid() and threshold_form.is_valid():
        rows = []
        for row_form in formset.forms:
            # an unchanged row the browser sent as "extra" keeps its initial values (never silently dropped)
            row = row_form.cleaned_data or (row_form.initial if not row_form.has_changed() else None)
            if row and row.get("name") and not row.get("DELETE"):
                rows.append(row)
        try:
            with transaction.atomic():
                services.criteria_save(budget_year=budget_year, program=program, rows=rows, actor=request.user)
                services.thresholds_save(budget_year=budget_year, values=threshold_form.values(), actor=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, f"Kriteria graduasi {program} {budget_year} disimpan.")
            return redirect("monitoring:criteria_edit", year=year, program=program)
    return render(
        request,
        "monitoring/criteria_form.html",
        {
            "formset": formset,
            "threshold_form": threshold_form,
            "budget_year": budget_year,
            "program": program,
            "programs": Program.values,
            "problem": problem,
            "is_default": not criteria,
        },
    )
