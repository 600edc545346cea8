"""The national register as the province receives it: dated snapshots of DTSEN (Data Tunggal Sosial Ekonomi
Nasional, Inpres 4/2025, kept by BPS with Kemensos and renewed every quarter), each a file of people with their
family's welfare desil. A snapshot is never overwritten: a person's desil has a history by period."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import formatting


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def period_label(day: datetime.date) -> str:
    """1 Aug 2026 -> 'Triwulan III 2026': how the register's periods are named."""
    return formatting.quarter(day)


def quarters_between(older: datetime.date, newer: datetime.date) -> int:
    """Whole quarters from the quarter of `older` to that of `newer` (same quarter: 0)."""
    (y1, q1), (y2, q2) = quarter_of(older), quarter_of(newer)
    return (y2 - y1) * 4 + (q2 - q1)


class Snapshot(models.Model):
    """One extract of the register as received (from BPS/Kemensos through the province, or a regency's SIKS-NG
    operator): the period its data describe, where it came from, who imported it. A regency's extract covers that
    regency; the province's covers all ten."""

    class Status(models.TextChoices):
        IMPORTING = "importing", _("Sedang diimpor")
        READY = "ready", _("Berlaku")
        SUPERSEDED = "superseded", _("Diganti berkas periode yang sama")
        REFUSED = "refused", _("Ditolak")

    period = models.DateField(_("periode data"), help_text=_("Tanggal data DTSEN (menentukan triwulannya)."))
    source = models.CharField(
        _("sumber"), max_length=200, help_text=_("Mis. Pusdatin Kemensos melalui SIKS-NG, surat nomor …")
    )
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        help_text=_("Kosong: data seluruh Kalimantan Timur."),
    )
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64, editable=False)
    rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IMPORTING)
    problems = models.JSONField(_("kesalahan"), default=list, blank=True, help_text=_("Baris dan kolom yang salah."))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("diimpor pada"), auto_now_add=True)

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("data DTSEN")
        verbose_name_plural = _("data DTSEN")
        permissions = [("import_snapshot", "Mengimpor data DTSEN")]
        indexes = [models.Index(fields=["status", "-period"], name="snapshot_period_idx")]

    def __str__(self):
        where = self.regency.name if self.regency_id else "Kalimantan Timur"
        return f"DTSEN {self.period_label} — {where}"

    def get_absolute_url(self):
        return reverse("dtsen:snapshot_detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        return period_label(self.period)


class Entry(models.Model):
    """A person as the register lists them in one snapshot. The NIK as the registry stores it (whole; masked on
    the pages of roles that need no whole number); `extra` keeps the file's other columns as they came."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="entries")
    nik = models.CharField(_("NIK"), max_length=16)
    kk_number = models.CharField(_("No. KK"), max_length=16, blank=True)
    full_name = models.CharField(_("nama"), max_length=150)
    desil = models.PositiveSmallIntegerField(
        _("desil"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    dtsen_id = models.CharField(_("ID DTSEN"), max_length=40, blank=True)
    regency_code = models.CharField(_("kab/kota"), max_length=5, blank=True)
    extra = models.JSONField(_("kolom lain"), default=dict, blank=True)

    class Meta:
        verbose_name = _("baris DTSEN")
        verbose_name_plural = _("baris DTSEN")
        constraints = [
            models.UniqueConstraint(fields=["nik", "snapshot"], name="entry_nik_once_per_snapshot"),
            models.CheckConstraint(condition=Q(desil__gte=1, desil__lte=10), name="entry_desil_1_10"),
        ]

    def __str__(self):
        return f"{self.full_name} (desil {self.desil or '-'})"


class Listing(models.Model):
    """A person of the registry whom the register's newest period in force lists with a desil, and that desil (from the
    period's newest snapshot listing the NIK). Kept by the database (dtsen.kept), never written by the application: the
    data-quality scorecard compares it with the desil typed in the workbook inside its query over the year's people."""

    person = models.OneToOneField(
        "beneficiaries.Person",
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the triggers remove a deleted person's row
        db_constraint=False,
        related_name="register_listing",
        verbose_name=_("penduduk"),
    )
    desil = models.PositiveSmallIntegerField(_("desil DTSEN terbaru"))

    class Meta:
        verbose_name = _("desil DTSEN terbaru penduduk")
        verbose_name_plural = _("desil DTSEN terbaru penduduk")

    def __str__(self):
        return f"{self.person_id}: desil {self.desil}"
