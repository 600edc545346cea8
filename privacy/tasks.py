"""Scheduled work of the privacy app (Celery beat, see CELERY_BEAT_SCHEDULE in the settings)."""

from celery import shared_task

from privacy import retention, selectors


@shared_task(name="privacy.propose_destruction")
def propose_destruction() -> str:
    """On the first of the month: a berita acara of what has passed its retention period, for approval."""
    report = retention.propose()
    return f"{report}: {report.counts}" if report else "nothing due"


@shared_task(name="privacy.notify_overdue_requests")
def notify_overdue_requests() -> str:
    """Every hour: tell the Petugas Pelindungan Data (and the officer of the person's regency) about each request past
    its 3×24 hours — once per request, as for complaints."""
    sent = selectors.notify_overdue()
    return f"{sent} pemberitahuan permintaan subjek data terlambat"
