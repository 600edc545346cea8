"""The thresholds of the data-quality scorecard, per budget year and measure (quality.measures): data the province
edits, never code. A year's rows are made from the measures' defaults, with their source, the first time its
scorecard is counted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quality.measures import MEASURES


class Threshold(models.Model):
    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.CASCADE, related_name="+", verbose_name=_("tahun anggaran")
    )
    measure = models.CharField(_("ukuran"), max_length=30, choices=[(m.code, m.label) for m in MEASURES])
    good = models.DecimalField(_("batas baik"), max_digits=7, decimal_places=1)
    poor = models.DecimalField(_("batas buruk"), max_digits=7, decimal_places=1)
    source = models.CharField(_("sumber ambang"), max_length=255)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["budget_year", "measure"]
        verbose_name = _("ambang rapor kualitas")
        verbose_name_plural = _("ambang rapor kualitas")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "measure"], name="threshold_one_per_measure"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()} {self.budget_year}"
