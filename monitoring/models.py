"""Monitoring after the handover (monev): visits to delivered recipients at the months the budget year sets, what
the business and the goods look like then, and the photos taken there."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models import Program

MONEY = {"max_digits": 15, "decimal_places": 0}


class VisitMode(models.TextChoices):
    HOME = "kunjungan", _("Kunjungan rumah/usaha")
    PHONE = "telepon", _("Telepon")
    GROUP = "pertemuan", _("Pertemuan kelompok")


class BusinessStatus(models.TextChoices):
    RUNNING = "berjalan", _("Berjalan")
    GROWING = "berkembang", _("Berjalan dan berkembang")
    PAUSED = "berhenti_sementara", _("Berhenti sementara")
    STOPPED = "berhenti", _("Berhenti")


RUNNING_STATUSES = (BusinessStatus.RUNNING, BusinessStatus.GROWING)


class GoodsCondition(models.TextChoices):
    USED = "dipakai", _("Dipakai")
    BROKEN = "rusak", _("Rusak")
    SOLD = "dijual", _("Dijual")
    LOST = "hilang", _("Hilang")
    TRANSFERRED = "dipindahtangankan", _("Dipindahtangankan")


GOODS_COUNT_FIELDS = {
    "dipakai": "goods_used",
    "rusak": "goods_broken",
    "dijual": "goods_sold",
    "hilang": "goods_lost",
    "dipindahtangankan": "goods_transferred",
}

# The BAST forbids selling or transferring the goods; lost goods are a finding too.
FINDING_CONDITIONS = (GoodsCondition.SOLD, GoodsCondition.TRANSFERRED, GoodsCondition.LOST)
KEPT_CONDITIONS = (GoodsCondition.USED, GoodsCondition.BROKEN)


class KubeStage(models.TextChoices):
    """The stages of a KUBE's growth (Kemensos, pedoman KUBE)."""

    GROWING = "tumbuh", _("Tumbuh")
    DEVELOPING = "berkembang", _("Berkembang")
    INDEPENDENT = "mandiri", _("Mandiri")


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
            # The median turnover of a visit month: its middle entries, read in order (monitoring.selectors.outcomes);
            # the regency last, for a regency's officer (a key, not INCLUDE, which SQLite lacks).
            models.Index(
                fields=["budget_year", "due_month", "turnover", "regency"],
                condition=Q(status="valid"),
                name="visit_turnover_idx",
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


# Graduation (graduasi) ---------------------------------------------------------------------------------------


class Measure(models.TextChoices):
    """How a graduation criterion is assessed: from a visit's answers, or by the assessor."""

    RUNNING = "usaha_berjalan", _("Usaha berjalan pada kunjungan bulan ke-N")
    TURNOVER = "omzet", _("Omzet pada kunjungan bulan ke-N setidaknya ambang kabupaten/kota")
    GOODS_KEPT = "barang_terjaga", _("Barang dipakai dan terjaga pada semua kunjungan")
    KUBE_INDEPENDENT = "tahap_mandiri", _("Tahap KUBE \u201cMandiri\u201d pada kunjungan bulan ke-N")
    IKS_FUND = "dana_iks", _("Saldo dana IKS lebih dari nol pada kunjungan bulan ke-N")
    ASSESSOR = "penilai", _("Dinilai oleh penilai")


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


class Recommendation(models.TextChoices):
    GRADUATE = "lulus", _("Lulus")
    EXTEND = "perpanjang", _("Perpanjang pendampingan")
    EXIT = "keluar", _("Keluar")


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
        from monitoring.graduation import percent

        return percent(self.readiness_score)


# Post-distribution verification (verifikasi pasca-penyaluran) --------------------------------------------------


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
