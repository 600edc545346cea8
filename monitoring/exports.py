"""Workbooks of monitoring for the field (the verification sample); the visit worklist's own is monitoring.workbook."""

from audit.exports import audited_export
from beneficiaries.permissions import can_see_full_nik
from core.excel import Column, ReportWriter
from monitoring import selectors

SAMPLE_COLUMNS = [
    Column("No.", 5, "number"),
    Column("Penerima", 28),
    Column("Desa/Kelurahan", 22),
    Column("Kecamatan", 18),
    Column("Alamat", 32),
    Column("Nomor BAST", 28),
    Column("Tanggal BAST", 14, "date"),
    Column("Hasil", 24),
    Column("Tanggal Diperiksa", 14, "date"),
    Column("Catatan", 40),
]


def sample_workbook(sample, results, *, user):
    """The sampled recipients for the field team, in the order drawn: where to find them and a column to write in."""
    writer = ReportWriter(
        f"Sampel Verifikasi {sample.regency}",
        SAMPLE_COLUMNS,
        filters=[("Tahun anggaran", str(sample.budget_year)), ("Cara", sample.get_method_display()),
                 ("Besar sampel", f"{sample.size} dari {sample.population}"), ("Benih", str(sample.seed))],
        full_numbers=can_see_full_nik(user),
    )  # fmt: skip
    rows = []
    for r in results:
        item = r.handover.allocation.item
        who = item.person if item.person_id else item.group
        rows.append([
            r.position, selectors.recipient_name(r.handover), who.village.name, who.village.district.name,
            who.address, r.handover.number, r.handover.handed_over_on,
            r.get_outcome_display() if r.outcome else "", r.checked_on, r.note,
        ])  # fmt: skip
    return audited_export(
        writer, rows, user=user, action="sample.export", obj=sample,
        filename=f"sampel-verifikasi-{sample.regency_id}-{sample.budget_year.year}", regency_id=sample.regency_id,
    )  # fmt: skip
