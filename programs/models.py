from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DEFAULT_FUNDING_SOURCE = "APBD Provinsi Kalimantan Timur"
DEFAULT_VISIT_MONTHS = "3, 6, 12"


def parse_months(value: str) -> list[int]:
    """'3, 6,12' -> [3, 6, 12]: the months after the BAST at which a recipient is visited (monev)."""
    parts = [p.strip() for p in (value or "").replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError("Tulis bulan kunjungan sebagai angka dipisah koma, mis. 3, 6, 12.")
    months = sorted({int(p) for p in parts})
    if months[0] < 1 or months[-1] > 60:
        raise ValueError("Bulan kunjungan antara 1 dan 60 bulan setelah serah terima.")
    return months


def validate_months(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        parse_months(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class Program(models.TextChoices):
    WRSE = "WRSE", _("WRSE — Wanita Rawan Sosial Ekonomi")
    KUBE = "KUBE", _("KUBE — Kelompok Usaha Bersama")


class BudgetYear(models.Model):
    """A Tahun Anggaran: its total ceiling, funding source and the program rules of that year."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Perencanaan")
        OPEN = "open", _("Berjalan")
        CLOSED = "closed", _("Ditutup")

    year = models.PositiveSmallIntegerField(
        _("tahun"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    total_ceiling = models.DecimalField(
        _("pagu anggaran"), max_digits=15, decimal_places=0, validators=[MinValueValidator(Decimal(0))]
    )
    funding_source = models.CharField(_("sumber dana"), max_length=150, default=DEFAULT_FUNDING_SOURCE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNING)
    wrse_package_value = models.DecimalField(
        _("nilai paket WRSE"),
        max_digits=15,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Nilai bantuan baku per penerima WRSE (Rupiah)."),
    )
    kube_package_value = models.DecimalField(
        _("nilai paket KUBE"),
        max_digits=15,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Nilai bantuan baku per kelompok KUBE (Rupiah)."),
    )
    wrse_min_age = models.PositiveSmallIntegerField(_("usia minimum WRSE"), default=18)
    wrse_max_age = models.PositiveSmallIntegerField(_("usia maksimum WRSE"), default=59)
    kube_min_members = models.PositiveSmallIntegerField(_("anggota KUBE minimum"), default=5)
    kube_max_members = models.PositiveSmallIntegerField(_("anggota KUBE maksimum"), default=10)
    visit_months = models.CharField(
        _("bulan kunjungan monev"),
        max_length=40,
        default=DEFAULT_VISIT_MONTHS,
        validators=[validate_months],
        help_text=_("Bulan ke berapa setelah tanggal BAST penerima dikunjungi, dipisah koma (mis. 3, 6, 12)."),
    )
    visit_window_days = models.PositiveSmallIntegerField(
        _("kunjungan terjadwal dapat dicatat sejak (hari sebelum jadwal)"),
        default=14,
        validators=[MaxValueValidator(60)],
        help_text=_("Kunjungan bulan ke-3/6/12 baru dapat dicatat mulai sekian hari sebelum tanggal jadwalnya; "
                    "sebelum itu hanya sebagai kunjungan tambahan (di luar jadwal), yang tidak dihitung untuk "
                    "graduasi."),
    )  # fmt: skip
    graduation_min_score = models.PositiveSmallIntegerField(
        _("skor kesiapan minimal untuk lulus (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Penerima direkomendasikan lulus bila skor kesiapannya setidaknya sebesar ini dan semua "
                    "kriteria wajib terpenuhi."),
    )  # fmt: skip
    graduated_proposal_level = models.CharField(
        _("usulan ulang penerima yang sudah lulus"),
        max_length=7,
        choices=[("warning", _("Peringatan (boleh disetujui)")), ("error", _("Kesalahan (tidak dapat disetujui)"))],
        default="warning",
        help_text=_("Bagaimana pemeriksaan usulan memperlakukan orang atau KUBE yang sudah lulus (graduasi)."),
    )
    # DTSEN (Inpres 4/2025): the desil ceiling of each program — Kepmensos 79/HUK/2025 puts Sembako, PBI-JK and the
    # other social-welfare programs at desil 1–5 — and how old the newest register snapshot may be.
    wrse_max_desil = models.PositiveSmallIntegerField(
        _("desil tertinggi WRSE"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Bawaan 5 (Kepmensos 79/HUK/2025: program kesejahteraan sosial desil 1–5)."),
    )
    kube_max_desil = models.PositiveSmallIntegerField(
        _("desil tertinggi KUBE"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Berlaku untuk setiap anggota KUBE. Bawaan 5 (Kepmensos 79/HUK/2025)."),
    )
    desil_level = models.CharField(
        _("desil di atas batas"),
        max_length=7,
        choices=[("warning", _("Peringatan (boleh disetujui)")), ("error", _("Kesalahan (tidak dapat disetujui)"))],
        default="error",
        help_text=_("Bagaimana pemeriksaan usulan memperlakukan orang yang desil DTSEN-nya di atas batas."),
    )
    dtsen_max_age_quarters = models.PositiveSmallIntegerField(
        _("umur data DTSEN terlama (triwulan)"),
        default=2,
        validators=[MaxValueValidator(8)],
        help_text=_("Data DTSEN terbaru lebih tua dari ini (dalam triwulan) diberi peringatan. Bawaan 2."),
    )
    proposal_deadline = models.DateField(
        _("batas pengajuan usulan"),
        null=True,
        blank=True,
        help_text=_("Untuk rapor kualitas data: usulan yang diajukan sesudahnya dihitung terlambat."),
    )
    package_band_percent = models.PositiveSmallIntegerField(
        _("pita nilai bantuan (%)"),
        default=25,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Untuk rapor kualitas data: alokasi yang nilainya berbeda lebih dari persentase ini dari nilai bantuan "
            "baku dihitung di luar pita. Bawaan 25."
        ),
    )
    scorecard_min_count = models.PositiveSmallIntegerField(
        _("jumlah data minimum rapor kualitas"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Ukuran yang dihitung dari data lebih sedikit dari ini ditulis “data belum cukup”. Bawaan 10."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("tahun anggaran")
        verbose_name_plural = _("tahun anggaran")
        constraints = [
            models.CheckConstraint(condition=Q(total_ceiling__gte=0), name="budgetyear_ceiling_nonnegative"),
            models.CheckConstraint(
                condition=Q(wrse_package_value__gte=0, kube_package_value__gte=0),
                name="budgetyear_package_values_nonnegative",
            ),
            models.CheckConstraint(condition=Q(wrse_min_age__lte=F("wrse_max_age")), name="budgetyear_wrse_age_bounds"),
            models.CheckConstraint(
                # A KUBE needs its three officers, so fewer than 3 members can never be valid.
                condition=Q(kube_min_members__gte=3, kube_min_members__lte=F("kube_max_members")),
                name="budgetyear_kube_size_bounds",
            ),
        ]

    def __str__(self):
        return f"Tahun Anggaran {self.year}"

    def get_absolute_url(self):
        return reverse("programs:budgetyear_detail", kwargs={"year": self.year})

    @property
    def months(self) -> list[int]:
        """The monev visit months, e.g. [3, 6, 12]."""
        try:
            return parse_months(self.visit_months)
        except ValueError:
            return parse_months(DEFAULT_VISIT_MONTHS)


class BusinessType(models.Model):
    """A Jenis Usaha (sewing, food stall, fishing…): what a recipient's business is, and later which
    package of goods fits it. Kept as a table so the office can add types without a release."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    synonyms = models.TextField(
        _("sinonim"),
        blank=True,
        help_text=_("Sebutan lain yang dipakai petugas, satu per baris (mis. gorengan, jajanan). Huruf besar/kecil, "
                    "spasi dan tanda baca tidak berpengaruh."),
    )  # fmt: skip
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis usaha")
        verbose_name_plural = _("jenis usaha")

    def __str__(self):
        return self.name


class CeilingQuerySet(models.QuerySet):
    def totals(self) -> dict:
        """Sums of target count, amount and committed (0 when there are none)."""
        from django.db.models import Sum, Value
        from django.db.models.functions import Coalesce

        zero = Value(Decimal(0), output_field=models.DecimalField(max_digits=15, decimal_places=0))
        return self.aggregate(
            target_count=Coalesce(Sum("target_count"), 0),
            amount=Coalesce(Sum("amount"), zero),
            committed=Coalesce(Sum("committed"), zero),
        )


class Ceiling(models.Model):
    """The Pagu of one regency for one program in one budget year: how many recipients it plans (target)
    and how much money it may commit. `committed` is the sum of its active allocations, kept by the
    allocation services under a row lock in the same transaction; the database refuses committed > amount."""

    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.PROTECT, related_name="ceilings", verbose_name=_("tahun anggaran")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="ceilings", verbose_name=_("kabupaten/kota")
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    target_count = models.PositiveIntegerField(_("target penerima"), default=0)
    amount = models.DecimalField(_("pagu"), max_digits=15, decimal_places=0, default=Decimal(0))
    committed = models.DecimalField(_("teralokasi"), max_digits=15, decimal_places=0, default=Decimal(0))
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = CeilingQuerySet.as_manager()

    class Meta:
        ordering = ["budget_year", "regency", "program"]
        verbose_name = _("pagu kabupaten/kota")
        verbose_name_plural = _("pagu kabupaten/kota")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "regency", "program"], name="ceiling_one_per_program"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ceiling_amount_nonnegative"),
            # The last line of defence of "never overspend": whatever a service does, this holds.
            models.CheckConstraint(
                condition=Q(committed__gte=0, committed__lte=F("amount")), name="ceiling_committed_within"
            ),
        ]

    def __str__(self):
        return f"Pagu {self.program} {self.regency} {self.budget_year.year}"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.committed
