from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from audit.permissions import can_view_audit_log
from audit.selectors import events_for_object
from core.forms import add_service_errors
from programs import selectors, services
from programs.forms import BudgetYearForm
from programs.permissions import can_manage_budget_years, can_view_budget_years


@login_required
def budgetyear_list(request):
    if not can_view_budget_years(request.user):
        raise PermissionDenied
    return render(
        request,
        "programs/budgetyear_list.html",
        {
            "budget_years": selectors.budget_years_visible_to(request.user),
            "can_manage": can_manage_budget_years(request.user),
        },
    )


@login_required
def budgetyear_detail(request, year):
    if not can_view_budget_years(request.user):
        raise PermissionDenied
    budget_year = get_object_or_404(selectors.budget_years_visible_to(request.user), year=year)
    history = events_for_object(user=request.user, obj=budget_year)[:20] if can_view_audit_log(request.user) else []
    return render(
        request,
        "programs/budgetyear_detail.html",
        {
            "budget_year": budget_year,
            "history": history,
            "can_manage": can_manage_budget_years(request.user),
        },
    )


def _save(form, save):
    """Run the service; its ValidationError lands on the form (None is returned then)."""
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
def budgetyear_create(request):
    if not can_manage_budget_years(request.user):
        raise PermissionDenied
    form = BudgetYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        budget_year = _save(form, lambda data: services.budget_year_create(data=data, actor=request.user))
        if budget_year:
            messages.success(request, f"{budget_year} disimpan.")
            return redirect(budget_year)
    return render(request, "programs/budgetyear_form.html", {"form": form, "budget_year": None})


@login_required
def budgetyear_update(request, year):
    if not can_manage_budget_years(request.user):
        raise PermissionDenied
    budget_year = get_object_or_404(selectors.budget_years_visible_to(request.user), year=year)
    form = BudgetYearForm(request.POST or None, instance=budget_year)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda data: services.budget_year_update(budget_year=budget_year, data=data, actor=request.user),
        )
        if saved:
            messages.success(request, f"Perubahan {saved} disimpan.")
            return redirect(saved)
    return render(request, "programs/budgetyear_form.html", {"form": form, "budget_year": budget_year})
