from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.formatting import choice_label


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class VillageKind(models.TextChoices):
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class Regency(models.Model):
    """A kabupaten/kota of Kalimantan Timur, keyed by its Kemendagri code (also the NIK prefix)."""

    code = models.CharField(_("kode Kemendagri"), max_length=5, primary_key=True)
    bps_code = models.CharField(_("kode BPS"), max_length=4, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegencyKind.choices)
    population_male = models.PositiveIntegerField(_("penduduk laki-laki"), default=0)
    population_female = models.PositiveIntegerField(_("penduduk perempuan"), default=0)
    population_total = models.PositiveIntegerField(_("jumlah penduduk"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("regions:regency_detail", kwargs={"code": self.code})

    @property
    def full_name(self) -> str:
        """'Kabupaten Paser', 'Kota Samarinda'."""
        return f"{choice_label(RegencyKind, self.kind)} {self.name}"

    @property
    def nik_prefix(self) -> str:
        """The 4 digits a NIK registered here starts with ('64.72' -> '6472')."""
        return self.code.replace(".", "")


class District(models.Model):
    """A kecamatan."""

    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("kabupaten/kota")
    )
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name


class Village(models.Model):
    """A desa (rural, code suffix 2xxx) or kelurahan (urban, code suffix 1xxx)."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=VillageKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self):
        return f"{choice_label(VillageKind, self.kind)} {self.name}"
