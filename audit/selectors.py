"""Reads of the audit log, through `events_visible_to` (the one door for audit events)."""

from django.db.models import QuerySet

from audit.models import AuditEvent
from audit.permissions import can_view_audit_log


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Every event for roles that may read the audit log, scoped by regency like everything else."""
    if not can_view_audit_log(user):
        return AuditEvent.objects.none()
    # An event without a regency (a budget year, a user) is provincial: only provincial roles see it.
    return AuditEvent.objects.filter(user.regency_q("regency"))


def event_list(*, user) -> QuerySet[AuditEvent]:
    """Visible events, newest first, with actor and regency joined (no query per row)."""
    return events_visible_to(user).select_related("actor", "regency").order_by("-created_at", "-id")


def events_for_object(*, user, obj) -> QuerySet[AuditEvent]:
    """The audit trail of one object, newest first."""
    return event_list(user=user).filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def object_history(*, obj, limit: int = 50) -> list[AuditEvent]:
    """The latest changes of one object, for its own detail page. The caller has already checked that
    the user may see `obj` (through its visible_to door), so this is not limited to audit-log readers."""
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor", "regency")
        .order_by("-created_at", "-id")[:limit]
    )
