"""Audit events for the apps below audit, which send signals instead of importing it (accounts.signals)."""

from audit.services import audit_record


def record_user_change(sender, *, actor, user, action, before, after, **kwargs):
    """A change to a user account, in the transaction of the change (the service is atomic)."""
    audit_record(actor=actor, action=action, obj=user, before=before, after=after)
