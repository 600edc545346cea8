from celery import shared_task

from kubeprogram.media import media_orphans, media_orphans_delete


@shared_task(name="kubeprogram.media_orphans")
def remove_media_orphans() -> int:
    """Nightly: files no row points at, older than a day, removed (audited)."""
    return media_orphans_delete(media_orphans())
