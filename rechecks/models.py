"""The quarterly re-check: when a new DTSEN period lands, a recipient of a year still open whose desil rose above the
ceiling, or who left the register, is put in question. Nothing is removed automatically: the regency checks in the
field and records its outcome here, once per person and period (a correction changes it, audited)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dtsen.models import period_label


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Tetap layak")
    INELIGIBLE = "ineligible", _("Tidak layak")


class Recheck(models.Model):
    """The field outcome for one recipient against one period of the register, with what the register said."""

    person = models.ForeignKey(
        "beneficiaries.Person", on_delete=models.PROTECT, related_name="rechecks", verbose_name=_("penerima")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    period = models.DateField(_("periode DTSEN"))
    desil = models.PositiveSmallIntegerField(_("desil periode ini"), null=True, blank=True)
    previous_desil = models.PositiveSmallIntegerField(_("desil sebelumnya"), null=True, blank=True)
    previous_period = models.DateField(_("periode sebelumnya"), null=True, blank=True)
    outcome = models.CharField(_("hasil verifikasi lapangan"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("alasan / catatan"), blank=True)
    checked_on = models.DateField(_("tanggal verifikasi"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now=True)

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("verifikasi lapangan DTSEN")
        verbose_name_plural = _("verifikasi lapangan DTSEN")
        permissions = [("record_recheck", "Mencatat hasil verifikasi lapangan DTSEN")]
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="recheck_once_per_period"),
            models.CheckConstraint(
                condition=~Q(outcome="ineligible") | ~Q(reason=""), name="recheck_ineligible_reason"
            ),
        ]
        indexes = [models.Index(fields=["regency", "period"], name="recheck_regency_period_idx")]

    def __str__(self):
        return f"{self.person} — {self.get_outcome_display()} ({self.period_label})"

    @property
    def period_label(self) -> str:
        return f"DTSEN {period_label(self.period)}"

    @property
    def previous_label(self) -> str:
        return f"DTSEN {period_label(self.previous_period)}" if self.previous_period else ""
