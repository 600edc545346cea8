"""Which recorded events need someone: read from the audit trail, so no app has to know about notifications.

- a proposal submitted → the provincial verifiers;
- a proposal returned to the regency or its verification finished → the regency's operators;
- a complaint recorded → the regency's operators and the provincial verifiers (a sensitive one: the Admin Provinsi
  only);
- a graduation assessment submitted → the verifiers; returned or approved → the regency's operators.
Overdue complaints are notified by `manage.py notify_overdue` (daily)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent

RECIPIENTS = {
    "proposal.submitted": "verifiers",
    "proposal.draft": "operators",
    "proposal.finalised": "operators",
    "complaint.create": "operators",
    "assessment.submit": "verifiers",
    "assessment.return": "operators",
    "assessment.approve": "operators",
}
ASSESSMENT_TEXT = {
    "assessment.submit": "diajukan, menunggu persetujuan",
    "assessment.return": "dikembalikan untuk diperbaiki",
    "assessment.approve": "disetujui",
}


def _users(role: Role, regency_id=None):
    users = User.objects.filter(groups__name=role.label, is_active=True)
    return users.filter(regency_id=regency_id) if regency_id else users


@receiver(post_save, sender=AuditEvent)
def notify_on_event(sender, instance: AuditEvent, created, **kwargs):
    if not created or instance.action not in RECIPIENTS:
        return
    from django.apps import apps

    from notifications.services import notify

    model = apps.get_model(instance.object_type) if "." in instance.object_type else None
    obj = model.objects.filter(pk=instance.object_id).first() if model else None
    if obj is None:
        return
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    if instance.action.startswith("complaint."):
        if obj.sensitive:
            users = _users(Role.ADMIN_PROVINSI)
        else:
            users = (_users(Role.OPERATOR, obj.regency_id) | _users(Role.VERIFIKATOR)).distinct()
        text = f"Pengaduan baru {obj.number}: {obj.get_category_display()} ({obj.regency})"
    elif instance.action.startswith("assessment."):
        users = (
            _users(Role.VERIFIKATOR)
            if RECIPIENTS[instance.action] == "verifiers"
            else _users(Role.OPERATOR, obj.regency_id)
        )
        text = f"{obj} {ASSESSMENT_TEXT[instance.action]}"
    elif RECIPIENTS[instance.action] == "verifiers":
        users, text = _users(Role.VERIFIKATOR), f"Usulan {obj.program} {obj.regency} {obj.budget_year.year} diajukan"
    else:
        users = _users(Role.OPERATOR, obj.regency_id)
        what = "dikembalikan untuk diperbaiki" if instance.action == "proposal.draft" else "selesai diverifikasi"
        text = f"Usulan {obj.program} {obj.regency} {obj.budget_year.year} {what}"
    notify(users.exclude(pk=instance.actor_id) if instance.actor_id else users, text=text, url=url,
           key=f"{instance.action}:{instance.object_id}:{instance.pk}")  # fmt: skip
