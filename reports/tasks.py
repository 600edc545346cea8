"""Background work of the reports (Celery; see reports.dashboard)."""

from celery import shared_task
from django.core.cache import cache

from accounts.models import User
from core.replica import replica_reads
from programs.models import BudgetYear
from reports import dashboard


@shared_task(name="reports.recount_dashboard", ignore_result=True)
def recount_dashboard(user_id: int, budget_year_id: int) -> None:
    """Count a scope's dashboard figures again (asked by a visit that found them older than a minute): read where
    the dashboard reads, kept for every user of the same scope."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    budget_year = BudgetYear.objects.filter(pk=budget_year_id).first()
    if user is None or budget_year is None:
        return
    try:
        with replica_reads():
            dashboard.store(user, budget_year)
    finally:
        cache.delete(dashboard.recount_key(user, budget_year))
