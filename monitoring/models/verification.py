"""Post-distribution verification (verifikasi pasca-penyaluran): the samples drawn (and supplementary draws) and
what the verifier found of each sampled recipient, counted by unit."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SampleMethod(models.TextChoices):
    ALL = "semua", _("Semua penerima")
    RANDOM = "acak", _("Sampel acak (rumus Cochran)")


class VerificationSample(models.Model):
    """The recipients of a regency and year drawn for post-distribution verification: all of them, or a random
    sample whose size follows Cochran's formula with finite-population correction. The draw is seeded and its
    result stored, so it can be reproduced and audited. A supplementary draw (`draw` 2, 3, …) takes the BASTs made
    after the earlier draws, as a population of its own, stored and reproducible on its own."""

    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("tahun anggaran")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    draw = models.PositiveSmallIntegerField(_("penarikan ke"), default=1)
    method = models.CharField(_("cara"), max_length=5, choices=SampleMethod.choices)
    confidence = models.PositiveSmallIntegerField(_("tingkat kepercayaan (%)"), null=True, blank=True)
    margin = models.PositiveSmallIntegerField(_("batas kesalahan (%)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("jumlah penerima (N)"))
    size = models.PositiveIntegerField(_("besar sampel (n)"))
    seed = models.BigIntegerField(_("benih acak"))
    population_ids = models.JSONField(default=list)  # the BASTs drawn from, in id order: the draw can be redone
    created_at = models.DateTimeField(_("ditarik pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sampel verifikasi pasca-penyaluran")
        verbose_name_plural = _("sampel verifikasi pasca-penyaluran")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "regency", "draw"], name="sample_once_per_draw"),
            models.CheckConstraint(condition=Q(size__lte=F("population")), name="sample_within_population"),
            models.CheckConstraint(condition=Q(draw__gte=1), name="sample_draw_positive"),
        ]

    def __str__(self):
        extra = f" (tambahan ke-{self.draw - 1})" if self.is_supplementary else ""
        return f"Verifikasi pasca-penyaluran {self.regency} {self.budget_year.year}{extra}"

    def get_absolute_url(self):
        return reverse("monitoring:sample_detail", kwargs={"pk": self.pk})

    @property
    def is_supplementary(self) -> bool:
        return self.draw > 1


class Outcome(models.TextChoices):
    RECEIVED = "sesuai", _("Diterima sesuai BAST")
    INCOMPLETE = "tidak_lengkap", _("Diterima tidak lengkap atau rusak")
    NOT_RECEIVED = "tidak_diterima", _("Tidak diterima")
    NOT_FOUND = "tidak_ditemui", _("Tidak dapat ditemui")


DISCREPANCIES = (Outcome.INCOMPLETE, Outcome.NOT_RECEIVED)


class UnitFinding(models.TextChoices):
    """What the verifier found of each unit of a goods line handed over."""

    GOOD = "baik", _("Ada dan baik")
    DAMAGED = "rusak", _("Rusak")
    MISSING = "tidak_ada", _("Tidak ada")


class VerificationResult(models.Model):
    """One sampled recipient (by their BAST) and what the verifier found: blank until checked."""

    sample = models.ForeignKey(VerificationSample, on_delete=models.CASCADE, related_name="results")
    handover = models.ForeignKey(
        "disbursements.Handover", on_delete=models.PROTECT, related_name="verifications", verbose_name=_("BAST")
    )
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("urutan"))
    outcome = models.CharField(_("hasil"), max_length=15, choices=Outcome.choices, blank=True)
    lines = models.JSONField(_("hasil per barang"), default=dict, blank=True)  # {line id: {UnitFinding: units}}
    note = models.TextField(_("catatan"), blank=True)
    photo = models.FileField(_("foto"), upload_to="verifikasi/foto/", blank=True)
    checked_on = models.DateField(_("tanggal pemeriksaan"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sample", "position"]
        verbose_name = _("hasil verifikasi pasca-penyaluran")
        verbose_name_plural = _("hasil verifikasi pasca-penyaluran")
        constraints = [models.UniqueConstraint(fields=["sample", "handover"], name="result_once_per_sample")]
        indexes = [models.Index(fields=["regency", "outcome"], name="verification_outcome_idx")]

    def __str__(self):
        return f"{self.handover}: {self.get_outcome_display() or 'belum diperiksa'}"

    @property
    def is_discrepancy(self) -> bool:
        return self.outcome in DISCREPANCIES

    def lines_text(self) -> str:
        """What was found of each goods line, "Oven Gas: ada dan baik 2, rusak 1; …" (empty when all complete)."""
        from monitoring.units import describe

        return "; ".join(
            f"{line.goods.name}: {describe(self.lines[str(line.pk)], UnitFinding.choices)}"
            for line in self.handover.lines.all()
            if str(line.pk) in self.lines
        )
