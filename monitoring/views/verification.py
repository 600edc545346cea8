"""The post-distribution verification pages: samples (and supplementary draws), recording what was found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import require
from core.files import upload_response
from core.forms import add_service_errors
from monitoring import exports, sampling, selectors, services
from monitoring.forms import (
    SampleForm,
    SupplementForm,
    VerificationForm,
)
from monitoring.models import Outcome, VerificationResult
from monitoring.permissions import (
    can_verify,
    can_view_visits,
)
from programs.selectors import budget_year_chosen
from regions.selectors import regencies_visible_to


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
            "newcomers": len(selectors.sample_newcomers(sample)) if verifier else 0,
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
    return upload_response(
        result.photo.open("rb"), filename=f"foto-verifikasi-{result.pk}.jpg", cache="private, max-age=3600"
    )
