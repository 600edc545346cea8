import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class Proposal(models.Model):
    """A regency's Usulan for one program in one budget year: the list of proposed people (WRSE) or
    KUBE groups, with the cover letter and the village-meeting minutes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        IN_REVIEW = "in_review", _("Diverifikasi")
        FINALISED = "finalised", _("Selesai")

    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("kabupaten/kota")
    )
    budget_year = models.ForeignKey(
        "programs.BudgetYear", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("tahun anggaran")
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    cover_letter = models.FileField(_("surat pengantar"), upload_to="usulan/surat/", blank=True)
    minutes = models.FileField(
        _("berita acara musyawarah desa/kelurahan"), upload_to="usulan/berita-acara/", blank=True
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-budget_year__year", "regency", "program"]
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        constraints = [
            models.UniqueConstraint(fields=["regency", "budget_year", "program"], name="proposal_one_per_program"),
        ]
        indexes = [models.Index(fields=["status", "budget_year"], name="proposal_status_idx")]

    def __str__(self):
        return f"Usulan {self.program} {self.regency} {self.budget_year.year}"

    def get_absolute_url(self):
        return reverse("proposals:proposal_detail", kwargs={"pk": self.pk})

    @property
    def status_label(self) -> str:
        """The status as lists show it: a draft that came back from the province with returned items is
        "Dikembalikan", not "Draf" (uses the `returned_count` of `selectors.counted` when present)."""
        if self.status == self.Status.DRAFT:
            returned = getattr(self, "returned_count", None)
            if returned is None:
                returned = self.items.filter(status=ItemStatus.RETURNED).count()
            if returned:
                return str(ItemStatus.RETURNED.label)
        return self.get_status_display()


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    APPROVED = "approved", _("Disetujui")
    RETURNED = "returned", _("Dikembalikan")
    REJECTED = "rejected", _("Ditolak")


class ProposalItem(models.Model):
    """One proposed recipient: a person (WRSE) or a KUBE group. An approved item is a Penerima Manfaat
    of that budget year."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("usulan"),
        db_index=False,  # the unique constraints and the status/checks indexes lead with it
    )
    person = models.ForeignKey(
        "beneficiaries.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal_items",
        verbose_name=_("penerima"),
    )
    group = models.ForeignKey(
        "beneficiaries.KubeGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal_items",
        verbose_name=_("KUBE"),
        db_index=False,  # proposalitem_group_idx: the KUBE items only (a WRSE item has none)
    )
    business_type = models.ForeignKey(
        "programs.BusinessType", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("jenis usaha")
    )
    # The officer's own words when the catalogue had no match (business_type is then "Lainnya").
    business_type_other = models.CharField(_("jenis usaha lainnya"), max_length=100, blank=True)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    # Automatic checks: [{"code", "level": "error"|"warning", "message"}], recomputed on every change.
    checks = models.JSONField(_("hasil pemeriksaan"), default=list, blank=True)
    has_errors = models.BooleanField(_("ada kesalahan"), default=False)
    has_warnings = models.BooleanField(_("ada peringatan"), default=False)
    reason = models.TextField(_("alasan"), blank=True)
    review_flag = models.TextField(
        _("perlu ditinjau"),
        blank=True,
        db_default="",
        help_text=_("Dicatat dari pengaduan yang terbukti (tidak tepat sasaran)."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # proposalitem_decided_by_idx: the decided items only
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    source_row = models.PositiveIntegerField(_("baris di berkas Excel"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("calon penerima usulan")
        verbose_name_plural = _("calon penerima usulan")
        permissions = [("decide_proposalitem", "Dapat memverifikasi calon penerima")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, group__isnull=True) | Q(person__isnull=True, group__isnull=False),
                name="proposalitem_person_xor_group",
            ),
            models.UniqueConstraint(fields=["proposal", "person"], name="proposalitem_unique_person"),
            models.UniqueConstraint(
                fields=["proposal", "group"], condition=Q(group__isnull=False), name="proposalitem_unique_group"
            ),
        ]
        indexes = [
            # Without INCLUDE (the counts are ItemCount's now): its equal entries are deduplicated again.
            models.Index(fields=["proposal", "status"], name="proposalitem_status_idx"),
            models.Index(fields=["proposal", "has_errors", "has_warnings"], name="proposalitem_checks_idx"),
            # A proposal's page in its order (keyset by id): read in order and stopped at its hundred rows, also right
            # after an import of 10,000, before the statistics know them (which made the planner join all of them).
            models.Index(fields=["proposal", "id"], name="proposalitem_page_idx"),
            # Partial: an index entry for each WRSE item's empty group, or each pending item's empty decider, serves
            # no query (nothing asks for the items without one by these indexes) and costs every import its upkeep.
            models.Index(fields=["group"], condition=Q(group__isnull=False), name="proposalitem_group_idx"),
            models.Index(
                fields=["decided_by"], condition=Q(decided_by__isnull=False), name="proposalitem_decided_by_idx"
            ),
        ]

    def __str__(self):
        return str(self.person or self.group)

    @property
    def age(self) -> int | None:
        """The person's age on 1 January of the budget year (the WRSE rule's reference date)."""
        if not self.person_id:
            return None
        return self.person.age_on(datetime.date(self.proposal.budget_year.year, 1, 1))

    @property
    def business_type_label(self) -> str:
        """The jenis usaha as pages show it: "Lainnya: Jual Ikan Bakar" keeps the officer's own words."""
        if self.business_type_other:
            return f"Lainnya: {self.business_type_other}"
        return str(self.business_type) if self.business_type_id else ""

    @property
    def subject(self):
        return self.person or self.group

    def errors(self) -> list[dict]:
        return [c for c in self.checks if c.get("level") == "error"]

    def warnings(self) -> list[dict]:
        return [c for c in self.checks if c.get("level") == "warning"]


class ItemCount(models.Model):
    """How many items of a proposal are in each status, with and without errors and warnings: one row per
    combination, kept by database triggers on the items (migration 0006), whatever writes them — the ORM,
    bulk_set, the import's COPY, a cascade. The counts beside a list of proposals (selectors.counted) read these
    few rows instead of counting every item (100,000 items of ten proposals: 0.1 ms against 15 ms).
    tests/proposals/test_item_counts.py compares them with a fresh count after every kind of write."""

    # No constraint, no cascade: a deleted proposal's rows go with its items (the trigger drops rows that reach 0).
    proposal = models.ForeignKey(
        Proposal, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ItemStatus.choices)
    has_errors = models.BooleanField()
    has_warnings = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "status", "has_errors", "has_warnings"], name="itemcount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} {self.status} {self.has_errors}/{self.has_warnings}: {self.n}"


class ProposedPerson(models.Model):
    """Each person a budget year's proposals name — the WRSE woman, or every member of a proposed KUBE
    group. Unique per year, so a person is proposed at most once per budget year across both programs
    and all regencies, guaranteed by the database."""

    # A copy of its item's proposal's year, for the constraint below, written with the item. No foreign key of its
    # own: the item's key and its proposal's year key hold it (docs/decisions/0011-foreign-keys-of-copies.md).
    budget_year = models.ForeignKey(
        "programs.BudgetYear",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # proposedperson_once_per_year leads with it
    )
    person = models.ForeignKey("beneficiaries.Person", on_delete=models.PROTECT, related_name="proposed_in")
    item = models.ForeignKey(ProposalItem, on_delete=models.CASCADE, related_name="proposed_people")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "person"], name="proposedperson_once_per_year"),
        ]

    def __str__(self):
        return f"{self.person_id} @ {self.budget_year_id}"


class Upload(models.Model):
    """One workbook an officer uploaded for a proposal: what it held, what was wrong, whether it was saved."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Diperiksa")
        COMMITTED = "committed", _("Disimpan")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to="usulan/unggahan/")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    row_count = models.PositiveIntegerField(default=0)
    # [{"row", "column", "header", "message", "level": "error"|"warning"}]; no level means error (older uploads)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["proposal", "sha256"], name="upload_sha_idx")]

    def __str__(self):
        return self.filename

    @property
    def errors(self) -> list[dict]:
        """The problems that keep their rows out of the proposal."""
        return [p for p in self.problems if p.get("level", "error") == "error"]

    @property
    def warnings(self) -> list[dict]:
        """Findings shown to the officer that do not stop a row being saved."""
        return [p for p in self.problems if p.get("level", "error") != "error"]
