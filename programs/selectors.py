"""Reads of budget years. A budget year is province-wide: every role that may see it sees all of them."""

from django.db.models import QuerySet

from programs.models import BudgetYear
from programs.permissions import can_view_budget_years


def budget_years_visible_to(user) -> QuerySet[BudgetYear]:
    if not can_view_budget_years(user):
        return BudgetYear.objects.none()
    return BudgetYear.objects.all()


def budget_year_current() -> BudgetYear | None:
    """The open budget year (the latest if several), else the latest one planned or closed."""
    return (
        BudgetYear.objects.filter(status=BudgetYear.Status.OPEN).order_by("-year").first()
        or BudgetYear.objects.order_by("-year").first()
    )


DEFAULT_KUBE_SIZE = (5, 10)


def kube_size_bounds(budget_year: BudgetYear | None = None) -> tuple[int, int]:
    """(minimum, maximum) members of a KUBE group under `budget_year` (default: the current year)."""
    budget_year = budget_year or budget_year_current()
    if budget_year is None:
        return DEFAULT_KUBE_SIZE
    return budget_year.kube_min_members, budget_year.kube_max_members


def ceilings_visible_to(user) -> QuerySet:
    """The one door for ceilings: provincial roles see every regency's, an operator only their own."""
    from programs.models import Ceiling
    from programs.permissions import can_view_ceilings

    if not can_view_ceilings(user):
        return Ceiling.objects.none()
    return Ceiling.objects.filter(user.regency_q("regency"))


def budget_year_chosen(user, value: str | None) -> tuple[BudgetYear | None, QuerySet[BudgetYear]]:
    """The year a page's `tahun` parameter asks for among the user's years (default: the current one), and
    those years for its selector."""
    years = budget_years_visible_to(user)
    value = value or ""
    budget_year = years.filter(year=int(value)).first() if value.isdigit() else budget_year_current()
    return budget_year, years
