"""Scheduled work of the privacy app (Celery beat, see CELERY_BEAT_SCHEDULE in the settings)."""

from celery import shared_task

from privacy import retention


@shared_task(name="privacy.propose_destruction")
def propose_destruction() -> str:
    """On the first of the month: a berita acara of what has passed its retention period, for approval."""
    report = retention.propose()
    return f"{report}: {report.counts}" if report else "nothing due"
