"""Rows of the budget and allocation workbooks (the writing itself is core.excel.ReportWriter)."""

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from beneficiaries.identity import name_and_nik
from core.excel import Column, Total
from disbursements.models import Allocation, AllocationLine
from disbursements.selectors import BudgetOverview

ABSORPTION_COLUMNS = [
    Column("Kabupaten/Kota", 24),
    Column("Program", 8),
    Column("Pagu", 18, "rupiah"),
    Column("Target", 9, "number"),
    Column("Disetujui", 10, "number"),
    Column("Teralokasi", 18, "rupiah"),
    Column("Realisasi", 18, "rupiah"),
    Column("Sisa Pagu", 18, "rupiah"),
    Column("% Penyerapan", 12, "number"),
]


def _percent(part: Decimal, whole: Decimal) -> float:
    return round(float(part) * 100 / float(whole), 2) if whole else 0.0


def absorption_rows(overview: BudgetOverview) -> Iterator[list]:
    """One row per regency × program, then the totals as values (no formulas: the file is a record).
    Realised is the value of delivered handovers; absorption is realised ÷ ceiling (GLOSSARY)."""
    for row in overview.rows:
        ceiling = row.ceiling
        amount = ceiling.amount if ceiling else Decimal(0)
        committed = ceiling.committed if ceiling else Decimal(0)
        realised = row.realised
        yield [
            str(row.regency),
            row.program,
            amount,
            ceiling.target_count if ceiling else 0,
            row.approved,
            committed,
            realised,
            amount - committed,
            _percent(realised, amount),
        ]
    totals = overview.totals
    yield Total(
        [
            "JUMLAH",
            "",
            totals["amount"],
            totals["target"],
            totals["approved"],
            totals["committed"],
            totals["realised"],
            totals["remaining"],
            _percent(totals["realised"], totals["amount"]),
        ]
    )


ALLOCATION_COLUMNS = [
    Column("No", 6, "number"),
    Column("No Alokasi", 10, "number"),
    Column("Tanggal", 12, "date"),
    Column("Kabupaten/Kota", 22),
    Column("Program", 8),
    Column("Penerima", 30),
    Column("NIK / Desa", 22, "identity"),
    Column("Paket", 24),
    Column("Barang", 30),
    Column("Jumlah", 8, "number"),
    Column("Satuan", 8),
    Column("Harga Satuan", 16, "rupiah"),
    Column("Jumlah Harga", 16, "rupiah"),
    Column("Status", 11),
]


def allocation_rows(queryset: QuerySet[Allocation], *, mask) -> Iterator[list]:
    """One row per goods line of each allocation, in chunks (constant memory), then the total of the active
    ones. `mask` turns a NIK into what this user may see."""
    from django.utils import timezone

    lines = Prefetch("lines", queryset=AllocationLine.objects.select_related("goods"))
    number = 0
    total = Decimal(0)
    for allocation in queryset.prefetch_related(lines).iterator(chunk_size=1000):
        item = allocation.item
        who, where = name_and_nik(item.person, mask) if item.person_id else (item.group.name, str(item.group.village))
        for line in allocation.lines.all():
            number += 1
            if allocation.status == Allocation.Status.ACTIVE:
                total += line.total
            yield [
                number,
                allocation.pk,
                timezone.localtime(allocation.created_at).date(),
                str(allocation.regency),
                allocation.program,
                who,
                where,
                str(allocation.package or ""),
                line.goods.name,
                line.quantity,
                line.goods.get_unit_display(),
                line.unit_price,
                line.total,
                allocation.get_status_display(),
            ]
    yield Total(
        [None, None, None, "JUMLAH (alokasi aktif)", None, None, None, None, None, None, None, None, total, None]
    )


HANDOVER_COLUMNS = [
    Column("No", 6, "number"),
    Column("Nomor BAST", 28),
    Column("Tanggal", 12, "date"),
    Column("Kabupaten/Kota", 22),
    Column("Program", 8),
    Column("Pihak Kedua", 28),
    Column("Kedudukan", 26),
    Column("Barang", 48),
    Column("Nilai", 16, "rupiah"),
    Column("Foto", 7),
    Column("Pindaian BAST", 9),
    Column("Status", 11),
]


def handover_rows(queryset) -> Iterator[list]:
    """One row per BAST (goods listed in one cell), in chunks, then the total of the delivered ones."""

    total = Decimal(0)
    number = 0
    for handover in queryset.iterator(chunk_size=1000):
        number += 1
        if handover.is_realised:
            total += handover.value
        goods = "; ".join(
            f"{line.quantity} {line.goods.get_unit_display()} {line.goods.name}" for line in handover.lines.all()
        )
        yield [
            number,
            handover.number,
            handover.handed_over_on,
            str(handover.regency),
            handover.program,
            handover.second_party_name,
            handover.second_party_role,
            goods,
            handover.value,
            "ada" if handover.photo else "belum",
            "ada" if handover.signed_scan else "belum",
            handover.status_label,
        ]
    yield Total(
        [None, "JUMLAH (diserahkan, pindaian BAST ada)", None, None, None, None, None, None, total, None, None, None]
    )
