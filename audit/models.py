from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import mask_numbers_in


class AuditEvent(models.Model):
    """One change to one object: who, when, what, and the object's fields before and after.

    Written only by `audit.services.audit_record` / `audit_record_many`, inside the transaction of
    the change it describes. Never updated or deleted.
    """

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("pelaku"),
        db_index=False,  # audit_actor_time_idx leads with it
    )
    action = models.CharField(_("aksi"), max_length=64, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=64)
    object_id = models.CharField(_("ID objek"), max_length=64)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("kabupaten/kota"),
        db_index=False,  # audit_regency_time_idx leads with it
    )
    before = models.JSONField(_("sebelum"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("sesudah"), null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["regency", "-created_at"], name="audit_regency_time_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.object_type}#{self.object_id}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]

    @property
    def changes_for_display(self) -> list[tuple[str, object, object]]:
        """Like `changed_fields`, with the field's Indonesian label instead of its code name."""
        try:
            fields = {
                f.name: f.verbose_name
                for f in apps.get_model(self.object_type)._meta.get_fields()
                if hasattr(f, "verbose_name")
            }
        except (LookupError, ValueError):
            fields = {}
        # NIK and KK are masked here as in every list (UU 27/2022), for every reader of a history or the audit log.
        return [
            (str(fields.get(key, key)), mask_numbers_in(old), mask_numbers_in(new))
            for key, old, new in self.changed_fields
            if key != "id"
        ]
