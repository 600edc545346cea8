"""Report building shared by the synchronous export and the background job that prepares a large one: the same
scope, the same masking, the same audit event."""

import io

from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.exports import export_filename, export_record
from beneficiaries.identity import mask_nik
from beneficiaries.permissions import can_see_full_nik
from core.csvfile import CsvWriter
from core.excel import ReportWriter
from jobs.services import JobResult, background_job
from programs.models import Program
from programs.selectors import budget_year_chosen
from proposals.models import ItemStatus, ProposalItem
from proposals.selectors import items_visible_to
from reports import exchange, exports
from reports.permissions import can_view_reports

PROGRESS_EVERY = 500  # rows


def items_of(user, budget_year):
    return items_visible_to(user).filter(proposal__budget_year=budget_year)


def scope_filters(user, budget_year, **more) -> list[tuple[str, str]]:
    filters = [("Tahun Anggaran", str(budget_year.year))]
    if not user.is_provincial:
        filters.append(("Kab/Kota", str(user.regency)))
    return filters + [(label, value) for label, value in more.items() if value]


def nik_mask(user):
    """Whole NIKs for the roles that may see them, masked for everyone else (UU 27/2022)."""
    return (lambda value: value) if can_see_full_nik(user) else mask_nik


def bnba_items(user, budget_year, program):
    return items_of(user, budget_year).filter(status=ItemStatus.APPROVED, proposal__program=program)


def bnba_writer(user, budget_year, program, progress=None) -> tuple[ReportWriter, dict]:
    """The BNBA workbook of one program in the user's scope, and the audit details."""
    items = bnba_items(user, budget_year, program)
    mask = nik_mask(user)
    columns, rows = (
        (exports.BNBA_WRSE, exports.bnba_wrse(items, mask=mask))
        if program == Program.WRSE
        else (exports.BNBA_KUBE, exports.bnba_kube(items, mask=mask))
    )
    total = items.count() if progress else 0
    writer = ReportWriter(
        f"BNBA Penerima Manfaat {program}",
        columns,
        filters=scope_filters(user, budget_year),
        full_numbers=can_see_full_nik(user),
    )
    for done, row in enumerate(rows, 1):
        writer.append(row)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(total, total)
    return writer, {"program": program, "full_nik": can_see_full_nik(user)}


@background_job
def bnba_workbook(*, user, progress, year: int, program: str) -> JobResult:
    """A large BNBA, prepared by the worker for the user who asked (checked again here: rights can change)."""
    budget_year, _ = budget_year_chosen(user, str(year))
    if not can_view_reports(user) or budget_year is None or program not in Program.values:
        raise ValidationError("Laporan ini tidak lagi dapat Anda unduh.")
    writer, details = bnba_writer(user, budget_year, program, progress)
    export_record(
        writer, user=user, action="report.bnba.export", obj=ProposalItem,
        after={"budget_year": year, **details, "background": True},
    )  # fmt: skip
    buffer = io.BytesIO()
    writer.save(buffer)
    return JobResult(buffer.getvalue(), export_filename(f"bnba-{program.lower()}-{year}"))


EXCHANGES = {
    # kind: (title, file name, audit action, columns, rows, count)
    "penerima": ("BNBA Penerima Manfaat untuk BPS/Kemensos", "bnba-bps", "report.bnba_exchange.export",
                 exchange.RECIPIENT_COLUMNS, exchange.recipient_rows, exchange.recipient_count),
    "belum-dtsen": ("Calon Penerima Belum Terdaftar di DTSEN", "belum-dtsen", "report.not_in_dtsen.export",
                    exchange.CANDIDATE_COLUMNS, exchange.candidate_rows, exchange.candidate_count),
}  # fmt: skip


def exchange_count(user, budget_year, kind: str) -> int:
    return EXCHANGES[kind][5](items_of(user, budget_year))


def exchange_writer(user, budget_year, kind: str, *, delimiter: str | None, progress=None):
    """The by-name-by-address file of `kind` in the user's scope: .xlsx (delimiter None) or CSV; with the audit
    details (whole NIKs or masked, by role)."""
    title, _, _, columns, rows, count = EXCHANGES[kind]
    items = items_of(user, budget_year)
    full = can_see_full_nik(user)
    if delimiter is None:
        writer = ReportWriter(title, columns, filters=scope_filters(user, budget_year), full_numbers=full)
    else:
        writer = CsvWriter(columns, delimiter=delimiter, full_numbers=full)
    total = count(items) if progress else 0
    for done, row in enumerate(rows(items, mask=nik_mask(user)), 1):
        writer.append(row)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    details = {"kind": kind, "format": "xlsx" if delimiter is None else f"csv{delimiter}", "full_nik": full}
    return writer, details


def exchange_filename(kind: str, year: int, delimiter: str | None) -> str:
    return f"{EXCHANGES[kind][1]}-{year}-{timezone.localdate():%Y%m%d}.{'xlsx' if delimiter is None else 'csv'}"


@background_job
def exchange_file(*, user, progress, year: int, kind: str, delimiter: str | None) -> JobResult:
    """A large by-name-by-address file, prepared by the worker for the user who asked (rights checked again)."""
    budget_year, _ = budget_year_chosen(user, str(year))
    if not can_view_reports(user) or budget_year is None or kind not in EXCHANGES:
        raise ValidationError("Berkas ini tidak lagi dapat Anda unduh.")
    writer, details = exchange_writer(user, budget_year, kind, delimiter=delimiter, progress=progress)
    export_record(writer, user=user, action=EXCHANGES[kind][2], obj=ProposalItem,
                  after={"budget_year": year, **details, "background": True})  # fmt: skip
    buffer = io.BytesIO()
    writer.save(buffer)
    return JobResult(buffer.getvalue(), exchange_filename(kind, year, delimiter))
