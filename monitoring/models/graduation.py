"""Graduation (graduasi): the criteria of a year and program, the turnover thresholds per regency, the assessment of
a recipient proposed by the regency and approved or returned by the province."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from monitoring.choices import Measure, Recommendation
from monitoring.graduation import percent
from monitoring.models.visits import MONEY
from programs.models import Program

VISIT_MEASURES = {Measure.RUNNING, Measure.TURNOVER, Measure.KUBE_INDEPENDENT, Measure.IKS_FUND}


class GraduationCriterion(models.Model):
    """One graduation criterion of a budget year and program: a setting the province keeps, never code. The
    readiness score is the weighted mean of the criteria's scores (0–1); a required criterion must be met
    whatever the score."""

    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.CASCADE, related_name="+", verbose_name=_("tahun anggaran")
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    name = models.CharField(_("kriteria"), max_length=150)
    measure = models.CharField(_("cara menilai"), max_length=20, choices=Measure.choices)
    month = models.PositiveSmallIntegerField(
        _("kunjungan bulan ke"),
        null=True,
        blank=True,
        help_text=_("Untuk kriteria dari kunjungan; kosong = kunjungan terjadwal terakhir."),
    )
    weight = models.PositiveSmallIntegerField(_("bobot"), default=1)
    required = models.BooleanField(_("wajib"), default=False, help_text=_("Harus terpenuhi berapa pun skornya."))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["budget_year", "program", "order", "id"]
        verbose_name = _("kriteria graduasi")
        verbose_name_plural = _("kriteria graduasi")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "program", "name"], name="criterion_name_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name


class TurnoverThreshold(models.Model):
    """The monthly turnover a regency's recipients should reach to graduate (e.g. a share of the regency's UMK)."""

    budget_year = models.ForeignKey("programs.BudgetYear", on_delete=models.CASCADE, related_name="+")
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("ambang omzet per bulan"), **MONEY)

    class Meta:
        ordering = ["budget_year", "regency"]
        constraints = [models.UniqueConstraint(fields=["budget_year", "regency"], name="threshold_once")]

    def __str__(self):
        return f"{self.regency}: {self.amount}"


class AssessmentQuerySet(models.QuerySet):
    def open(self) -> "AssessmentQuerySet":
        return self.filter(status__in=[Assessment.Status.DRAFT, Assessment.Status.SUBMITTED])


class Assessment(models.Model):
    """A graduation assessment of one delivered recipient (by their BAST): each criterion's score as computed when
    it was proposed, the readiness score, the required criteria that fail, the system's recommendation and the
    regency's decision. Proposed by the regency, approved or returned by the province (as proposals are)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan")

    handover = models.ForeignKey(
        "disbursements.Handover", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("BAST")
    )
    budget_year = models.ForeignKey("programs.BudgetYear", on_delete=models.PROTECT, related_name="+")
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # [{"criterion", "name", "weight", "required", "score", "detail"}], as computed when saved
    scores = models.JSONField(_("nilai kriteria"), default=list)
    assessor_scores = models.JSONField(default=dict)  # {criterion id: 0..1} for criteria the assessor judges
    readiness_score = models.DecimalField(_("skor kesiapan"), max_digits=5, decimal_places=4, default=0)
    failed_required = models.JSONField(_("kriteria wajib yang tidak terpenuhi"), default=list)
    recommendation = models.CharField(_("rekomendasi sistem"), max_length=10, choices=Recommendation.choices)
    decision = models.CharField(_("keputusan"), max_length=10, choices=Recommendation.choices)
    exit_reason = models.TextField(_("alasan keluar"), blank=True)
    note = models.TextField(_("catatan penilai"), blank=True)
    review_note = models.TextField(_("catatan verifikator"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("penilaian graduasi")
        verbose_name_plural = _("penilaian graduasi")
        permissions = [("review_assessment", "Memeriksa (menyetujui/mengembalikan) penilaian graduasi")]
        constraints = [
            models.UniqueConstraint(
                fields=["handover"], condition=Q(status__in=["draft", "submitted"]), name="assessment_one_open"
            ),
            models.CheckConstraint(
                condition=~Q(decision="keluar") | ~Q(exit_reason=""), name="assessment_exit_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["budget_year", "regency", "status"], name="assessment_scope_idx")]

    def __str__(self):
        return f"Penilaian graduasi {self.handover}"

    def get_absolute_url(self):
        return reverse("monitoring:assessment_detail", kwargs={"pk": self.pk})

    @property
    def readiness_percent(self) -> int:
        return percent(self.readiness_score)
