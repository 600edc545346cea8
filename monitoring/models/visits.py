"""Monitoring after the handover (monev): visits to delivered recipients at the months the budget year sets, what
the business and the goods (counted by unit) look like then, and the photos taken there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from monitoring.choices import (
    FINDING_CONDITIONS,
    RUNNING_STATUSES,
    BusinessStatus,
    GoodsCondition,
    KubeStage,
)
from programs.models import Program

MONEY = {"max_digits": 15, "decimal_places": 0}


class VisitMode(models.TextChoices):
    HOME = "kunjungan", _("Kunjungan rumah/usaha")
    PHONE = "telepon", _("Telepon")
    GROUP = "pertemuan", _("Pertemuan kelompok")


GOODS_COUNT_FIELDS = {
    "dipakai": "goods_used",
    "rusak": "goods_broken",
    "dijual": "goods_sold",
    "hilang": "goods_lost",
    "dipindahtangankan": "goods_transferred",
}

KUBE_STAGE_HELP = {
    KubeStage.GROWING: "Usaha baru berjalan, pengurus dan anggota mulai aktif, pembukuan sederhana dan iuran "
    "kesetiakawanan sosial (IKS) mulai dikumpulkan.",
    KubeStage.DEVELOPING: "Usaha berjalan teratur dan bertambah, pertemuan rutin, pembukuan tertib, dana IKS "
    "bertambah dan mulai dipakai untuk anggota atau warga.",
    KubeStage.INDEPENDENT: "Usaha menguntungkan dan berkelanjutan tanpa pendampingan, kelompok mengambil keputusan "
    "sendiri, menjalin kemitraan, dana IKS dikelola untuk kesejahteraan anggota dan lingkungan.",
}


class VisitQuerySet(models.QuerySet):
    def valid(self) -> "VisitQuerySet":
        return self.filter(status=Visit.Status.VALID)


class Visit(models.Model):
    """One monitoring visit (kunjungan monev) to a delivered recipient — a WRSE woman or a KUBE group — as
    recorded by the officer who went. `due_month` is the scheduled visit it fulfils (3, 6, 12 … months after the
    BAST), blank for an extra visit. Edited with an audit trail; voided with a reason, never deleted."""

    class Status(models.TextChoices):
        VALID = "valid", _("Berlaku")
        VOID = "void", _("Dibatalkan")

    handover = models.ForeignKey(
        "disbursements.Handover", on_delete=models.PROTECT, related_name="visits", verbose_name=_("BAST")
    )
    # Copied from the BAST for scoping and the worklist's indexes.
    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("tahun anggaran")
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    # The BAST's date, which never changes once signed: the visits done per schedule window are counted on the
    # visits alone (monitoring.selectors.outcomes), with no join to every BAST of the year.
    handed_over_on = models.DateField(_("tanggal serah terima"), editable=False)
    due_month = models.PositiveSmallIntegerField(
        _("kunjungan bulan ke"), null=True, blank=True, help_text=_("Kosong untuk kunjungan tambahan.")
    )
    visited_on = models.DateField(_("tanggal kunjungan"))
    visitor_name = models.CharField(_("petugas yang berkunjung"), max_length=150)
    mode = models.CharField(_("cara"), max_length=10, choices=VisitMode.choices, default=VisitMode.HOME)
    business_status = models.CharField(_("status usaha"), max_length=20, choices=BusinessStatus.choices)
    turnover = models.DecimalField(_("omzet rata-rata per bulan"), **MONEY)
    net_income = models.DecimalField(
        _("pendapatan bersih per bulan"), help_text=_("Boleh negatif bila usaha merugi."), **MONEY
    )
    workers = models.PositiveSmallIntegerField(
        _("tenaga kerja / anggota aktif"), default=1, help_text=_("Termasuk penerima sendiri.")
    )
    iks_balance = models.DecimalField(
        _("saldo dana IKS"),
        null=True,
        blank=True,
        help_text=_("Iuran kesetiakawanan sosial yang terkumpul di kelompok (KUBE)."),
        **MONEY,
    )
    stage = models.CharField(_("tahap KUBE"), max_length=10, choices=KubeStage.choices, blank=True)
    problems = models.TextField(_("masalah yang ditemui"), blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    # How many units of the BAST's goods were in each condition (kept with the lines by the services), so the
    # outcomes sum the visits alone instead of joining every goods line.
    goods_used = models.PositiveSmallIntegerField(default=0, editable=False)
    goods_broken = models.PositiveSmallIntegerField(default=0, editable=False)
    goods_sold = models.PositiveSmallIntegerField(default=0, editable=False)
    goods_lost = models.PositiveSmallIntegerField(default=0, editable=False)
    goods_transferred = models.PositiveSmallIntegerField(default=0, editable=False)
    # The change of turnover since the BAST's previous valid scheduled visit (none for the first), kept by the
    # services (monitoring.services.turnover_changes_refresh): the data-quality scorecard's outlier measure reads it
    # from an index instead of ordering every visit of the year.
    turnover_change = models.BigIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=5, choices=Status.choices, default=Status.VALID)
    void_reason = models.TextField(_("alasan pembatalan"), blank=True)
    voided_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("kunjungan pemantauan")
        verbose_name_plural = _("kunjungan pemantauan")
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "due_month"],
                condition=Q(status="valid", due_month__isnull=False),
                name="visit_once_per_due_month",
            ),
            models.CheckConstraint(condition=Q(turnover__gte=0), name="visit_turnover_nonnegative"),
            models.CheckConstraint(
                condition=Q(status="valid", void_reason="") | Q(status="void") & ~Q(void_reason=""),
                name="visit_void_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["budget_year", "regency", "status"], name="visit_scope_idx"),
            models.Index(fields=["handover", "status"], name="visit_handover_idx"),
            models.Index(
                fields=["budget_year", "regency", "turnover_change", "visited_on"],
                condition=Q(status="valid", turnover_change__isnull=False),
                name="visit_turnover_change_idx",
            ),
            # The median turnover of a visit month: its middle entries, read in order (monitoring.selectors.outcomes);
            # the regency last, for a regency's officer (a key, not INCLUDE, which SQLite lacks).
            models.Index(
                fields=["budget_year", "due_month", "turnover", "regency"],
                condition=Q(status="valid"),
                name="visit_turnover_idx",
            ),
            # A regency's valid visits of a year by month and BAST date (the scorecard's records behind its visit
            # measure, quality.records); the worklist's counts now read the tally (VisitTally).
            models.Index(
                fields=["budget_year", "regency", "due_month", "handed_over_on", "program"],
                condition=Q(status="valid"),
                name="visit_regency_month_date_idx",
            ),
        ]

    def __str__(self):
        label = f"bulan ke-{self.due_month}" if self.due_month else "tambahan"
        return f"Kunjungan {label} — {self.handover} ({self.visited_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("monitoring:visit_detail", kwargs={"pk": self.pk})

    @property
    def is_void(self) -> bool:
        return self.status == self.Status.VOID

    @property
    def is_running(self) -> bool:
        return self.business_status in RUNNING_STATUSES

    def count_goods(self, counts) -> None:
        """Set the goods_* counts (units) from each line's units by condition ({"dipakai": 2, "rusak": 1}, …)."""
        totals = dict.fromkeys(GoodsCondition.values, 0)
        for line in counts:
            for condition, units in line.items():
                totals[condition] += units
        for condition, units in totals.items():
            setattr(self, GOODS_COUNT_FIELDS[condition], units)

    def goods_by_line(self) -> list[tuple]:
        """(line, [VisitGoods of that line in the order of the conditions]) from the prefetched goods."""
        order = {value: i for i, value in enumerate(GoodsCondition.values)}
        lines: dict = {}
        for goods in sorted(self.goods.all(), key=lambda g: (g.line_id, order[g.condition])):
            lines.setdefault(goods.line_id, (goods.line, []))[1].append(goods)
        return list(lines.values())


class VisitGoods(models.Model):
    """How many units of one line of goods handed over on the BAST were in one condition at the visit (an oven
    line of 3: "dipakai" 2 and "rusak" 1, two rows); a line's rows add up to its quantity."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="goods")
    line = models.ForeignKey(
        "disbursements.HandoverLine", on_delete=models.PROTECT, related_name="+", verbose_name=_("barang")
    )
    condition = models.CharField(_("kondisi barang"), max_length=20, choices=GoodsCondition.choices)
    quantity = models.PositiveIntegerField(_("jumlah"), default=1)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["visit", "line", "condition"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "line", "condition"], name="visit_goods_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="visit_goods_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.line.goods}: {self.get_condition_display()} {self.quantity}"

    @property
    def is_finding(self) -> bool:
        return self.condition in FINDING_CONDITIONS


class VisitPhoto(models.Model):
    """A photo taken at the visit: resized on the server, with the time and place the camera recorded (EXIF)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to="monev/foto/")
    taken_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["visit", "id"]

    def __str__(self):
        return f"Foto kunjungan {self.visit_id}"


class VisitTally(models.Model):
    """The valid visits of a regency, program, visit month (0 for an extra visit), KUBE stage, business status and
    BAST date: counted, and their goods units summed per condition, one row per combination, kept by database
    triggers on the visits (migration 0011, core.tally) whatever writes them. The dashboard's monitoring figures
    and the visits done in each schedule window count from these rows instead of every visit of the year.
    tests/monitoring/test_visit_tally.py compares them with a fresh count after every kind of write."""

    # No constraint, no cascade: the rows are counts, not records (a row that falls to 0 is removed).
    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    program = models.CharField(max_length=4, choices=Program.choices)
    due_month = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=10, choices=KubeStage.choices, blank=True)
    business_status = models.CharField(max_length=20, choices=BusinessStatus.choices)
    handed_over_on = models.DateField()
    n = models.IntegerField()
    goods_used = models.IntegerField()
    goods_broken = models.IntegerField()
    goods_sold = models.IntegerField()
    goods_lost = models.IntegerField()
    goods_transferred = models.IntegerField()
    # Of them, the scheduled visits done inside their window (by the deadline of monitoring.schedule: the BAST date
    # plus the month, plus GRACE_DAYS; migration 0013): the data-quality scorecard's "Kunjungan monev tepat waktu".
    on_time = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "regency", "program", "due_month", "stage", "business_status", "handed_over_on"],
                name="visittally_unique",
            ),
        ]

    def __str__(self):
        return f"{self.regency_id} {self.program} bulan {self.due_month} {self.handed_over_on}: {self.n}"
