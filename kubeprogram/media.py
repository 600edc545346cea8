"""Files in the media storage that no row points at (a process killed between writing a file and committing its
row, files of deleted rows): found by walking the storage against every FileField of every model, and — only
once older than a day, so nothing in the middle of being saved is touched — removed, with an audit event."""

import datetime

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record

MIN_AGE = datetime.timedelta(days=1)


def referenced() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return names


def _walk(storage, folder: str = ""):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


def media_orphans(*, storage=None, now=None) -> list[str]:
    """The stored files no row points at, older than MIN_AGE, sorted."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - MIN_AGE
    known = referenced()
    try:
        stored = list(_walk(storage))
    except FileNotFoundError:
        return []
    return sorted(name for name in stored if name not in known and storage.get_modified_time(name) < cutoff)


@transaction.atomic
def media_orphans_delete(names: list[str], *, actor=None, storage=None) -> int:
    storage = storage or default_storage
    for name in names:
        storage.delete(name)
    if names:
        audit_record(actor=actor, action="media.orphans_delete", obj=AuditEvent,
                     after={"count": len(names), "files": names[:200]})  # fmt: skip
    return len(names)
