"""Recording the field outcome of a re-check: once per person and period (saving again corrects it), with what the
register said beside it, audited in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from rechecks.models import Outcome, Recheck
from rechecks.selectors import current_period

FIELDS = ["outcome", "reason", "checked_on", "desil", "previous_desil", "previous_period"]


def record_outcome(*, user, person, regency, outcome: str, reason: str, checked_on) -> Recheck:
    """`person` comes from rechecks.selectors.flagged (annotated with the register's desil of both periods)."""
    reason = (reason or "").strip()
    if outcome == Outcome.INELIGIBLE and not reason:
        raise ValidationError({"reason": "Tuliskan alasan mengapa penerima tidak layak."})
    period = current_period(regency.code)
    values = {
        "regency": regency,
        "outcome": outcome,
        "reason": reason,
        "checked_on": checked_on,
        "desil": person.desil_now,
        "previous_desil": person.desil_before,
        "previous_period": person.period_before,
        "recorded_by": user,
    }
    with transaction.atomic():
        kept = Recheck.objects.select_for_update().filter(person=person, period=period).first()
        before = {name: str(getattr(kept, name)) for name in FIELDS} if kept else None
        recheck, _ = Recheck.objects.update_or_create(person=person, period=period, defaults=values)
        audit_record(actor=user, action="recheck.record", obj=recheck, before=before,
                     after={**{name: str(getattr(recheck, name)) for name in FIELDS}, "person": person.pk,
                            "period": str(period)})  # fmt: skip
    return recheck
