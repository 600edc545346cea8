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
