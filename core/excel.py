"""Writing Excel workbooks the office can trust: streamed (openpyxl write-only, constant memory), with a
title block, NIK/KK as text, dates and Rupiah formatted, and no cell that Excel would run as a formula."""

import datetime
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from core.formatting import date_long, mask_numbers_in_text, time_wita

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
RUPIAH_FORMAT = '"Rp"#,##0'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: str) -> str:
    """Text that Excel, LibreOffice and WPS show as text: control characters (which Excel refuses) are
    removed, and a leading = + - @ tab or CR gets a quote in front, so '=HYPERLINK(…)' typed into a name can
    never become a live formula (CSV/formula injection)."""
    if value.startswith(FORMULA_TRIGGERS):
        value = "'" + value
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class Total(list):
    """A totals line: `ReportWriter.append(Total([...]))` writes it in bold, outside the data rows."""


class Column:
    """One column: its header, width, and kind ('text', 'date', 'rupiah', 'number', or 'identity' for a NIK or No.
    KK column, whose values the caller has already masked or not for the reader)."""

    def __init__(self, header: str, width: int = 15, kind: str = "text"):
        self.header, self.width, self.kind = header, width, kind


class ReportWriter:
    """A one-sheet report: title block, header row, then rows as they come (never all in memory).

    writer = ReportWriter("Daftar Penduduk", columns, filters=[("Kab/Kota", "Kota Samarinda")])
    for row in rows: writer.append(row)
    return writer.response("penduduk.xlsx")

    A NIK or KK typed inside free text (a note, a complaint, a reason) is masked in every text cell outside the
    'identity' columns unless `full_numbers` says the reader may see whole numbers: masked is the default, so a new
    export cannot leak one by forgetting.
    """

    def __init__(
        self,
        title: str,
        columns: Sequence[Column],
        *,
        filters: Iterable[tuple[str, str]] = (),
        full_numbers: bool = False,
        workbook: Workbook | None = None,
    ):
        self.columns = list(columns)
        self.full_numbers = full_numbers
        # A workbook of several sheets: each sheet's writer is given the first one's book (save or stream any).
        self.workbook = workbook or Workbook(write_only=True)
        # A sheet name has at most 31 characters and none of \ / * ? : [ ]
        self.sheet = self.workbook.create_sheet(re.sub(r"[\\/*?:\[\]]", "-", title)[:31])
        for index, column in enumerate(self.columns):
            self.sheet.column_dimensions[_letter(index)].width = column.width
        # Set before the first row (write-only sheets write their views first): the header stays in view,
        # and on paper the sheet is A4 landscape, one page wide, with the header on every page.
        self.sheet.freeze_panes = "A7"
        self.sheet.print_title_rows = "6:6"
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.paperSize = 9  # A4 (Worksheet.PAPERSIZE_A4)
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        bold = Font(bold=True)
        now = timezone.localtime()
        filter_text = "; ".join(f"{label}: {value}" for label, value in filters) or "semua data"
        if not full_numbers:
            filter_text = mask_numbers_in_text(filter_text)
        for text, font in [
            (settings.OFFICE_NAME.upper(), Font(bold=True, size=12)),
            (title, Font(bold=True, size=12)),
            (f"Filter: {filter_text}", None),
            (f"Dibuat: {date_long(now)} pukul {time_wita(now)}", None),
        ]:
            cell = WriteOnlyCell(self.sheet, value=safe_text(text))
            if font:
                cell.font = font
            self.sheet.append([cell])
        self.sheet.append([])
        header_fill = PatternFill("solid", fgColor="DDEBF7")
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.sheet, value=column.header)
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        self.sheet.append(header)
        self.header_row = 6  # four title lines, a blank line, then the header
        self.rows = 0

    def append(self, values: Sequence) -> None:
        if isinstance(values, Total):
            self.total(values)
            return
        row = []
        for column, value in zip(self.columns, values, strict=True):
            if value is None:
                row.append(None)
            elif isinstance(value, str):
                if not self.full_numbers and column.kind != "identity":
                    value = mask_numbers_in_text(value)
                row.append(safe_text(value))
            elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = DATE_FORMAT
                row.append(cell)
            elif column.kind == "rupiah" and isinstance(value, int | Decimal):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = RUPIAH_FORMAT
                row.append(cell)
            else:
                row.append(value)
        self.sheet.append(row)
        self.rows += 1

    def total(self, values: Sequence) -> None:
        """The totals line, in bold, after the data (not counted in `rows`, not in the autofilter)."""
        self._close_filter()
        cells = []
        for column, value in zip(self.columns, values, strict=True):
            cell = WriteOnlyCell(self.sheet, value=safe_text(value) if isinstance(value, str) else value)
            cell.font = Font(bold=True)
            if column.kind == "rupiah" and isinstance(value, int | Decimal):
                cell.number_format = RUPIAH_FORMAT
            cells.append(cell)
        self.sheet.append(cells)

    def finish_sheet(self) -> None:
        """Close this sheet (its filter over the rows written) before the next sheet of the same book begins."""
        self._close_filter()

    def _close_filter(self) -> None:
        if not self.sheet.auto_filter.ref:
            last = _letter(len(self.columns) - 1)
            self.sheet.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + max(self.rows, 1)}"

    def save(self, target) -> None:
        self._close_filter()
        self.workbook.save(target)

    def response(self, filename: str) -> FileResponse:
        """Save to a temporary file and stream it (the file goes when the response is closed)."""
        handle = tempfile.TemporaryFile(suffix=".xlsx")
        self.save(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
