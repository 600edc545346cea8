"""Work done on a phone in the field, possibly without a signal, and sent when there is one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ATTENDANCE = "kehadiran", _("Kehadiran Bimtek")
    HANDOVER_PHOTO = "foto_bast", _("Foto serah terima")
    VISIT = "kunjungan", _("Kunjungan monev")


class Result(models.TextChoices):
    APPLIED = "diterapkan", _("Diterapkan")
    REFUSED = "ditolak", _("Ditolak")


class FieldAction(models.Model):
    """One action sent from a phone, under the id the phone gave it: applied once, whatever is resent (the same
    id answers with the stored result). Keeps when it was done there and when it arrived."""

    client_id = models.UUIDField(_("ID tindakan di perangkat"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField(_("ID data"))
    done_at = models.DateTimeField(_("dilakukan di perangkat pada"))
    received_at = models.DateTimeField(_("diterima server pada"), auto_now_add=True)
    result = models.CharField(_("hasil"), max_length=12, choices=Result.choices)
    reason = models.TextField(_("alasan penolakan"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("tindakan lapangan")
        verbose_name_plural = _("tindakan lapangan")
        indexes = [models.Index(fields=["user", "-received_at"], name="fieldaction_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.client_id}"
