"""A person's requests under the Personal Data Protection law (UU 27/2022): access (Art. 32), correction (Art. 30),
restriction (Art. 41), deletion (Art. 43–44) and objection to automated processing — each answered within 3×24
hours (calendar hours, unlike complaints' working days) by the Petugas Pelindungan Data (Art. 53)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ANSWER_HOURS = 72  # 3×24 jam


class Kind(models.TextChoices):
    ACCESS = "akses", _("Akses (salinan data pribadi)")
    CORRECTION = "perbaikan", _("Perbaikan data")
    RESTRICTION = "pembatasan", _("Pembatasan pemrosesan")
    DELETION = "penghapusan", _("Penghapusan")
    OBJECTION = "keberatan", _("Keberatan atas pemrosesan otomatis")


class Channel(models.TextChoices):
    COUNTER = "loket", _("Datang langsung (loket)")
    LETTER = "surat", _("Surat")
    EMAIL = "email", _("Surel")
    COMPLAINT = "pengaduan", _("Halaman pengaduan")


class Status(models.TextChoices):
    OPEN = "baru", _("Belum dijawab")
    DONE = "selesai", _("Dijawab / dipenuhi")
    REFUSED = "ditolak", _("Ditolak dengan alasan")


class SubjectRequest(models.Model):
    """One request from (or for) a person in the registry: who asked, how their identity was checked, what they ask."""

    person = models.ForeignKey(
        "beneficiaries.Person", on_delete=models.PROTECT, related_name="subject_requests", verbose_name=_("penduduk")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    kind = models.CharField(_("jenis permintaan"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("diterima melalui"), max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    received_at = models.DateTimeField(_("diterima pada"))
    requester_name = models.CharField(_("nama pemohon"), max_length=150)
    on_behalf = models.BooleanField(_("diajukan oleh kuasa/keluarga"), default=False)
    identity_check = models.CharField(
        _("pemeriksaan identitas"), max_length=255, help_text=_("Mis. KTP asli dicocokkan dengan data; surat kuasa.")
    )
    description = models.TextField(_("isi permintaan"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("jawaban / alasan"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="subject_requests",
        verbose_name=_("dari pengaduan"), help_text=_("Permintaan yang masuk lewat halaman pengaduan."),
    )  # fmt: skip
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")
        permissions = [("handle_subjectrequest", "Menangani permintaan subjek data (Petugas Pelindungan Data)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="baru") | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="subjectrequest_answered",
            )
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="subjectrequest_open_idx")]

    def __str__(self):
        return f"Permintaan {self.get_kind_display().split(' (')[0].lower()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("privacy:request_detail", kwargs={"pk": self.pk})

    @property
    def due_at(self) -> datetime.datetime:
        return self.received_at + datetime.timedelta(hours=ANSWER_HOURS)


class ProcessingActivity(models.Model):
    """One entry of the record of processing (Art. 31): what the system does with personal data, why, on what legal
    basis, about whom, which data, to whom it goes, how long it is kept and how it is protected. Kept as data, filled
    by a migration for today's activities; the Petugas Pelindungan Data keeps it current in the admin."""

    name = models.CharField(_("kegiatan pemrosesan"), max_length=150, unique=True)
    purpose = models.TextField(_("tujuan"))
    legal_basis = models.TextField(_("dasar hukum"))
    subjects = models.CharField(_("subjek data"), max_length=255)
    data = models.TextField(_("jenis data pribadi"))
    recipients = models.CharField(_("penerima data"), max_length=255, blank=True)
    retention = models.CharField(_("masa retensi"), max_length=255)
    safeguards = models.TextField(_("pengamanan"))
    automated = models.CharField(
        _("keputusan otomatis"), max_length=255, blank=True,
        help_text=_("Bila ada penilaian atau pencocokan otomatis: apa, dan bagaimana orang mengajukan keberatan."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kegiatan pemrosesan")
        verbose_name_plural = _("catatan kegiatan pemrosesan")

    def __str__(self):
        return self.name


class Breach(models.Model):
    """A suspected breach of personal data (Art. 46): what, when it was found, which records and how many people,
    the cause and the measures — and the written notices, due 3×24 hours after discovery, to the people affected and
    to the supervisory body."""

    title = models.CharField(_("judul"), max_length=200)
    found_at = models.DateTimeField(_("diketahui pada"))
    exposed_from = models.DateTimeField(_("kemungkinan terjadi sejak"), help_text=_("Awal periode yang diperiksa."))
    description = models.TextField(_("apa yang terjadi"), help_text=_("Bagaimana data terungkap, oleh siapa, ke mana."))
    data_exposed = models.TextField(_("data pribadi yang terungkap"))
    people_count = models.PositiveIntegerField(_("perkiraan jumlah orang terdampak"), default=0)
    cause = models.TextField(_("penyebab"), blank=True)
    measures = models.TextField(_("upaya penanganan dan pemulihan"), blank=True)
    people = models.ManyToManyField(
        "beneficiaries.Person", blank=True, related_name="+", verbose_name=_("orang terdampak yang diketahui"),
        help_text=_("Satu surat pemberitahuan dicetak untuk setiap orang."),
    )  # fmt: skip
    people_notified_at = models.DateTimeField(_("pemberitahuan ke subjek data"), null=True, blank=True)
    authority_notified_at = models.DateTimeField(_("pemberitahuan ke lembaga pengawas"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("insiden kebocoran data")
        verbose_name_plural = _("register insiden kebocoran data")
        constraints = [models.CheckConstraint(condition=Q(exposed_from__lte=models.F("found_at")),
                                              name="breach_exposed_before_found")]  # fmt: skip

    def __str__(self):
        return f"Insiden #{self.pk}: {self.title}"

    def get_absolute_url(self):
        return reverse("privacy:breach_detail", kwargs={"pk": self.pk})

    @property
    def notify_by(self) -> datetime.datetime:
        return self.found_at + datetime.timedelta(hours=ANSWER_HOURS)


class RetentionRule(models.Model):
    """How long one kind of record is kept, and on what basis (data, never code): past it, the monthly task proposes
    its destruction and the Petugas Pelindungan Data approves it."""

    class Kind(models.TextChoices):
        CANDIDATES = "calon", _("Calon penerima yang tidak pernah disetujui")
        UPLOADS = "unggahan", _("Berkas unggahan usulan (lembar kerja)")
        RECIPIENTS = "penerima", _("Penerima bantuan (identitas, sesudah masa arsip keuangan)")
        ATTACHMENTS = "lampiran", _("Lampiran pengaduan (foto, surat)")
        PHOTOS = "foto", _("Foto kunjungan monev")

    kind = models.CharField(_("jenis data"), max_length=10, choices=Kind.choices, unique=True)
    keep_years = models.PositiveSmallIntegerField(_("disimpan (tahun setelah tahun anggaran)"), null=True, blank=True)
    keep_days = models.PositiveSmallIntegerField(_("disimpan (hari setelah diunggah)"), null=True, blank=True)
    legal_basis = models.TextField(_("dasar retensi"))

    class Meta:
        ordering = ["kind"]
        verbose_name = _("masa retensi")
        verbose_name_plural = _("masa retensi")

    def __str__(self):
        period = f"{self.keep_years} tahun" if self.keep_years is not None else f"{self.keep_days} hari"
        return f"{self.get_kind_display()}: {period}"

    @property
    def period_label(self) -> str:
        if self.keep_years is None:
            return f"{self.keep_days} hari setelah diunggah"
        since = {self.Kind.ATTACHMENTS: "pengaduan selesai", self.Kind.PHOTOS: "tahun anggaran BAST-nya",
                 self.Kind.RECIPIENTS: "tahun anggaran BAST terakhirnya"}  # fmt: skip
        return f"{self.keep_years} tahun setelah {since.get(self.kind, 'tahun anggaran')}"


class DestructionReport(models.Model):
    """A berita acara pemusnahan: what passed its retention period (counts per kind, never the data), proposed by the
    monthly task, approved and carried out by the Petugas Pelindungan Data."""

    class Status(models.TextChoices):
        PROPOSED = "usulan", _("Menunggu persetujuan")
        DONE = "selesai", _("Dimusnahkan")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(_("diusulkan pada"), auto_now_add=True)
    counts = models.JSONField(_("jumlah per jenis"), default=dict)
    done_at = models.DateTimeField(_("dimusnahkan pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("berita acara pemusnahan")
        verbose_name_plural = _("berita acara pemusnahan")

    def __str__(self):
        return f"Berita acara pemusnahan #{self.pk}"

    def get_absolute_url(self):
        return reverse("privacy:destruction_report", kwargs={"pk": self.pk})
