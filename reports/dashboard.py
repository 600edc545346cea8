"""The dashboard's figures: every one aggregated in SQL (`count`), kept per budget year and scope for
DASHBOARD_CACHE_SECONDS (`figures`). When a worker runs (a broker is configured) a copy older than that is still
shown — the page says as of when — while one background task counts it again, so no visit waits for the count
(0.14 s at 100,000 recipients); without a worker the visit counts it, as "Perbarui" always does — once
at a time per scope, then back to the plain address, so a reload or a bookmark does not count again."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from complaints.selectors import figures as complaint_figures
from core import formatting
from dtsen.models import Snapshot
from jobs.services import broker_configured
from monitoring.selectors import outcomes as monitoring_outcomes
from programs.models import Program
from rechecks.models import Recheck
from rechecks.selectors import checked_share
from regions.selectors import regencies_visible_to
from reports import selectors

logger = logging.getLogger(__name__)
# How long a copy may still be shown while its recount runs (or after a worker failed to recount it), and how long
# one recount may take before another visit may ask again.
KEEP_SECONDS = 3600
RECOUNT_SECONDS = 300
COUNTING_SECONDS = 60  # how long a count in a visit may hold back another visit's "Perbarui"


def count(user, budget_year) -> dict:
    """Every figure of the dashboard (aggregated in SQL), as plain values that may be cached."""
    # The year's BASTs counted once, by day, for both the money and funnel and the schedule of visits.
    days = selectors.handovers_by_day(user=user, budget_year=budget_year)
    recap = selectors.recap(user=user, budget_year=budget_year, days=days)
    per_regency = recap.per_regency()
    present, invited, rate = selectors.attendance_rate(user=user, budget_year=budget_year)
    months = recap.by_month()
    return dict(
        recap=recap,
        total=recap.total(),
        per_program=[recap.total(p) for p in Program.values],
        per_regency=per_regency,
        not_started=recap.not_started(),
        idle_regencies=[line.regency for line in per_regency if line.is_idle],
        attendance={"present": present, "invited": invited, "rate": rate},
        outcomes=monitoring_outcomes(user=user, budget_year=budget_year, days=days),
        complaints=complaint_figures(user=user, year=budget_year.year),
        months=months,
        chart={
            "labels": [line.regency.name for line in per_regency],
            "amount": [int(line.amount) for line in per_regency],
            "committed": [int(line.committed) for line in per_regency],
            "realised": [int(line.realised) for line in per_regency],
            "committed_percent": [line.committed_percent for line in per_regency],
            "realised_percent": [line.absorption for line in per_regency],
            "months": [formatting.month_year(m["month"]) for m in months],
            "month_values": [int(m["value"]) for m in months],
            "month_percent": [m["percent"] for m in months],
            "stages": selectors.STAGE_LABELS,
            "funnel": [recap.total().counts[stage] for stage in selectors.STAGES],
        },
        as_of=timezone.now(),
    )


SHARE_SECONDS = 3600


def register_share(user, budget_year) -> dict:
    """The share of each of the user's regencies' recipients checked against DTSEN's current period (a pass over the
    year's recipients against the register: 0.3 s at 100,000 and a million, so loaded after the page and kept for
    SHARE_SECONDS per scope and state of the register — a new snapshot or a recorded re-check counts it again)."""
    regencies = list(regencies_visible_to(user).order_by("code"))
    state = "-".join(
        str(pk) for pk in Snapshot.objects.filter(status="ready").order_by("pk").values_list("pk", flat=True)
    )
    rechecked = Recheck.objects.aggregate(last=Max("pk"), n=Count("pk"))
    key = f"dashboard:dtsen:v1:{budget_year.pk}:{user.scope_key}:{state}:{rechecked['last']}:{rechecked['n']}"
    kept = cache.get(key) if settings.DASHBOARD_CACHE_SECONDS else None
    if kept is not None:
        return kept
    share = checked_share(budget_year=budget_year, regency_codes=[regency.code for regency in regencies])
    if share:
        rows = [(regency, share["regencies"].get(regency.code)) for regency in regencies]
        recipients = sum(row["recipients"] for _, row in rows if row)
        checked = sum(row["checked"] for _, row in rows if row)
        percent = round(100 * checked / recipients, 1) if recipients else None
        share = {"label": share["label"], "rows": rows, "recipients": recipients, "checked": checked,
                 "percent": percent, "as_of": timezone.now()}  # fmt: skip
    if settings.DASHBOARD_CACHE_SECONDS:
        cache.set(key, share, SHARE_SECONDS)
    return share


def cache_key(user, budget_year) -> str:
    """One cached copy per budget year and per what a user may see: the role (complaint figures differ by role:
    sensitive ones) and the regency (an operator sees theirs only). Never shared across scopes."""
    return f"dashboard:v1:{budget_year.pk}:{user.scope_key}"


def recount_key(user, budget_year) -> str:
    """Held while one recount of the scope's figures is queued or running."""
    return f"{cache_key(user, budget_year)}:recounting"


def store(user, budget_year) -> dict:
    """Count the figures now and keep them for the scope."""
    counted = count(user, budget_year)
    cache.set(cache_key(user, budget_year), counted, max(KEEP_SECONDS, settings.DASHBOARD_CACHE_SECONDS))
    return counted


def counting_key(user, budget_year) -> str:
    """Held while a visit counts the scope's figures ("Perbarui")."""
    return f"{cache_key(user, budget_year)}:counting"


def recount(user, budget_year) -> bool:
    """Count the scope's figures now and keep them ("Perbarui") — unless another visit is counting them right now (a
    double click, a colleague of the same scope): its copy is what the next visit shows. Whether it counted. A
    recount asked of the worker does not hold it back: the worker may be slow, or away."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return True  # nothing kept: every visit counts
    counting = counting_key(user, budget_year)
    if not cache.add(counting, 1, COUNTING_SECONDS):
        return False
    try:
        store(user, budget_year)
    finally:
        cache.delete(counting)
    return True


def figures(user, budget_year) -> dict:
    """The figures a visit shows: the kept copy (counted now when there is none, or when caching is off) — asking
    the worker for a new count once it is older than DASHBOARD_CACHE_SECONDS (counted in the visit without one)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return count(user, budget_year)
    key = cache_key(user, budget_year)
    kept = cache.get(key)
    if kept is None:
        return store(user, budget_year)
    if (timezone.now() - kept["as_of"]).total_seconds() <= seconds:
        return kept
    if not broker_configured():
        return store(user, budget_year)
    if cache.add(recount_key(user, budget_year), 1, RECOUNT_SECONDS):  # one recount per scope at a time
        try:
            ask_recount(user.pk, budget_year.pk)
        except Exception:  # noqa: BLE001 — the broker is away: count in the visit, as without a worker
            logger.exception("dashboard recount could not be queued")
            cache.delete(recount_key(user, budget_year))
            return store(user, budget_year)
    return kept


def ask_recount(user_id: int, budget_year_id: int) -> None:
    """Ask the worker to count a scope again (reports.tasks.recount_dashboard), by the task's name: the task module
    imports this one, never the other way round. No retry: a dead broker is answered by counting in the visit."""
    from celery import current_app

    current_app.send_task("reports.recount_dashboard", args=[user_id, budget_year_id], retry=False)
