"""Scheduled work of the registry (Celery beat, see CELERY_BEAT_SCHEDULE in the settings)."""

from celery import shared_task

from beneficiaries import duplicates


@shared_task(name="beneficiaries.scan_duplicates")
def scan_duplicates() -> int:
    """Every night: the possible-duplicates groups found again over the whole registry."""
    return duplicates.scan().groups
