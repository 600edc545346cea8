import functools

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.labels import action_label
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
        db_constraint=False,  # by id, as the changed object is (docs/decisions/0011-foreign-keys-of-copies.md)
    )
    # One index, for the audit page's "begins with" filter (audit.filters), which also serves equality: Django's
    # plain twin of it cost every event written a second entry and served nothing this one does not.
    action = models.CharField(_("aksi"), max_length=64)
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
        db_constraint=False,
    )
    before = models.JSONField(_("sebelum"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("sesudah"), null=True, blank=True, encoder=DjangoJSONEncoder)
    # Work done on a phone without a signal and sent later: when it was done there (created_at: when it arrived).
    done_at = models.DateTimeField(_("dilakukan di perangkat pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["regency", "-created_at"], name="audit_regency_time_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time_idx"),
            models.Index(fields=["action"], name="audit_action_idx", opclasses=["varchar_pattern_ops"]),
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
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def object_kind(self) -> str:
        """What kind of record it is, in Indonesian ("penduduk", "berita acara serah terima")."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return ""

    @property
    def changes_for_display(self) -> list[tuple[str, object, object]]:
        """Like `changed_fields`, as a person reads them: the field's Indonesian label, a choice's label, Ya/Tidak,
        a region's name, lists as text; NIK and KK masked as in every list (UU 27/2022)."""
        try:
            fields = {
                f.name: f for f in apps.get_model(self.object_type)._meta.get_fields() if hasattr(f, "verbose_name")
            }
        except (LookupError, ValueError):
            fields = {}
        return [
            (str(fields[key].verbose_name) if key in fields else key.replace("_", " "),
             _readable(fields.get(key), old), _readable(fields.get(key), new))
            for key, old, new in self.changed_fields
            if key != "id"
        ]  # fmt: skip


def _readable(field, value):
    value = mask_numbers_in(value)
    if value is None or value == "":
        return None if value is None else "—"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    choices = dict(field.flatchoices) if field is not None and getattr(field, "flatchoices", None) else {}
    if choices and not isinstance(value, list | dict):
        return str(choices.get(value, value))
    if field is not None and field.is_relation and field.related_model is not None:
        return _related_name(field.related_model, value)
    if isinstance(value, list):
        return "; ".join(str(_readable(None, v)) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_readable(None, v)}" for k, v in value.items()) or "—"
    return value


@functools.lru_cache(maxsize=4096)
def _reference_name(label: str, pk: str) -> str:
    model = apps.get_model(label)
    found = model._default_manager.filter(pk=pk).first()
    return str(found) if found is not None else f"(dihapus) {pk}"


def _related_name(model, pk) -> str:
    """A region's name (reference data: cached, so a long history costs no query per row); other records by kind."""
    if model._meta.app_label == "regions":
        return _reference_name(model._meta.label, str(pk))
    return f"{model._meta.verbose_name} no. {pk}"
