"""Scheduled work of the complaints app (Celery beat, see CELERY_BEAT_SCHEDULE in the settings)."""

import io

from celery import shared_task
from django.core.management import call_command


@shared_task(name="complaints.notify_overdue")
def notify_overdue() -> str:
    """Every morning: tell the officers about complaints past their deadline (once per complaint)."""
    out = io.StringIO()
    call_command("notify_overdue", stdout=out)
    return out.getvalue().strip()
