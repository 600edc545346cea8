from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left, Upper
from django.utils.translation import gettext_lazy as _

from core.formatting import choice_label
from core.urls import pk_url

DIGITS = RegexValidator(r"^\d*$", _("Hanya angka."))


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class MaritalStatus(models.TextChoices):
    SINGLE = "belum_kawin", _("Belum Kawin")
    MARRIED = "kawin", _("Kawin")
    DIVORCED = "cerai_hidup", _("Cerai Hidup")
    WIDOWED = "cerai_mati", _("Cerai Mati")


CURRENT = Q(merged_into__isnull=True)


class PersonQuerySet(models.QuerySet):
    def current(self):
        """People not merged into another record."""
        return self.filter(CURRENT)


# Who a person is and where she lives, as the registry keeps it: the one list of these fields, in this order, for the
# edit form (services.PERSON_FIELDS), the people workbook, the bulk write of an import and the synthetic registry.
PERSON_IDENTITY = [
    "nik",
    "kk_number",
    "full_name",
    "sex",
    "birth_place",
    "birth_date",
    "marital_status",
    "address",
    "rt",
    "rw",
]


class Person(models.Model):
    """A resident in the registry (Penduduk / Calon Penerima). NIK and No. KK are 16-digit strings."""

    # Their checks (16 digits, NIK rules) are in beneficiaries.identity, run by the services with messages
    # that say what is wrong; the database refuses anything but 16 digits all the same.
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kk_number = models.CharField(_("No. KK"), max_length=16)  # indexed below (exact match only)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100)
    birth_date = models.DateField(_("tanggal lahir"))
    marital_status = models.CharField(_("status perkawinan"), max_length=12, choices=MaritalStatus.choices)
    address = models.CharField(_("alamat"), max_length=255)
    rt = models.CharField(_("RT"), max_length=3, blank=True, validators=[DIGITS])
    rw = models.CharField(_("RW"), max_length=3, blank=True, validators=[DIGITS])
    # No single-column indexes on these three: the list indexes below lead with them.
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("desa/kelurahan"),
        db_index=False,
    )
    # Copied from the village by the services: scoping and the list filters use them without joins. The database
    # holds them to the village by its code (person_regions_of_village: a Kemendagri code starts with its
    # district's and regency's), which is stricter than a foreign key each and costs no check per written row at
    # COMMIT (docs/decisions/0011-foreign-keys-of-copies.md).
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("kecamatan"),
        db_index=False,
        db_constraint=False,
    )
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("kabupaten/kota"),
        db_index=False,
        db_constraint=False,
    )
    phone = models.CharField(_("no. HP"), max_length=14, blank=True)
    dtks_id = models.CharField(_("ID DTKS/DTSEN"), max_length=32, blank=True)
    desil = models.PositiveSmallIntegerField(
        _("desil"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    last_assisted_year = models.PositiveSmallIntegerField(
        _("tahun terakhir menerima bantuan"),
        null=True,
        blank=True,
        help_text=_("Diisi otomatis saat penyaluran; isi manual untuk bantuan sebelum sistem ini."),
    )
    graduated_year = models.PositiveSmallIntegerField(
        _("tahun lulus (graduasi)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Diisi saat penilaian graduasi \u201clulus\u201d disetujui provinsi."),
    )
    name_key = models.CharField(max_length=150, editable=False, db_index=False)
    # UU 27/2022 (privacy): processing restricted at the person's request (Art. 41): no new proposal while set; and
    # the moment the person was erased (Art. 43-44): anonymised, their records kept so every total stays.
    restricted_at = models.DateTimeField(_("pemrosesan dibatasi sejak"), null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(_("dihapus (dianonimkan) pada"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        verbose_name=_("digabung ke"),
        db_index=False,  # almost always NULL; lists use partial indexes on "IS NULL" instead
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        permissions = [
            ("view_full_nik", "Dapat melihat NIK lengkap"),
            ("merge_person", "Dapat memeriksa dan menggabungkan data ganda"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(nik__regex=r"^[0-9]{16}$"), name="person_nik_16_digits"),
            models.CheckConstraint(condition=Q(kk_number__regex=r"^[0-9]{16}$"), name="person_kk_16_digits"),
            models.CheckConstraint(condition=Q(desil__gte=1, desil__lte=10), name="person_desil_1_10"),
            models.CheckConstraint(condition=Q(sex__in=["L", "P"]), name="person_sex_l_p"),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="person_not_merged_into_self"),
            models.CheckConstraint(
                condition=Q(district=Left("village", 8), regency=Left("village", 5)), name="person_regions_of_village"
            ),
        ]
        indexes = [
            # The list's keyset order, unfiltered and per region level. Partial (current people only, as
            # every list is), so a page's ids come from an index-only scan that also filters the name. The province's
            # and the regency's (where an officer searches by name) carry the upper-cased name too (last, so the order
            # is unchanged): a name search (UPPER(full_name) LIKE …) reads it from the index instead of upper-casing
            # every name it passes, two thirds of the scan (a search in one regency of 1,000,000 people: 2.3 ms instead
            # of 4.8). Not the kecamatan's and desa's: their ranges are short, and each such index costs every import.
            models.Index(F("full_name"), F("id"), Upper("full_name"), name="person_name_id_idx", condition=CURRENT),
            models.Index(
                F("regency"),
                F("full_name"),
                F("id"),
                Upper("full_name"),
                name="person_regency_name_idx",
                condition=CURRENT,
            ),
            models.Index(fields=["district", "full_name", "id"], name="person_district_name_idx", condition=CURRENT),
            models.Index(fields=["village", "full_name", "id"], name="person_village_name_idx", condition=CURRENT),
            # By sex in name order: names and sex go together (Abdul, Ahmad, Agus … before Siti, Sri), so "women aged
            # 40–49" walked 25,000 men of the province's name order for a page of 51 (79 ms at 1,000,000 people;
            # 0.3 ms on this index). A regency's list keeps its own order index: its walk is a tenth as long.
            models.Index(fields=["sex", "full_name", "id"], name="person_sex_name_idx", condition=CURRENT),
            models.Index(fields=["sex", "birth_date"], name="person_sex_birth_idx"),
            models.Index(fields=["birth_date"], name="person_birth_idx"),
            models.Index(fields=["desil"], name="person_desil_idx"),
            # Who was merged into whom: few rows, but the foreign key's check on every deleted person reads it (a
            # sequential scan of the registry per person without it: 9,000 people removed took 13 minutes at 111,000).
            models.Index(fields=["merged_into"], name="person_merged_into_idx", condition=~CURRENT),
            # The people assisted before ("Pernah dibantu: ya"); most of the registry never was, and an entry for each
            # of them served no query and cost every import's new person its upkeep.
            models.Index(
                fields=["last_assisted_year"],
                name="person_assisted_idx",
                condition=Q(last_assisted_year__isnull=False),
            ),
            # Possible duplicates: near-identical names in one village; same KK + name + birth date.
            models.Index(fields=["village", "name_key"], name="person_village_namekey_idx"),
            # Family card: looked up by exact number only, so no pattern index beside it.
            models.Index(fields=["kk_number"], name="person_kk_idx"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return pk_url("beneficiaries:person_detail", self.pk)  # every row of the people list prints it

    @property
    def sex_label(self) -> str:
        """get_sex_display for lists (see core.formatting.choice_label)."""
        return choice_label(Sex, self.sex)

    @property
    def listed_name(self) -> str:
        """The name field pages and named lists show: the restriction's label while processing is restricted."""
        from beneficiaries.identity import name_and_nik

        return name_and_nik(self, str)[0]

    @property
    def masked_nik(self) -> str:
        from beneficiaries.identity import mask_nik

        return mask_nik(self.nik)

    @property
    def masked_kk(self) -> str:
        from beneficiaries.identity import mask_nik

        return mask_nik(self.kk_number)

    def age_on(self, day) -> int:
        """Full years of age on `day`."""
        from beneficiaries.identity import age_on

        return age_on(self.birth_date, day)


class KubeGroup(models.Model):
    """A Kelompok Usaha Bersama: 5–10 poor households (bounds per budget year) running one business,
    with exactly one ketua, sekretaris and bendahara."""

    name = models.CharField(_("nama KUBE"), max_length=150)
    business_type = models.ForeignKey(
        "programs.BusinessType", on_delete=models.PROTECT, related_name="kube_groups", verbose_name=_("jenis usaha")
    )
    village = models.ForeignKey(
        "regions.Village", on_delete=models.PROTECT, related_name="kube_groups", verbose_name=_("desa/kelurahan")
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="kube_groups", verbose_name=_("kecamatan")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="kube_groups", verbose_name=_("kabupaten/kota")
    )
    founded = models.DateField(_("tanggal berdiri"), null=True, blank=True)
    address = models.CharField(_("alamat sekretariat"), max_length=255, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    graduated_year = models.PositiveSmallIntegerField(
        _("tahun lulus (graduasi)"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("kelompok KUBE")
        verbose_name_plural = _("kelompok KUBE")
        constraints = [
            # One village does not hold two active groups of the same name (re-submitting creates none).
            models.UniqueConstraint(
                fields=["village", "name"], condition=Q(is_active=True), name="kubegroup_unique_active_name"
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "name", "id"], name="kubegroup_regency_name_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return pk_url("beneficiaries:group_detail", self.pk)

    @property
    def label(self) -> str:
        """'KUBE Tepian Sejahtera' whether or not the name already starts with KUBE."""
        return self.name if self.name.upper().startswith("KUBE") else f"KUBE {self.name}"


class MemberRole(models.TextChoices):
    CHAIR = "ketua", _("Ketua")
    SECRETARY = "sekretaris", _("Sekretaris")
    TREASURER = "bendahara", _("Bendahara")
    MEMBER = "anggota", _("Anggota")


OFFICER_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER)


class KubeMember(models.Model):
    """A person's membership of a KUBE group, with their role in it."""

    group = models.ForeignKey(KubeGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("KUBE"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="kube_memberships", verbose_name=_("anggota")
    )
    role = models.CharField(_("jabatan"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    # Mirrors the group's is_active so the database itself keeps a person in one active group.
    group_active = models.BooleanField(default=True, editable=False)
    joined_at = models.DateTimeField(_("bergabung"), auto_now_add=True)

    class Meta:
        ordering = ["group", "id"]
        verbose_name = _("anggota KUBE")
        verbose_name_plural = _("anggota KUBE")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(group_active=True), name="kubemember_one_active_group"
            ),
            models.UniqueConstraint(fields=["group", "person"], name="kubemember_unique_person"),
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=Q(role__in=["ketua", "sekretaris", "bendahara"]),
                name="kubemember_one_per_officer_role",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.group})"


class DuplicateDismissal(models.Model):
    """A verifier's word that two similar records are two different people ("bukan duplikat")."""

    person_low = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukan duplikat")
        verbose_name_plural = _("bukan duplikat")
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="duplicatedismissal_unique_pair"),
            models.CheckConstraint(condition=Q(person_low__lt=F("person_high")), name="duplicatedismissal_ordered"),
        ]

    def __str__(self):
        return f"{self.person_low_id} ≠ {self.person_high_id}"


class DuplicateGroup(models.Model):
    """A set of current people who may be one person, as found by the last scan (beneficiaries.duplicates): the
    same No. KK, name key and birth date, or the same name key in one desa/kelurahan. Only the keys are kept: the
    people are read afresh on the page, so a person merged or corrected since drops out at once."""

    class Rule(models.TextChoices):
        KK = "kk", _("No. KK, nama dan tanggal lahir sama")
        VILLAGE = "desa", _("Nama hampir sama di desa/kelurahan yang sama")

    rule = models.CharField(max_length=4, choices=Rule.choices)
    kk_number = models.CharField(max_length=16, blank=True)
    name_key = models.CharField(max_length=150)
    birth_date = models.DateField(null=True, blank=True)
    village = models.ForeignKey("regions.Village", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("kelompok kemungkinan duplikat")
        verbose_name_plural = _("kelompok kemungkinan duplikat")
        indexes = [
            models.Index(fields=["rule", "kk_number"], name="dupgroup_kk_idx"),
            models.Index(fields=["rule", "village", "name_key"], name="dupgroup_village_idx"),
        ]

    def __str__(self):
        return f"{self.get_rule_display()}: {self.name_key}"


class DuplicateScan(models.Model):
    """One run of the possible-duplicates scan: when, how long, how many groups, who asked (none: the nightly)."""

    finished_at = models.DateTimeField(auto_now_add=True)
    groups = models.PositiveIntegerField()
    seconds = models.DecimalField(max_digits=8, decimal_places=2)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-finished_at"]
        verbose_name = _("pemeriksaan duplikat")
        verbose_name_plural = _("pemeriksaan duplikat")

    def __str__(self):
        return f"{self.finished_at:%Y-%m-%d %H:%M}: {self.groups}"
