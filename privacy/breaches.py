"""The breach register (Art. 46): recording a suspected breach, the whole-NIK exposures of its period from the audit
log (who saw or took whole numbers, how many), and the notices due within 3×24 hours."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from audit.labels import action_label
from audit.models import AuditEvent
from audit.services import audit_record
from privacy.models import Breach

FIELDS = ["title", "found_at", "exposed_from", "description", "data_exposed", "people_count", "cause", "measures"]


def breach_record(*, data: dict, actor) -> Breach:
    with transaction.atomic():
        breach = Breach.objects.create(recorded_by=actor, **{name: data[name] for name in FIELDS})
        audit_record(actor=actor, action="breach.create", obj=breach,
                     after={"title": breach.title, "found_at": breach.found_at.isoformat(),
                            "people_count": breach.people_count})  # fmt: skip
    return breach


def breach_people_add(*, breach: Breach, people: list, actor) -> int:
    """Name the people known to be affected (one notice letter each); the count grows to at least them. Audited."""
    with transaction.atomic():
        locked = Breach.objects.select_for_update().get(pk=breach.pk)
        known = set(locked.people.values_list("pk", flat=True))
        new = [person for person in people if person.pk not in known]
        locked.people.add(*new)
        total = len(known) + len(new)
        if locked.people_count < total:
            locked.people_count = total
            locked.save(update_fields=["people_count"])
        audit_record(actor=actor, action="breach.people", obj=locked,
                     after={"people": [person.pk for person in new], "people_count": locked.people_count})  # fmt: skip
    return len(new)


def breach_notified(*, breach: Breach, whom: str, actor) -> Breach:
    """Mark the notice to the people affected ("subjek") or to the supervisory body ("lembaga") as sent now."""
    field = {"subjek": "people_notified_at", "lembaga": "authority_notified_at"}[whom]
    with transaction.atomic():
        locked = Breach.objects.select_for_update().get(pk=breach.pk)
        setattr(locked, field, timezone.now())
        locked.save(update_fields=[field])
        late = getattr(locked, field) > locked.notify_by
        audit_record(actor=actor, action="breach.notify", obj=locked, after={"whom": whom, "late": late})
    return locked


def exposures(breach: Breach) -> list[dict]:
    """Who saw or took whole NIKs between `exposed_from` and `found_at`: per user and action, how many events and
    rows — where to look for who was exposed (one grouped query)."""
    whole = Q(after__full_nik=True) | Q(action="person.view_nik")
    rows = list(
        AuditEvent.objects.filter(whole, created_at__gte=breach.exposed_from, created_at__lte=breach.found_at)
        .values("actor__username", "action")
        .annotate(events=Count("pk"))
        .order_by("-events", "actor__username", "action")
    )
    return [{**row, "label": action_label(row["action"])} for row in rows]
