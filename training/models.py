"""Bimtek (bimbingan teknis): the training every recipient attends before the goods are handed over."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models import Program

TOPICS = ["Penggunaan barang bantuan", "Pengelolaan usaha", "Pembukuan sederhana", "Pemasaran produk"]


class TrainingSession(models.Model):
    """One Bimtek session of a regency for one program and budget year."""

    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("tahun anggaran")
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    topic = models.CharField(_("materi"), max_length=150)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=200)
    facilitators = models.TextField(_("narasumber/fasilitator"), blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas peserta"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("sesi bimtek")
        verbose_name_plural = _("sesi bimtek")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="training_dates_in_order"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="training_capacity_positive"),
        ]
        indexes = [
            models.Index(fields=["budget_year", "regency", "program"], name="training_scope_idx"),
            models.Index(fields=["regency", "-start_date"], name="training_regency_date_idx"),
        ]

    def __str__(self):
        return f"Bimtek {self.program} {self.regency} — {self.topic} ({self.start_date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("training:session_detail", kwargs={"pk": self.pk})

    @property
    def days(self) -> list:
        """Each day of the session, first to last (a signature column each on the daftar hadir)."""
        return [self.start_date + datetime.timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    EXCUSED = "excused", _("Izin")
    ABSENT = "absent", _("Tidak Hadir")


class Attendance(models.Model):
    """A participant of a session: an approved recipient (a WRSE woman, or one member of a KUBE group),
    invited first; the status is recorded on the day (blank until then)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    item = models.ForeignKey(
        "proposals.ProposalItem", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("penerima")
    )
    person = models.ForeignKey(
        "beneficiaries.Person", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("peserta")
    )
    status = models.CharField(_("kehadiran"), max_length=8, choices=AttendanceStatus.choices, blank=True)
    marked_at = models.DateTimeField(_("dicatat pada"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("daftar hadir")
        permissions = [("mark_attendance", "Menandai kehadiran Bimtek (juga di lapangan)")]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once_per_session")]
        indexes = [models.Index(fields=["person", "status"], name="attendance_person_idx")]

    def __str__(self):
        return f"{self.person} — {self.get_status_display() or 'belum dicatat'}"
