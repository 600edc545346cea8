"""Goods, never cash: the catalogue (Katalog Barang), packages per business type (Paket Bantuan) and the
goods allocated to an approved recipient (Alokasi), which commit the regency's ceiling."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models import Program

MONEY = {"max_digits": 15, "decimal_places": 0}


class GoodsItem(models.Model):
    """One kind of goods the office buys (a sewing machine, a gas stove with cylinder…) at its current unit
    price. An allocation copies the price, so a later price change never alters what was committed."""

    class Unit(models.TextChoices):
        UNIT = "unit", _("unit")
        BUAH = "buah", _("buah")
        SET = "set", _("set")
        PAKET = "paket", _("paket")

    name = models.CharField(_("nama barang"), max_length=150, unique=True)
    unit = models.CharField(_("satuan"), max_length=10, choices=Unit.choices, default=Unit.UNIT)
    unit_price = models.DecimalField(_("harga satuan"), **MONEY)
    specification = models.TextField(_("spesifikasi"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("barang")
        verbose_name_plural = _("katalog barang")
        constraints = [models.CheckConstraint(condition=Q(unit_price__gt=0), name="goods_price_positive")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("disbursements:goods_update", kwargs={"pk": self.pk})


class PackageQuerySet(models.QuerySet):
    def with_total(self):
        """Each package with `total`: the sum of its lines at today's unit prices (one query)."""
        return self.annotate(
            total=Sum(F("lines__quantity") * F("lines__goods__unit_price"), output_field=models.DecimalField(**MONEY))
        )


class Package(models.Model):
    """A Paket Bantuan: the goods (with quantities) that fit one business type in one program."""

    name = models.CharField(_("nama paket"), max_length=150, unique=True)
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    business_type = models.ForeignKey(
        "programs.BusinessType", on_delete=models.PROTECT, related_name="packages", verbose_name=_("jenis usaha")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("paket bantuan")
        verbose_name_plural = _("paket bantuan")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("disbursements:package_update", kwargs={"pk": self.pk})


class PackageLine(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="lines")
    goods = models.ForeignKey(GoodsItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("barang"))
    quantity = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        ordering = ["package", "id"]
        constraints = [
            models.UniqueConstraint(fields=["package", "goods"], name="packageline_goods_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="packageline_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} {self.goods}"


class AllocationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Allocation.Status.ACTIVE)


class Allocation(models.Model):
    """Goods allocated to one approved recipient (a person for WRSE, a KUBE group): committed budget of
    its regency's ceiling. Voided with a reason, never deleted."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        VOID = "void", _("Dibatalkan")

    item = models.ForeignKey(
        "proposals.ProposalItem", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("penerima")
    )
    ceiling = models.ForeignKey(
        "programs.Ceiling", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("pagu")
    )
    # Copied from the ceiling, so lists filter and scope without a join.
    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("tahun anggaran")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("paket")
    )
    total = models.DecimalField(_("nilai"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    void_reason = models.TextField(_("alasan pembatalan"), blank=True)
    voided_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept by the database (disbursements.trained): its recipient met the Bimtek rule (training.selectors.attended).
    trained = models.BooleanField(_("sudah mengikuti Bimtek"), default=False, db_default=False, editable=False)
    review_flag = models.TextField(
        _("catatan pengaduan"),
        blank=True,
        db_default="",
        help_text=_("Dicatat dari pengaduan yang terbukti (barang belum diterima)."),
    )

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alokasi")
        verbose_name_plural = _("alokasi")
        constraints = [
            # A recipient holds at most one active allocation: a re-submitted form allocates nothing twice.
            models.UniqueConstraint(fields=["item"], condition=Q(status="active"), name="allocation_one_active"),
            models.CheckConstraint(condition=Q(total__gte=0), name="allocation_total_nonnegative"),
            models.CheckConstraint(
                condition=Q(status="active", void_reason="") | Q(status="void") & ~Q(void_reason=""),
                name="allocation_void_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["budget_year", "regency", "program", "status"], name="allocation_scope_idx"),
            models.Index(fields=["regency", "-created_at"], name="allocation_regency_time_idx"),
            # The dashboard's trained among the recipients still waiting (reports.selectors.recap).
            models.Index(
                fields=["budget_year", "regency", "program", "id"],
                condition=Q(status="active", trained=True),
                name="allocation_trained_idx",
            ),
        ]

    def __str__(self):
        return f"Alokasi #{self.pk} — {self.item}"

    def get_absolute_url(self):
        return reverse("disbursements:allocation_detail", kwargs={"pk": self.pk})


class AllocationLine(models.Model):
    """One kind of goods of an allocation, at the unit price of the day it was allocated."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    goods = models.ForeignKey(GoodsItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("barang"))
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price = models.DecimalField(_("harga satuan"), **MONEY)
    total = models.DecimalField(_("jumlah harga"), **MONEY)

    class Meta:
        ordering = ["allocation", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="allocationline_quantity_positive"),
            models.CheckConstraint(condition=Q(total=F("quantity") * F("unit_price")), name="allocationline_total"),
        ]

    def __str__(self):
        return f"{self.quantity} {self.goods} @ {self.unit_price}"


class HandoverCounter(models.Model):
    """The last BAST number given in one (budget year, program, regency). Taking a number locks this row,
    so numbers are unique and without gaps also when two handovers are made at the same moment; a
    rolled-back handover rolls its number back with it."""

    budget_year = models.ForeignKey("programs.BudgetYear", on_delete=models.PROTECT, related_name="+")
    program = models.CharField(max_length=4, choices=Program.choices)
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "program", "regency"], name="handovercounter_one_per_scope")
        ]

    def __str__(self):
        return f"BAST {self.program} {self.regency_id}: {self.last}"


class Condition(models.TextChoices):
    GOOD = "baik", _("Baik")
    DAMAGED = "rusak", _("Rusak")
    INCOMPLETE = "kurang", _("Kurang lengkap")


class HandoverQuerySet(models.QuerySet):
    def delivered(self) -> "HandoverQuerySet":
        """Not voided: the goods were handed over and the BAST signed on paper."""
        return self.filter(status=Handover.Status.DELIVERED)

    def realised(self) -> "HandoverQuerySet":
        """Counted as delivered and as realised budget: not voided, and the signed BAST's scan is attached."""
        return self.delivered().exclude(signed_scan="")

    def awaiting_scan(self) -> "HandoverQuerySet":
        """Handed over, but the signed BAST's scan is not attached yet ("Menunggu pindaian BAST")."""
        return self.delivered().filter(signed_scan="")


class Handover(models.Model):
    """A Berita Acara Serah Terima (BAST): the goods of an allocation handed to the recipient (or the KUBE's
    ketua), as signed on paper. Delivered counts as realised budget. Voided with a reason, never deleted."""

    class Status(models.TextChoices):
        DELIVERED = "delivered", _("Diserahkan")
        VOID = "void", _("Dibatalkan")

    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("alokasi")
    )
    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("tahun anggaran")
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    sequence = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor BAST"), max_length=40, unique=True)
    handed_over_on = models.DateField(_("tanggal serah terima"))
    place = models.CharField(_("tempat"), max_length=200)
    first_party_name = models.CharField(_("nama pihak pertama"), max_length=150)
    first_party_nip = models.CharField(_("NIP pihak pertama"), max_length=18, blank=True)
    first_party_position = models.CharField(_("jabatan pihak pertama"), max_length=150)
    second_party_name = models.CharField(_("nama pihak kedua"), max_length=150)
    second_party_role = models.CharField(_("kedudukan pihak kedua"), max_length=200)
    witness_name = models.CharField(_("nama yang mengetahui"), max_length=150)
    witness_nip = models.CharField(_("NIP yang mengetahui"), max_length=18, blank=True)
    witness_position = models.CharField(_("jabatan yang mengetahui"), max_length=150)
    value = models.DecimalField(_("nilai"), **MONEY)
    photo = models.FileField(_("foto serah terima"), upload_to="bast/foto/", blank=True)
    signed_scan = models.FileField(_("pindaian BAST bertanda tangan"), upload_to="bast/pindaian/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DELIVERED)
    void_reason = models.TextField(_("alasan pembatalan"), blank=True)
    voided_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Copies of the recipient's name and village name (the person's, or the KUBE's), so that a worklist is read
    # in order from an index and stops at its page. Kept by database triggers on every writer — a handover's
    # insert or save, a person's, KUBE's or village's rename or move, an item's person changed by a merge
    # (migration disbursements 0008); never written by the application.
    recipient_name = models.CharField(_("nama penerima"), max_length=150, db_default="", editable=False)
    village_name = models.CharField(_("desa/kelurahan penerima"), max_length=100, db_default="", editable=False)
    review_flag = models.TextField(
        _("catatan pengaduan"),
        blank=True,
        db_default="",
        help_text=_("Dicatat dari pengaduan yang terbukti (barang tidak diterima)."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = HandoverQuerySet.as_manager()

    class Meta:
        ordering = ["-handed_over_on", "-id"]
        verbose_name = _("berita acara serah terima")
        verbose_name_plural = _("berita acara serah terima")
        permissions = [("attach_handover", "Melampirkan foto serah terima dan pindaian BAST (juga di lapangan)")]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "program", "regency", "sequence"], name="handover_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["allocation"], condition=Q(status="delivered"), name="handover_one_delivered"
            ),
            models.CheckConstraint(
                condition=Q(status="delivered", void_reason="") | Q(status="void") & ~Q(void_reason=""),
                name="handover_void_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["budget_year", "regency", "program", "status"], name="handover_scope_idx"),
            models.Index(fields=["regency", "-handed_over_on"], name="handover_regency_date_idx"),
            # The realised BASTs by allocation (the dashboard's trained among those still waiting: an anti-join read
            # from this index alone).
            models.Index(
                fields=["allocation"],
                condition=Q(status="delivered") & ~Q(signed_scan=""),
                name="handover_realised_idx",
            ),
            # The home page's to-do count "BAST menunggu pindaian" (awaiting_scan), a small part of all handovers.
            models.Index(
                fields=["regency"], condition=Q(status="delivered", signed_scan=""), name="handover_awaiting_scan_idx"
            ),
            # Kerja Lapangan's "BAST tanpa foto", newest first: province-wide, and for one regency's officer.
            models.Index(
                fields=["-handed_over_on", "-id"],
                condition=Q(status="delivered", photo=""),
                name="handover_no_photo_idx",
            ),
            models.Index(
                fields=["regency", "-handed_over_on", "-id"],
                condition=Q(status="delivered", photo=""),
                name="handover_regency_no_photo_idx",
            ),
            # The worklist by village: the year's delivered BASTs in its order, province-wide and for one regency.
            models.Index(
                fields=["budget_year", "village_name", "recipient_name", "id"],
                condition=Q(status="delivered"),
                name="handover_worklist_idx",
            ),
            models.Index(
                fields=["budget_year", "regency", "village_name", "recipient_name", "id"],
                condition=Q(status="delivered"),
                name="handover_regency_worklist_idx",
            ),
            # The year's voided BASTs (few), whose visits the worklist's counts leave out.
            models.Index(fields=["budget_year"], condition=Q(status="void"), name="handover_void_idx"),
            # A regency's delivered BASTs of a year by date: an operator's list of visits to make early in a season
            # (monitoring.selectors.worklist bounds the BASTs by date) and the date ranges read per regency.
            models.Index(
                fields=["budget_year", "regency", "handed_over_on", "program"],
                condition=Q(status="delivered"),
                name="handover_year_regency_date_idx",
            ),
            # The province's BASTs of a year by date: the field worklist early in a season finds the few whose visits
            # are due by date instead of walking the year in village order (monitoring.selectors.worklist).
            models.Index(
                fields=["budget_year", "handed_over_on"],
                condition=Q(status="delivered"),
                name="handover_year_date_idx",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("disbursements:handover_detail", kwargs={"pk": self.pk})

    @property
    def is_realised(self) -> bool:
        return self.status == self.Status.DELIVERED and bool(self.signed_scan)

    @property
    def status_label(self) -> str:
        """ "Diserahkan" only once the signed scan is attached; before that "Menunggu pindaian BAST"."""
        if self.status == self.Status.DELIVERED and not self.signed_scan:
            return "Menunggu pindaian BAST"
        return self.get_status_display()

    @property
    def signing_place(self) -> str:
        """The place of the "<tempat>, <tanggal>" line above the signatures: the regency or city ("Samarinda")."""
        return self.regency.name

    @property
    def terbilang(self) -> str:
        """The value in words, as the BAST states it."""
        from core.formatting import terbilang

        return terbilang(self.value)


class HandoverLine(models.Model):
    """One kind of goods handed over, from the allocation, with its condition on the day."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="lines")
    goods = models.ForeignKey(GoodsItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("barang"))
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price = models.DecimalField(_("harga satuan"), **MONEY)
    total = models.DecimalField(_("jumlah harga"), **MONEY)
    condition = models.CharField(_("kondisi"), max_length=10, choices=Condition.choices, default=Condition.GOOD)

    class Meta:
        ordering = ["handover", "id"]

    def __str__(self):
        return f"{self.quantity} {self.goods} ({self.get_condition_display()})"


class HandoverDay(models.Model):
    """The delivered BASTs of a regency, program and handover date, with or without their signed scan (realised):
    counted and their value summed, one row per combination, kept by database triggers on the BASTs (migration
    0010, core.tally) whatever writes them. The dashboard's money, funnel and visit schedule count from these few
    rows per day (selectors.delivered_by_day) instead of every BAST of the year.
    tests/disbursements/test_handover_days.py compares them with a fresh count after every kind of write."""

    # No constraint, no cascade: the rows are counts, not records (a row that falls to 0 is removed).
    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    program = models.CharField(max_length=4, choices=Program.choices)
    handed_over_on = models.DateField()
    realised = models.BooleanField()
    n = models.IntegerField()
    value = models.DecimalField(**MONEY)
    # Of them, those with both the signed scan and the handover photo (migration 0012): the data-quality scorecard's
    # "BAST dengan pindaian dan foto".
    complete = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "regency", "program", "handed_over_on", "realised"], name="handoverday_unique"
            ),
        ]

    def __str__(self):
        return f"{self.regency_id} {self.program} {self.handed_over_on}: {self.n}"
