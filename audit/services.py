"""Writing audit events. Every service that changes data calls one of these inside its transaction.

@transaction.atomic
def budget_year_update(*, budget_year, data, actor):
    before = snapshot(budget_year)
    ...  # change and save
    audit_record(actor=actor, action="budget_year.update", obj=budget_year,
                 before=before, after=snapshot(budget_year))
"""

import contextlib
import contextvars
import datetime
import decimal
import functools
import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from audit.models import AuditEvent
from core.bulk import bulk_insert_rows


@functools.cache
def _snapshot_fields(model) -> tuple:
    # What model_to_dict would give: the editable concrete fields (no auto timestamps, no hidden keys).
    return tuple(
        (f.name, f.attname, isinstance(f, models.FileField)) for f in model._meta.concrete_fields if f.editable
    )


def _plain(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime.datetime):
        return DjangoJSONEncoder().default(value)
    if isinstance(value, datetime.date | datetime.time | decimal.Decimal | uuid.UUID):
        return DjangoJSONEncoder().default(value) if not isinstance(value, decimal.Decimal) else str(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The object's editable field values as JSON-ready data: FKs as ids, files as names, Decimal and
    dates as text (what DjangoJSONEncoder writes), so a stored snapshot equals a fresh one."""
    wanted = set(fields) if fields is not None else None
    data = {}
    for name, attname, is_file in _snapshot_fields(type(obj)):
        if wanted is not None and name not in wanted:
            continue
        value = getattr(obj, attname)
        data[name] = (value.name or "") if is_file else _plain(value)
    return data


def _regency_id_of(obj: models.Model) -> str | None:
    return None if isinstance(obj, type) else getattr(obj, "regency_id", None)


_done_at: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar("audit_done_at", default=None)


@contextlib.contextmanager
def done_on_device(at: datetime.datetime | None):
    """The events written inside record that the work was done at `at` on a phone (sent later, when it had a
    signal); their created_at stays the time they reached the server."""
    token = _done_at.set(at)
    try:
        yield
    finally:
        _done_at.reset(token)


def _event(*, actor, action, obj, regency_id, before, after) -> AuditEvent:
    # `obj` may be a model class for an action on many rows at once (an export, a search).
    whole_model = isinstance(obj, type)
    return AuditEvent(
        done_at=_done_at.get(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id="" if whole_model else str(obj.pk),
        object_repr=str(obj._meta.verbose_name_plural if whole_model else obj)[:200],
        regency_id=regency_id,
        before=before,
        after=after,
    )


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | type[models.Model],
    before: dict | None = None,
    after: dict | None = None,
    regency_id: str | None = None,
) -> AuditEvent:
    """Write one audit event for `obj` (or for a model class, for an action on many rows such as an
    export); must be called inside the transaction of the change.

    `regency_id` defaults to the object's own `regency_id`, so regency-scoped audit views find it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    event = _event(
        actor=actor,
        action=action,
        obj=obj,
        regency_id=regency_id if regency_id is not None else _regency_id_of(obj),
        before=before,
        after=after,
    )
    event.save()
    return event


EVENT_COLUMNS = [
    "created_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "regency",
    "before",
    "after",
]


def audit_record_many(
    *,
    actor,
    action: str,
    objects: Iterable[models.Model],
    before: Callable[[models.Model], dict | None] | None = None,
    after: Callable[[models.Model], dict | None] | None = snapshot,
    regency_id: Callable[[models.Model], str | None] = _regency_id_of,
) -> int:
    """Write one audit event per changed object at once (COPY on PostgreSQL; bulk paths). The rows are
    built as plain values, not model instances: an import of 10,000 rows writes 20,000 events.
    Returns how many were written."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the transaction of the change it records")
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    rows = [
        (
            now,
            actor_id,
            action,
            obj._meta.label_lower,
            str(obj.pk),
            str(obj)[:200],
            regency_id(obj),
            before(obj) if before else None,
            after(obj) if after else None,
        )
        for obj in objects
    ]
    return bulk_insert_rows(AuditEvent, EVENT_COLUMNS, rows)


def audit_record_rows(*, actor, action: str, model: type[models.Model], rows: Iterable[tuple]) -> int:
    """The bulk variant for paths that hold plain values rather than model instances: `rows` are
    (object id, text, regency id, before, after), one event each, written at once."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_rows must run inside the transaction of the change it records")
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    label = model._meta.label_lower
    events = [
        (now, actor_id, action, label, str(object_id), str(text)[:200], regency_id, before, after)
        for object_id, text, regency_id, before, after in rows
    ]
    return bulk_insert_rows(AuditEvent, EVENT_COLUMNS, events)
