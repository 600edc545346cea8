"""The budget of a year per regency and program: overview (table + chart), ceiling editor, absorption
workbook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from audit.exports import audited_export
from core.access import require
from core.excel import ReportWriter
from core.forms import add_service_errors
from core.replica import reads_from_replica
from disbursements import selectors
from disbursements.exports import ABSORPTION_COLUMNS, absorption_rows
from disbursements.forms import CeilingEditorForm
from programs.models import BudgetYear, Ceiling
from programs.permissions import can_set_ceilings, can_view_ceilings
from programs.selectors import budget_years_visible_to
from programs.services import ceilings_set
from regions.models import Regency


def _year(request, year) -> BudgetYear:
    require(can_view_ceilings(request.user))
    return get_object_or_404(budget_years_visible_to(request.user), year=year)


@login_required
def budget_overview(request, year):
    budget_year = _year(request, year)
    overview = selectors.budget_overview(user=request.user, budget_year=budget_year)
    per_regency: dict[str, list[int]] = {}  # name -> [ceiling, committed], both programs together
    for row in overview.rows:
        sums = per_regency.setdefault(row.regency.name, [0, 0])
        if row.ceiling:
            sums[0] += int(row.ceiling.amount)
            sums[1] += int(row.ceiling.committed)
    chart = {
        "labels": list(per_regency),
        "amount": [sums[0] for sums in per_regency.values()],
        "committed": [sums[1] for sums in per_regency.values()],
    }
    return render(
        request,
        "disbursements/budget_overview.html",
        {
            "budget_year": budget_year,
            "overview": overview,
            "chart": chart,
            "can_set": can_set_ceilings(request.user) and budget_year.status != BudgetYear.Status.CLOSED,
            "years": budget_years_visible_to(request.user).values_list("year", flat=True),
        },
    )


@login_required
def ceiling_edit(request, year):
    budget_year = _year(request, year)
    require(can_set_ceilings(request.user))
    current = {
        (c.regency_id, c.program): (c.target_count, c.amount) for c in Ceiling.objects.filter(budget_year=budget_year)
    }
    suggest = request.GET.get("usul") == "1"
    initial = {**current, **selectors.suggested_ceilings(budget_year)} if suggest else current
    form = CeilingEditorForm(request.POST or None, regencies=Regency.objects.order_by("code"), initial_values=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = ceilings_set(budget_year=budget_year, values=form.values(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Pagu {budget_year} disimpan ({changed} baris berubah).")
            return redirect("disbursements:budget_overview", year=budget_year.year)
    totals = form.totals()
    return render(
        request,
        "disbursements/ceiling_form.html",
        {
            "budget_year": budget_year,
            "form": form,
            "rows": form.bound_rows(),
            "suggest": suggest,
            "totals": totals,
            "left": budget_year.total_ceiling - totals["amount"],
            "has_ceilings": any(amount for _, amount in current.values()),
        },
    )


@login_required
@reads_from_replica
def absorption_export(request, year):
    """Budget absorption per regency × program as xlsx, in the user's scope; audited."""
    budget_year = _year(request, year)
    overview = selectors.budget_overview(user=request.user, budget_year=budget_year)
    scope = [("Tahun Anggaran", str(budget_year.year))]
    if not request.user.is_provincial:
        scope.append(("Kab/Kota", str(request.user.regency)))
    writer = ReportWriter("Penyerapan Anggaran per Kabupaten/Kota", ABSORPTION_COLUMNS, filters=scope)
    return audited_export(
        writer,
        absorption_rows(overview),
        user=request.user,
        action="budget.export",
        obj=Ceiling,
        filename=f"penyerapan-anggaran-{budget_year.year}",
        after={"budget_year": budget_year.year},
    )
