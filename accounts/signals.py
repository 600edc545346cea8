"""accounts sits below audit, so it cannot record its own audit events: its services send `user_changed` inside
their transaction, and the audit app (connected in AuditConfig.ready) records the event in that transaction."""

from django.dispatch import Signal

# kwargs: actor, user, action ("user.create", "user.update", "user.deactivate", …), before, after
user_changed = Signal()
