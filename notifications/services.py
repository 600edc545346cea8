"""Recording notifications and sending their e-mail. Sending never blocks or breaks the action behind it: the
mail goes after the commit, and a failure is logged, not raised."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification

logger = logging.getLogger(__name__)


def notify(users, *, text: str, url: str = "", key: str) -> list[Notification]:
    """One notification per user (none twice for the same key), and an e-mail to those with an address."""
    users = [u for u in users if u.is_active]
    created = Notification.objects.bulk_create(
        [Notification(user=u, text=text[:300], url=url, key=key[:100]) for u in users], ignore_conflicts=True
    )
    addresses = [u.email for u in users if u.email]
    if addresses and getattr(settings, "NOTIFICATION_EMAILS", True):
        transaction.on_commit(lambda: _mail(addresses, text, url))
    return created


def _mail(addresses, text, url):
    try:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url and getattr(settings, "SITE_URL", "") else ""
        send_mail(f"[kubeprogram] {text[:120]}", f"{text}{link}", None, addresses, fail_silently=False)
    except Exception:  # noqa: BLE001 — a mail server down must not break the work that caused the notice
        logger.exception("notification e-mail not sent")


def mark_read(*, user, ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
