"""Complaints opened by what other apps find: a post-distribution verification that found the goods not received,
or incomplete or damaged, opens one (once per BAST), linked to the BAST."""

from django.dispatch import receiver
from django.utils import timezone

from complaints.models import Category, Channel, Complaint, Complexity
from monitoring.models import DISCREPANCIES, Outcome
from monitoring.signals import verification_recorded


@receiver(verification_recorded)
def open_complaint_for_discrepancy(sender, result, actor, **kwargs):
    from complaints.services import complaint_record

    if result.outcome not in DISCREPANCIES:
        return
    handover = result.handover
    if Complaint.objects.filter(handover=handover, channel=Channel.VERIFICATION).exists():
        return
    category = Category.NOT_RECEIVED if result.outcome == Outcome.NOT_RECEIVED else Category.GOODS
    complaint_record(
        data={
            "received_on": timezone.localdate(),
            "channel": Channel.VERIFICATION,
            "anonymous": True,
            "category": category,
            "complexity": Complexity.FIELD_CHECK,
            "description": " ".join(
                part
                for part in (
                    f"Verifikasi pasca-penyaluran {handover.number}: {result.get_outcome_display()}.",
                    f"{result.lines_text()}." if result.lines else "",
                    result.note,
                )
                if part
            ),
            "regency": handover.regency,
            "handover": handover,
        },
        actor=actor,
    )
