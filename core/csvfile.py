"""Writing a CSV that both a ministry's system and an office's Excel read: UTF-8 with a byte-order mark (Excel then
reads the accents), comma or semicolon (an Indonesian Excel splits on ";"), dates as YYYY-MM-DD, amounts as plain
numbers — and, like core.excel's workbooks, no cell that a spreadsheet would run as a formula, and NIKs inside free
text masked unless the reader may see them. Written to a spooled file (memory only for a small one)."""

import csv
import datetime
import io
import tempfile
from collections.abc import Sequence
from decimal import Decimal

from django.http import FileResponse

from core.excel import Column, Total, safe_text
from core.formatting import mask_numbers_in_text

DELIMITERS = {"koma": ",", "titik-koma": ";"}


class CsvWriter:
    """rows as they come: `append(values)`; then `response(filename)` or `save(target)`. A `Total` line is left out
    (a CSV is data for another system, not a report to read)."""

    def __init__(self, columns: Sequence[Column], *, delimiter: str = ",", full_numbers: bool = False):
        self.columns = list(columns)
        self.full_numbers = full_numbers
        self.file = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+b")
        self.text = io.TextIOWrapper(self.file, encoding="utf-8-sig", newline="", write_through=False)
        self.writer = csv.writer(self.text, delimiter=delimiter, lineterminator="\r\n")
        self.writer.writerow([column.header for column in self.columns])
        self.rows = 0

    def _cell(self, column: Column, value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return value.isoformat(timespec="seconds")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
        if isinstance(value, int | float):
            return str(value)
        text = str(value)
        if not self.full_numbers and column.kind != "identity":
            text = mask_numbers_in_text(text)
        return safe_text(text)

    def append(self, values: Sequence) -> None:
        if isinstance(values, Total):
            return
        self.writer.writerow([self._cell(c, v) for c, v in zip(self.columns, values, strict=True)])
        self.rows += 1

    def _finish(self):
        self.text.flush()
        self.text.detach()  # the wrapper would close the file when it goes; the response closes it
        self.file.seek(0)
        return self.file

    def save(self, target) -> None:
        target.write(self._finish().read())

    def response(self, filename: str) -> FileResponse:
        return FileResponse(
            self._finish(), as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
        )
