"""The choices of monitoring that its rules reason about (the graduation rule, the outcomes): plain enumerations,
no model, so that monitoring/graduation.py — pure rules — needs nothing of the database. The models use them and
re-export them (monitoring.models.BusinessStatus)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


# The BAST forbids selling or transferring the goods; lost goods are a finding too.
FINDING_CONDITIONS = (GoodsCondition.SOLD, GoodsCondition.TRANSFERRED, GoodsCondition.LOST)
KEPT_CONDITIONS = (GoodsCondition.USED, GoodsCondition.BROKEN)


class KubeStage(models.TextChoices):
    """The stages of a KUBE's growth (Kemensos, pedoman KUBE)."""

    GROWING = "tumbuh", _("Tumbuh")
    DEVELOPING = "berkembang", _("Berkembang")
    INDEPENDENT = "mandiri", _("Mandiri")


class Measure(models.TextChoices):
    """How a graduation criterion is assessed: from a visit's answers, or by the assessor."""

    RUNNING = "usaha_berjalan", _("Usaha berjalan pada kunjungan bulan ke-N")
    TURNOVER = "omzet", _("Omzet pada kunjungan bulan ke-N setidaknya ambang kabupaten/kota")
    GOODS_KEPT = "barang_terjaga", _("Barang dipakai dan terjaga pada semua kunjungan")
    KUBE_INDEPENDENT = "tahap_mandiri", _("Tahap KUBE \u201cMandiri\u201d pada kunjungan bulan ke-N")
    IKS_FUND = "dana_iks", _("Saldo dana IKS lebih dari nol pada kunjungan bulan ke-N")
    ASSESSOR = "penilai", _("Dinilai oleh penilai")


class Recommendation(models.TextChoices):
    GRADUATE = "lulus", _("Lulus")
    EXTEND = "perpanjang", _("Perpanjang pendampingan")
    EXIT = "keluar", _("Keluar")
