"""Writing audit events. Every service that changes data calls one of these inside its transaction.

@transaction.atomic
def budget_year_update(*, budget_year, data, actor):
    before = snapshot(budget_year)
    ...  # change and save
    audit_record(actor=actor, action="budget_year.update", obj=budget_year,
                 before=before, after=snapshot(budget_year))
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict

from audit.models import AuditEvent


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The object's concrete field values as JSON-ready data (FKs as ids, Decimal and dates as text)."""
    data = model_to_dict(obj, fields=fields)
    for field in obj._meta.concrete_fields:
        if field.name not in data:
            continue
        if isinstance(field, models.ForeignKey):
            data[field.name] = getattr(obj, field.attname)
        elif isinstance(field, models.FileField):
            data[field.name] = getattr(obj, field.name).name or ""
    # Round-trip through the encoder so what is stored equals what a later comparison reads back.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _regency_id_of(obj: models.Model) -> str | None:
    return None if isinstance(obj, type) else getattr(obj, "regency_id", None)


def _event(*, actor, action, obj, regency_id, before, after) -> AuditEvent:
    # `obj` may be a model class for an action on many rows at once (an export, a search).
    whole_model = isinstance(obj, type)
    return AuditEvent(
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


def audit_record_many(
    *,
    actor,
    action: str,
    objects: Iterable[models.Model],
    before: Callable[[models.Model], dict | None] | None = None,
    after: Callable[[models.Model], dict | None] | None = snapshot,
    regency_id: Callable[[models.Model], str | None] = _regency_id_of,
    batch_size: int = 2000,
) -> list[AuditEvent]:
    """Write one audit event per changed object in one INSERT per `batch_size` rows (bulk paths)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the transaction of the change it records")
    events = [
        _event(
            actor=actor,
            action=action,
            obj=obj,
            regency_id=regency_id(obj),
            before=before(obj) if before else None,
            after=after(obj) if after else None,
        )
        for obj in objects
    ]
    return AuditEvent.objects.bulk_create(events, batch_size=batch_size)
