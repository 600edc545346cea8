"""Complaints (pengaduan) with LAPOR!/SP4N-style deadlines in working days."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_PERSON = "langsung", _("Datang langsung")
    PHONE = "telepon", _("Telepon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    LETTER = "surat", _("Surat")
    SOCIAL = "medsos", _("Media sosial")
    LAPOR = "lapor", _("LAPOR!/SP4N")
    VERIFICATION = "verifikasi", _("Hasil verifikasi pasca-penyaluran")
    WEB = "web", _("Halaman pengaduan (daring)")


class Category(models.TextChoices):
    NOT_TARGETED = "tidak_tepat_sasaran", _("Tidak tepat sasaran")
    NOT_RECEIVED = "belum_diterima", _("Bantuan belum diterima")
    GOODS = "barang", _("Barang kurang atau rusak")
    EXTORTION = "pungli", _("Pungutan liar")
    WRONG_DATA = "data_salah", _("Data salah")
    PERSONAL_DATA = "data_pribadi", _("Permintaan atas data pribadi (UU PDP)")
    OTHER = "lainnya", _("Lainnya")


# Categories only the province's admin and auditors see, never the regency named in them.
SENSITIVE_CATEGORIES = (Category.EXTORTION,)


class Complexity(models.TextChoices):
    """Decides the deadline to resolve, in working days (LAPOR!/SP4N practice)."""

    INFORMATION = "informasi", _("Permintaan informasi")
    SIMPLE = "sederhana", _("Pengaduan sederhana")
    NO_FIELD_CHECK = "tanpa_lapangan", _("Perlu penanganan tanpa cek lapangan")
    FIELD_CHECK = "cek_lapangan", _("Perlu cek lapangan")


RESOLVE_DAYS = {
    Complexity.INFORMATION: 5,
    Complexity.SIMPLE: 5,
    Complexity.NO_FIELD_CHECK: 14,
    Complexity.FIELD_CHECK: 60,
}
RESPOND_DAYS = 3


class Status(models.TextChoices):
    NEW = "baru", _("Baru")
    IN_PROGRESS = "ditindaklanjuti", _("Ditindaklanjuti")
    WAITING = "menunggu_pelapor", _("Menunggu jawaban pelapor")
    CLOSED = "selesai", _("Selesai")


class Outcome(models.TextChoices):
    PROVEN = "terbukti", _("Terbukti")
    PARTLY = "sebagian", _("Sebagian terbukti")
    NOT_PROVEN = "tidak_terbukti", _("Tidak terbukti")
    REFERRED = "dialihkan", _("Dialihkan")


class ComplaintCounter(models.Model):
    """The last tracking number of a year, taken under this row's lock: gap-free per year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    number = models.CharField(_("nomor pengaduan"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    received_on = models.DateField(_("tanggal diterima"))
    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices)
    lapor_ticket = models.CharField(_("nomor tiket LAPOR!"), max_length=40, blank=True)
    anonymous = models.BooleanField(_("pelapor tidak bersedia disebut namanya"), default=False)
    complainant_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    complainant_contact = models.CharField(_("kontak pelapor"), max_length=150, blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    complexity = models.CharField(
        _("jenis penanganan"), max_length=15, choices=Complexity.choices, default=Complexity.SIMPLE
    )
    description = models.TextField(_("uraian pengaduan"))
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    sensitive = models.BooleanField(
        _("rahasia"), default=False, help_text=_("Hanya Admin Provinsi dan Auditor yang dapat melihatnya.")
    )
    person = models.ForeignKey(
        "beneficiaries.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("penduduk"),
    )  # fmt: skip
    group = models.ForeignKey(
        "beneficiaries.KubeGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("KUBE"),
    )  # fmt: skip
    item = models.ForeignKey(
        "proposals.ProposalItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("usulan penerima"),
    )  # fmt: skip
    allocation = models.ForeignKey(
        "disbursements.Allocation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("alokasi"),
    )  # fmt: skip
    handover = models.ForeignKey(
        "disbursements.Handover", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("BAST"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(_("hasil"), max_length=15, choices=Outcome.choices, blank=True)
    respond_by = models.DateField(_("batas tanggapan pertama"))
    resolve_by = models.DateField(_("batas penyelesaian"))
    responded_at = models.DateTimeField(_("ditanggapi pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    secret = models.CharField(max_length=12, editable=False)  # with the number: the public status check
    # A keyed hash of the address a public complaint came from (never the address itself): the rate limit.
    source_address = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        permissions = [("view_sensitive_complaint", "Melihat pengaduan rahasia (pungli dan yang ditandai rahasia)")]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="complaint_sequence_unique"),
            models.CheckConstraint(
                condition=Q(status="selesai") & ~Q(outcome="") | ~Q(status="selesai") & Q(outcome=""),
                name="complaint_outcome_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "status", "sensitive"], name="complaint_scope_idx"),
            models.Index(fields=["status", "resolve_by"], name="complaint_deadline_idx"),
            models.Index(fields=["category", "status"], name="complaint_category_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("complaints:complaint_detail", kwargs={"pk": self.pk})

    @property
    def secret_grouped(self) -> str:
        """The code in groups of four, as the citizen reads it off the receipt: "ACDE-FGHJ-KMN"."""
        return "-".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class ComplaintStep(models.Model):
    """One step of the handling: a status change with its note; `public` notes are shown on the public page."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("catatan"))
    public = models.BooleanField(_("tampilkan kepada pelapor"), default=False)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["complaint", "at", "id"]

    def __str__(self):
        return f"{self.complaint}: {self.get_status_display()}"


class AttachmentKind(models.TextChoices):
    PHOTO = "foto", _("Foto")
    LETTER = "surat", _("Surat/dokumen (PDF)")


def _attachment_path(attachment, filename):
    return f"pengaduan/{attachment.complaint.year}/{filename}"


class ComplaintAttachment(models.Model):
    """A photo or a letter given with a complaint: checked by content, stored under our own name, served only to
    those who may see the complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("jenis"), max_length=5, choices=AttachmentKind.choices)
    file = models.FileField(_("berkas"), upload_to=_attachment_path)
    original_name = models.CharField(_("nama berkas asal"), max_length=150, blank=True)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    from_public = models.BooleanField(_("dari halaman publik"), default=False)
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["complaint", "uploaded_at", "id"]
        verbose_name = _("lampiran pengaduan")
        verbose_name_plural = _("lampiran pengaduan")

    def __str__(self):
        return f"{self.complaint}: {self.get_kind_display()} {self.original_name}"

    @property
    def content_type(self) -> str:
        return "application/pdf" if self.kind == AttachmentKind.LETTER else "image/jpeg"


class StatusLookupFailure(models.Model):
    """A wrong number-and-code on the public status page: counted per address (a keyed hash, never the address)
    and per complaint number, so guessing codes is throttled (services.complaint_lookup)."""

    address = models.CharField(max_length=32)
    number = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["address", "at"], name="lookup_failure_address_idx"),
            models.Index(fields=["number", "at"], name="lookup_failure_number_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.at:%d/%m/%Y %H:%M}"


class RefusedSubmission(models.Model):
    """A complaint from the public page that was refused (a file that is no photo or letter, a repeat, a form
    with mistakes): counted per address (a keyed hash) like the complaints themselves, so sending refused work
    again and again — each one costs the server a file check — is throttled too (services.public_submit_throttled)."""

    address = models.CharField(max_length=32)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["address", "at"], name="refused_submission_address_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.reason[:40]}"
