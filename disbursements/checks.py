"""Database checks of the disbursements (run by `manage.py migrate`, and by `manage.py check --database default`)."""

from django.core import checks
from django.db import DatabaseError

VOIDED_WITH_GOODS_GIVEN = (
    "{n} BAST masih berlaku untuk alokasi yang sudah dibatalkan (nomor: {numbers}). Sejak pembatalan alokasi menunggu "
    "BAST-nya dibatalkan dulu, keadaan ini tidak terjadi lagi; data lama ini membuat dasbor menghitung barang "
    "diserahkan tanpa alokasinya, dan nilainya sudah kembali ke sisa pagu. Periksa setiap BAST: batalkan BAST-nya bila "
    "barang memang tidak diserahkan."
)


def handed_over_yet_voided(app_configs=None, databases=None, **kwargs):
    """Delivered BASTs whose allocation was voided — allowed before allocation_void refused it. The dashboard counts
    an item as allocated by its active allocation and as delivered by its realised BAST, so such a pair (from before)
    is shown to whoever migrates or checks, with the BAST numbers to look at."""
    from disbursements.models import Allocation, Handover

    found = []
    for alias in databases or []:
        given = Handover.objects.using(alias).filter(
            status=Handover.Status.DELIVERED, allocation__status=Allocation.Status.VOID
        )
        try:
            n = given.count()
            numbers = list(given.order_by("number").values_list("number", flat=True)[:10]) if n else []
        except DatabaseError:  # the tables do not exist yet (a first migrate)
            continue
        if n:
            shown = ", ".join(numbers) + (", …" if n > len(numbers) else "")
            found.append(checks.Warning(VOIDED_WITH_GOODS_GIVEN.format(n=n, numbers=shown), id="disbursements.W001"))
    return found
