"""The data-quality scorecard: the table of regencies (kept like the dashboard, printable on one A4 landscape page),
one regency's records behind each number, the workbook, and the thresholds of the year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode

from audit.exports import audited_export
from core.access import require
from programs.selectors import budget_year_chosen, budget_years_visible_to
from quality import exports, selectors, services
from quality.forms import ThresholdsForm
from quality.models import Threshold
from quality.permissions import can_edit_thresholds, can_view_scorecard
from quality.records import records
from regions.selectors import regencies_visible_to


def _year(request):
    require(can_view_scorecard(request.user))
    return budget_year_chosen(request.user, request.GET.get("tahun"))


@login_required
def scorecard(request):
    budget_year, years = _year(request)
    if budget_year and request.GET.get("perbarui"):
        selectors.kept(request.user, budget_year, refresh=True)
        return redirect(f"{request.path}?{urlencode({'tahun': budget_year.year})}")
    card = selectors.kept(request.user, budget_year) if budget_year else None
    return render(request, "quality/scorecard.html", {
        "card": card, "budget_year": budget_year, "years": years, "can_edit": can_edit_thresholds(request.user),
    })  # fmt: skip


@login_required
def regency_detail(request, code):
    """One regency's scorecard with the records behind each number (scoped: another regency's officer gets 404)."""
    budget_year, years = _year(request)
    regency = get_object_or_404(regencies_visible_to(request.user), pk=code)
    card = selectors.kept(request.user, budget_year) if budget_year else None
    row = next((r for r in card.rows if r.regency.pk == regency.pk), None) if card else None
    measures = (
        [(cell, records(request.user, budget_year, regency, cell.measure.code)) for cell in row.ordered] if row else []
    )
    return render(request, "quality/regency.html", {
        "card": card, "row": row, "regency": regency, "budget_year": budget_year, "years": years, "measures": measures,
    })  # fmt: skip


@login_required
def scorecard_export(request):
    budget_year, _ = _year(request)
    if budget_year is None:
        return redirect("quality:scorecard")
    card = selectors.kept(request.user, budget_year)
    return audited_export(exports.workbook(card), user=request.user, action="scorecard.export", obj=Threshold,
                          filename=f"rapor-kualitas-data-{budget_year.year}",
                          after={"budget_year": budget_year.year})  # fmt: skip


@login_required
def thresholds_edit(request, year):
    require(can_edit_thresholds(request.user))
    budget_year = get_object_or_404(budget_years_visible_to(request.user), year=year)
    thresholds = selectors.thresholds_for(budget_year)
    form = ThresholdsForm(request.POST or None, thresholds=thresholds)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.thresholds_update(budget_year=budget_year, values=form.values(), actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"{changed} ambang diubah; rapor dihitung ulang dengan ambang baru.")
            return redirect(f"{redirect('quality:scorecard').url}?tahun={budget_year.year}")
    return render(request, "quality/thresholds.html", {"form": form, "budget_year": budget_year})


@login_required
def panel(request):
    """Loaded after the page (htmx): on the head's dashboard the three weakest regencies and what pulls each down;
    on a regency officer's home page her own grade and what to fix first."""
    budget_year, _ = _year(request)
    card = selectors.kept(request.user, budget_year) if budget_year else None
    own = card.rows[0] if card and not request.user.is_provincial and card.rows else None
    return render(request, "quality/partials/panel.html", {"card": card, "own": own, "budget_year": budget_year})
