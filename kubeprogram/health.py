"""What /healthz reports beside the database: the parts the site goes on without, each "ok" or what is wrong."""

import logging
import os
import shutil

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage

from core.cache import cache_available

logger = logging.getLogger(__name__)
MEDIA_FREE_MIN = 200 * 1024 * 1024  # below this, uploads and job files may fail: said before they do


def health_parts() -> dict[str, str]:
    return {"cache": _cache(), "broker": _broker(), "media": _media()}


def _cache() -> str:
    return "ok" if cache_available() else "unavailable (Redis): pages work without it, slower"


def _broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return "ok"  # none configured: jobs run inline
    if not url.startswith(("redis://", "rediss://")):
        return "ok"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return "unavailable: background jobs cannot start (small ones run inline)"
    return "ok"


def _media() -> str:
    if not isinstance(default_storage, FileSystemStorage):
        return "ok"  # object storage: its own service reports
    root = str(settings.MEDIA_ROOT)
    try:
        os.makedirs(root, exist_ok=True)
        if not os.access(root, os.W_OK):
            return f"not writable ({root}): uploads are refused"
        free = shutil.disk_usage(root).free
    except OSError as error:
        return f"unavailable ({error})"
    if free < MEDIA_FREE_MIN:
        return f"almost full ({free // (1024 * 1024)} MB free in {root}): uploads may be refused"
    return "ok"
