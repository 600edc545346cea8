"""Monitoring pages: the worklist of scheduled visits, the visit form (phone-first: one column, camera input), a
visit's page, its photos (served after the scope check) and its void."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.exports import export_event
from core.access import require
from core.forms import add_service_errors
from disbursements.models import Handover
from monitoring import exports, imports, sampling, schedule, selectors, services, workbook
from monitoring.forms import (
    AssessmentForm,
    CriteriaFormSet,
    ReviewForm,
    SampleForm,
    SupplementForm,
    ThresholdForm,
    VerificationForm,
    VisitForm,
    VoidForm,
    WorklistUploadForm,
)
from monitoring.graduation import DEFAULTS as DEFAULT_CRITERIA
from monitoring.models import Assessment, Outcome, TurnoverThreshold, VerificationResult, Visit, VisitPhoto
from monitoring.permissions import (
    can_assess,
    can_record_visits,
    can_review_assessments,
    can_set_graduation_criteria,
    can_verify,
    can_view_visits,
)
from programs.models import Program
from programs.selectors import budget_year_chosen
from proposals.workbook.errors import mark_problems
from proposals.workbook.reader import WorkbookRefused
from regions.selectors import regencies_visible_to

STATE_FILTERS = {
    "": ("Perlu dikunjungi", selectors.OPEN_STATES),
    schedule.OVERDUE: ("Terlambat", (schedule.OVERDUE,)),
    schedule.DUE: ("Jatuh tempo", (schedule.DUE,)),
    schedule.DONE: ("Selesai", (schedule.DONE,)),
    schedule.UPCOMING: ("Akan datang", (schedule.UPCOMING,)),
    "semua": ("Semua", ()),
}


@login_required
def worklist(request):
    require(can_view_visits(request.user))
    budget_year, years = budget_year_chosen(request.user, request.GET.get("tahun"))
    regencies = regencies_visible_to(request.user)
    regency = request.GET.get("kabupaten", "")
    if regency and not regencies.filter(code=regency).exists():
        regency = ""
    program = request.GET.get("program", "")
    program = program if program in Program.values else ""
    state = request.GET.get("status", "")
    state = state if state in STATE_FILTERS else ""
    order = "tanggal" if request.GET.get("urut") == "tanggal" else "desa"
    rows, counts, summary = [], dict.fromkeys(schedule.STATE_LABELS, 0), None
    if budget_year and not regency and regencies.count() > 1:
        # The whole province is too long a list to plan a trip with: its regencies, then one regency's visits.
        summary = selectors.outcomes(user=request.user, budget_year=budget_year).regencies
    elif budget_year:
        everything = selectors.worklist(
            user=request.user,
            budget_year=budget_year,
            regency_id=regency or None,
            program=program or None,
            states=(),
            order=order,
        )
        counts = selectors.state_counts(everything)
        wanted = STATE_FILTERS[state][1]
        rows = [row for row in everything if not wanted or row.state in wanted]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/worklist.html",
        {
            "page": page,
            "counts": counts,
            "summary": summary,
            "labels": schedule.STATE_LABELS,
            "budget_year": budget_year,
            "years": years.values_list("year", flat=True),
            "regencies": regencies,
            "regency": regency,
            "program": program,
            "programs": Program.values,
            "state": state,
            "state_filters": {key: label for key, (label, _) in STATE_FILTERS.items()},
            "order": order,
            "can_record": can_record_visits(request.user),
        },
    )


def _handover(request, pk) -> Handover:
    require(can_record_visits(request.user))
    try:
        return selectors.handover_for_visit(user=request.user, pk=pk)
    except Handover.DoesNotExist:
        raise Http404 from None


def _visit(request, pk) -> Visit:
    require(can_view_visits(request.user))
    try:
        return selectors.visit_detail(user=request.user, pk=pk)
    except Visit.DoesNotExist:
        raise Http404 from None


def _save_photos(form, visit, user) -> list[str]:
    """Attach the form's photos; a refused photo does not undo the visit, it is reported."""
    refused = []
    for upload in form.cleaned_data.get("photos") or []:
        try:
            services.visit_photo_add(visit=visit, upload=upload, actor=user)
        except ValidationError as error:
            refused.append(f"{upload.name}: {' '.join(error.messages)}")
    return refused


@login_required
def visit_create(request, handover_pk):
    handover = _handover(request, handover_pk)
    month = request.GET.get("bulan", "")
    initial = {"due_month": int(month)} if month.isdigit() else {}
    if not initial:
        open_months = [r.month for r in selectors.handover_schedule(handover) if r.state != schedule.DONE]
        initial = {"due_month": open_months[0]} if open_months else {"due_month": ""}
    initial["visitor_name"] = request.user.get_full_name() or request.user.get_username()
    form = VisitForm(request.POST or None, request.FILES or None, handover=handover, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                visit = services.visit_record(
                    handover=handover, data=form.answers(), goods=form.goods(), actor=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            refused = _save_photos(form, visit, request.user)
            messages.success(request, "Kunjungan dicatat.")
            for message in refused:
                messages.warning(request, f"Foto tidak disimpan — {message}")
            return redirect(visit)
    return render(
        request,
        "monitoring/visit_form.html",
        {
            "form": form,
            "handover": handover,
            "recipient": selectors.recipient_name(handover),
            "visit": None,
            "from_field": request.GET.get("lapangan") == "1",  # opened from "Kerja Lapangan" (taken along)
        },
    )


@login_required
def visit_update(request, pk):
    visit = _visit(request, pk)
    require(can_record_visits(request.user))
    if visit.is_void:
        raise Http404
    handover = _handover(request, visit.handover_id)
    form = VisitForm(request.POST or None, request.FILES or None, instance=visit, handover=handover)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(visit=visit, data=form.answers(), goods=form.goods(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            refused = _save_photos(form, visit, request.user)
            messages.success(request, "Perubahan kunjungan disimpan.")
            for message in refused:
                messages.warning(request, f"Foto tidak disimpan — {message}")
            return redirect(visit)
    return render(
        request,
        "monitoring/visit_form.html",
        {"form": form, "handover": handover, "recipient": selectors.recipient_name(handover), "visit": visit},
    )


@login_required
def visit_detail(request, pk):
    visit = _visit(request, pk)
    return render(
        request,
        "monitoring/visit_detail.html",
        {
            "visit": visit,
            "recipient": selectors.recipient_name(visit.handover),
            "village": selectors.recipient_village(visit.handover),
            "can_record": can_record_visits(request.user),
        },
    )


@login_required
@require_POST
def visit_void(request, pk):
    visit = _visit(request, pk)
    require(can_record_visits(request.user))
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.visit_void(visit=visit, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Kunjungan dibatalkan; jadwal bulan itu terbuka lagi.")
    else:
        messages.error(request, "Alasan pembatalan wajib diisi.")
    return redirect(visit)


@login_required
def visit_photo(request, pk):
    require(can_view_visits(request.user))
    try:
        photo = selectors.photo_visible(user=request.user, pk=pk)
    except VisitPhoto.DoesNotExist:
        raise Http404 from None
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Graduation -----------------------------------------------------------------------------------------------------


@login_required
def assessment_list(request):
    require(can_view_visits(request.user))
    budget_year, years = budget_year_chosen(request.user, request.GET.get("tahun"))
    regencies = regencies_visible_to(request.user)
    regency = request.GET.get("kabupaten", "")
    if regency and not regencies.filter(code=regency).exists():
        regency = ""
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


# Post-distribution verification --------------------------------------------------------------------------------


@login_required
def sample_list(request):
    require(can_view_visits(request.user))
    budget_year, years = budget_year_chosen(request.user, request.GET.get("tahun"))
    samples = selectors.samples_visible_to(request.user)
    samples = samples.filter(budget_year=budget_year) if budget_year else samples.none()
    form = None
    if can_verify(request.user) and budget_year:
        drawn = samples.values_list("regency_id", flat=True)
        form = SampleForm(request.POST or None, regencies=regencies_visible_to(request.user).exclude(code__in=drawn))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                sample = services.sample_draw(
                    budget_year=budget_year,
                    regency=data["regency"],
                    method=data["method"],
                    confidence=data["confidence"],
                    margin=data["margin"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, f"{sample.size} dari {sample.population} penerima ditarik untuk diverifikasi."
                )
                return redirect(sample)
    elif request.method == "POST":
        require(False)
    return render(
        request,
        "monitoring/sample_list.html",
        {
            "samples": selectors.sample_summaries(samples),
            "form": form,
            "budget_year": budget_year,
            "years": years.values_list("year", flat=True),
            "outcomes": Outcome.choices,
        },
    )


@login_required
def sample_detail(request, pk):
    require(can_view_visits(request.user))
    sample = get_object_or_404(
        selectors.samples_visible_to(request.user).select_related("regency", "budget_year"), pk=pk
    )
    results = list(selectors.sample_results(sample))
    if request.GET.get("unduh") == "xlsx":
        return exports.sample_workbook(sample, results, user=request.user)
    random = sample.confidence is not None and sample.margin is not None
    verifier = can_verify(request.user)
    return render(
        request,
        "monitoring/sample_detail.html",
        {
            "sample": sample,
            "working": sampling.working(sample.population, sample.confidence, sample.margin) if random else None,
            "results": results,
            "findings": [r for r in results if r.is_discrepancy],
            "checked": sum(1 for r in results if r.outcome),
            "can_verify": verifier,
            "draws": selectors.sample_draws(sample),
            "newcomers": len(services.sample_newcomers(sample)) if verifier else 0,
            "supplement_form": SupplementForm() if verifier else None,
        },
    )


@login_required
@require_POST
def sample_supplement(request, pk):
    """Draw the BASTs made since the regency's earlier draws as a sample of their own."""
    sample = get_object_or_404(selectors.samples_visible_to(request.user), pk=pk)
    require(can_verify(request.user))
    form = SupplementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            drawn = services.sample_supplement(
                sample=sample,
                method=data["method"],
                confidence=data["confidence"],
                margin=data["margin"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Sampel tambahan: {drawn.size} dari {drawn.population} BAST baru ditarik untuk diverifikasi.",
            )
            return redirect(drawn)
    else:
        messages.error(request, "Pilih cara penarikan sampel tambahan: semua penerima atau sampel acak.")
    return redirect(sample)


def _result(request, pk) -> VerificationResult:
    require(can_view_visits(request.user))
    return get_object_or_404(
        selectors.results_visible_to(request.user).select_related("sample", "handover__budget_year"), pk=pk
    )


@login_required
def result_record(request, pk):
    result = _result(request, pk)
    require(can_verify(request.user))
    handover = result.handover
    initial = {"outcome": result.outcome, "checked_on": result.checked_on or timezone.localdate(), "note": result.note}
    form = VerificationForm(
        request.POST or None, request.FILES or None, handover=handover, initial=initial, current=result.lines
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_record(
                result=result, data=form.data_for_service(), photo=form.cleaned_data.get("photo"), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Hasil verifikasi disimpan.")
            return redirect(result.sample)
    return render(
        request,
        "monitoring/result_form.html",
        {"form": form, "result": result, "handover": handover, "recipient": selectors.recipient_name(handover)},
    )


@login_required
def result_photo(request, pk):
    result = _result(request, pk)
    if not result.photo:
        raise Http404
    response = FileResponse(result.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# The worklist workbook (field teams without a connection) -------------------------------------------------------


def _worklist_filters(request):
    budget_year, _ = budget_year_chosen(request.user, request.GET.get("tahun") or request.POST.get("tahun"))
    regency = request.GET.get("kabupaten", "")
    if regency and not regencies_visible_to(request.user).filter(code=regency).exists():
        regency = ""
    return budget_year, regency


@login_required
def worklist_export(request):
    """The due and overdue visits (or the chosen status) as a workbook to fill in the field, audited."""
    require(can_record_visits(request.user))
    budget_year, regency = _worklist_filters(request)
    if budget_year is None:
        raise Http404
    state = request.GET.get("status", "")
    wanted = STATE_FILTERS.get(state, STATE_FILTERS[""])[1] or selectors.OPEN_STATES
    rows = selectors.worklist(
        user=request.user, budget_year=budget_year, regency_id=regency or None, states=wanted, with_lines=True
    )
    where = str(regencies_visible_to(request.user).get(code=regency)) if regency else (
        str(request.user.regency) if request.user.regency_id else "Kalimantan Timur"
    )  # fmt: skip
    content = workbook.build(rows, title=f"Lembar kerja kunjungan monev — {where} — {budget_year}")
    export_event(
        user=request.user,
        action="visit.export_worklist",
        obj=Visit,
        rows=len(rows),
        after={"budget_year": budget_year.year, "regency": regency or None},
        regency_id=regency or None,
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="kunjungan-monev-{budget_year.year}.xlsx"'
    return response


@login_required
@require_POST
def worklist_upload(request):
    """The filled-in workbook back: every row judged as the form judges a visit; rows whose visit is already saved
    are passed over and named; of the others all saved, or nothing and the problems by row and column with the
    workbook marked (red cells, comments) to download."""
    require(can_record_visits(request.user))
    form = WorklistUploadForm(request.POST, request.FILES)
    problems, saved, refused = [], None, None
    if form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            rows = workbook.read(data)
            saved = imports.visits_import(
                rows=rows, handovers=selectors.handovers_for_visits(request.user), actor=request.user
            )
        except WorkbookRefused as error:
            refused = str(error)
        except ValidationError as error:
            problems = list(error.args[0])
            marked = mark_problems(data, problems)
            name = default_storage.save(f"monev/unggah/{uuid.uuid4().hex}.xlsx", ContentFile(marked))
            request.session["monev_marked_workbook"] = name
    else:
        refused = " ".join(m for messages in form.errors.values() for m in messages)
    if saved is not None:
        if saved.saved or not saved.skipped:
            messages.success(
                request,
                f"{saved.saved} kunjungan dari berkas dicatat."
                if saved.saved
                else "Berkas tidak berisi kunjungan yang diisi.",
            )
        if saved.skipped:
            messages.info(
                request,
                f"{len(saved.skipped)} baris dilewati karena kunjungannya sudah tersimpan: "
                + "; ".join(f"baris {p['row']}: {p['message']}" for p in saved.skipped),
            )
        return redirect(f"{reverse('monitoring:worklist')}?status=selesai")
    return render(
        request,
        "monitoring/worklist_upload.html",
        {"problems": sorted(problems, key=lambda p: (p["row"], p["column"])), "refused": refused},
        status=200,
    )


@login_required
def worklist_marked(request):
    """The uploader's own workbook with its problems marked (kept for them only, named in their session)."""
    require(can_record_visits(request.user))
    name = request.session.get("monev_marked_workbook")
    if not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename="kunjungan-monev-kesalahan.xlsx")
