"""Reading an uploaded proposal workbook: the defences first (size, zip, entries, rows), then the rows
with python-calamine, each cell checked. Nothing here writes to the database.

A problem is {"row": Excel row number or None, "column": "C" or "", "header": "No KK" or "",
"message": Indonesian text}.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import defusedxml.ElementTree as DefusedET
from django.conf import settings
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from beneficiaries.identity import check_kk, nik_errors, normalize_phone
from beneficiaries.models import MaritalStatus, MemberRole, Sex
from programs import business_types
from proposals.workbook.columns import COLUMNS, ColumnSpec, normalise_header
from proposals.workbook.template import DATA_SHEET

ZIP_MAGIC = b"PK\x03\x04"
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# LibreOffice may write ~1,000,000 formatted but empty rows: stop after this many empty rows in a row.
EMPTY_ROWS_END = 200
DATE_TEXT = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


class WorkbookRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Indonesian."""


@dataclass
class ParsedRow:
    number: int  # Excel row number
    values: dict[str, object]
    problems: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)  # the person checks planning found (the saved item's)


@dataclass
class ParsedWorkbook:
    rows: list[ParsedRow]
    problems: list[dict]  # every problem: the file's and the rows'
    headers: dict[str, int]  # field -> 0-based column index in the sheet

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(row, column_index, spec: ColumnSpec | None, message: str, level: str = "error") -> dict:
    """A finding with its place: Excel row, column letter and header. An "error" keeps the row out of the
    proposal; a "warning" is shown (and marked in the returned workbook) but the row may be saved."""
    return {
        "row": row,
        "column": get_column_letter(column_index + 1) if column_index is not None else "",
        "header": spec.header if spec else "",
        "message": message,
        "level": level,
    }


def is_error(problem: dict) -> bool:
    """Problems stored before warnings existed have no level: they were all errors."""
    return problem.get("level", "error") == "error"


def check_container(data: bytes) -> None:
    """Refuse what is not a sane xlsx before any XML parser sees it."""
    limit = settings.PROPOSAL_WORKBOOK_MAX_BYTES
    if len(data) > limit:
        raise WorkbookRefused(
            f"Berkas terlalu besar ({len(data) / 1048576:.1f} MB); maksimal {limit / 1048576:.0f} MB."
        )
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookRefused(
            "Berkas bukan file Excel .xlsx. Simpan ulang sebagai 'Excel Workbook (.xlsx)' lalu unggah kembali."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise WorkbookRefused("Berkas .xlsx rusak atau tidak lengkap.") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise WorkbookRefused("Berkas berisi terlalu banyak bagian untuk sebuah daftar usulan.")
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED:
        raise WorkbookRefused("Isi berkas terlalu besar setelah dibuka (lebih dari 200 MB).")
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise WorkbookRefused("Berkas bukan buku kerja Excel (.xlsx).")


def _contains(archive: zipfile.ZipFile, path: str, needle: bytes, block: int = 1 << 20) -> bool:
    """Whether a zip member contains `needle`, read in blocks (never the whole member in memory)."""
    tail = b""
    with archive.open(path) as member:
        while chunk := member.read(block):
            if needle in tail + chunk[: len(needle)] or needle in chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def formula_cells_without_value(data: bytes, sheet_path: str) -> list[str]:
    """Cell references ('D7') that hold a formula but no saved result (the file was never calculated).
    Streams the sheet: a large upload is never held in memory as XML."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    if not _contains(archive, sheet_path, b"<f"):
        return []
    missing = []
    namespace = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with archive.open(sheet_path) as member:
        for _, element in DefusedET.iterparse(member, forbid_dtd=True):
            if element.tag == f"{namespace}c":
                value = element.find(f"{namespace}v")
                if element.find(f"{namespace}f") is not None and (value is None or not (value.text or "")):
                    missing.append(element.get("r"))
                element.clear()
            elif element.tag == f"{namespace}row":
                element.clear()
    return missing


def _sheet_path(data: bytes, sheet_index: int) -> str | None:
    """The zip path of the n-th sheet, from the workbook's relationships."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = DefusedET.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    sheets = workbook.find(f"{main}sheets")
    if sheets is None or len(sheets) <= sheet_index:
        return None
    rid = sheets[sheet_index].get(f"{rel}id")
    rels = DefusedET.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    for relation in rels:
        if relation.get("Id") == rid:
            target = relation.get("Target").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 80_000:
        # A date cell whose format the writer did not mark as a date (LibreOffice does this): its serial.
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    match = DATE_TEXT.match(str(value or ""))
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    return None


CHOICES = {
    "marital_status": {normalise_header(label): value for value, label in MaritalStatus.choices},
    "role": {normalise_header(label): value for value, label in MemberRole.choices},
    "sex": {
        **{normalise_header(label): value for value, label in Sex.choices},
        "l": Sex.MALE,
        "p": Sex.FEMALE,
    },
}


def cell_parser(spec: ColumnSpec, lookups: dict):
    """The function raw cell -> (value, problem) of one column under its rules; chosen once per column,
    as a file has tens of thousands of cells."""
    missing = f"{spec.header} wajib diisi." if spec.required else None

    if spec.kind == "digits16":
        check = check_kk if spec.field == "kk_number" else nik_errors
        as_number = (
            f"{spec.header} tersimpan sebagai angka, bukan teks. Excel hanya menyimpan 15 digit angka, jadi "
            "digit terakhir bisa sudah berubah. Ubah format kolom menjadi Teks lalu ketik ulang angkanya."
        )

        def digits16(raw):
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                return None, as_number
            text = _text(raw).replace(" ", "")
            if not text:
                return None, missing
            errors = check(text)
            return text, (errors[0] if errors else None)

        return digits16

    if spec.kind == "date":
        unknown = f"{spec.header} tidak dikenali: tulis HH-BB-TTTT, misalnya 17-08-1985."

        def date(raw):
            if raw is None or raw == "":
                return None, missing
            value = _date(raw)
            return (None, unknown) if value is None else (value, None)

        return date

    def text_then(convert):
        def parse(raw):
            text = _text(raw)
            return (None, missing) if not text else convert(text)

        return parse

    if spec.kind == "int":
        not_number = f"{spec.header} harus berupa angka."

        def number(text):
            if not text.isdigit():
                return None, not_number
            if spec.field != "desil":
                return text.zfill(3), None  # RT / RW: "3" -> "003"
            return (int(text), None) if 1 <= int(text) <= 10 else (None, "Desil harus 1 sampai 10.")

        return text_then(number)
    if spec.field == "phone":

        def phone(text):
            try:
                return normalize_phone(text), None
            except ValueError as error:
                return None, str(error)

        return text_then(phone)
    if spec.field == "business_type":
        # Names and synonyms of the catalogue, spelled any way; an unknown type is kept (planning warns).
        found = lookups.get("business_type", {})
        return text_then(lambda text: (business_types.match(text, found), None))
    if spec.kind == "choice":
        options = CHOICES.get(spec.field) or lookups.get(spec.field, {})

        def choice(text):
            key = normalise_header(text)
            if key not in options:
                return None, f"{spec.header} “{text}” tidak ada dalam daftar."
            return options[key], None

        return text_then(choice)
    return text_then(lambda text: (text, None))


@dataclass
class OpenedSheet:
    """An uploaded sheet whose header was read; `rows` parses the data rows lazily, so an import can
    work through a large file in chunks. Problems of the file as a whole (a missing column, too many
    rows) collect in `problems` — the row limit only once `rows` got that far."""

    headers: dict[str, int]
    problems: list[dict]
    rows: Iterator[ParsedRow]
    total: int = 0  # the sheet's rows below the header, empty ones included: for a progress bar only


def open_workbook(data: bytes, *, program: str, lookups: dict) -> OpenedSheet:
    """Check the container, find the data sheet and its header. `lookups` maps the choice fields that
    depend on the regency ('district', 'business_type') to {normalised name: object}; villages are matched
    within their kecamatan later. Raises WorkbookRefused for a file that cannot be read at all."""
    check_container(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        sheet_index = names.index(DATA_SHEET) if DATA_SHEET in names else 0
        sheet = workbook.get_sheet_by_index(sheet_index)
    except (CalamineError, ValueError, IndexError) as error:
        raise WorkbookRefused(f"Berkas tidak dapat dibaca sebagai .xlsx ({error}).") from None

    specs = COLUMNS[program]
    rows_iter = iter(sheet.iter_rows())
    start_row, start_column = sheet.start or (0, 0)
    header = next(rows_iter, None)
    if header is None:
        raise WorkbookRefused("Lembar data kosong: tidak ada judul kolom.")
    problems: list[dict] = []
    positions: dict[str, list[int]] = {}
    for index, text in enumerate(header):
        positions.setdefault(normalise_header(text), []).append(index + start_column)
    headers: dict[str, int] = {}
    for spec in specs:
        found = positions.get(normalise_header(spec.header), [])
        if len(found) > 1:
            problems.append(_problem(start_row + 1, found[1], spec, f"Kolom “{spec.header}” muncul lebih dari sekali."))
        elif not found and spec.required:
            problems.append(_problem(start_row + 1, None, spec, f"Kolom wajib “{spec.header}” tidak ditemukan."))
        if found:
            headers[spec.field] = found[0]
    if problems:
        return OpenedSheet(headers=headers, problems=problems, rows=iter(()))
    path = _sheet_path(data, sheet_index)
    uncalculated = set(formula_cells_without_value(data, path)) if path else set()
    return OpenedSheet(
        headers=headers,
        problems=problems,
        rows=_rows(rows_iter, specs, headers, start_row, start_column, uncalculated, lookups, problems),
        total=max(sheet.height - start_row - 1, 0),
    )


def data_row_count(data: bytes) -> int:
    """The rows below the header of the data sheet (empty ones included), read cheaply before the check, to
    decide whether it runs in the background. Raises WorkbookRefused for a file that cannot be read at all."""
    check_container(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        sheet = workbook.get_sheet_by_index(names.index(DATA_SHEET) if DATA_SHEET in names else 0)
    except (CalamineError, ValueError, IndexError) as error:
        raise WorkbookRefused(f"Berkas tidak dapat dibaca sebagai .xlsx ({error}).") from None
    start_row = (sheet.start or (0, 0))[0]
    return max(sheet.height - start_row - 1, 0)


def _rows(rows_iter, specs, headers, start_row, start_column, uncalculated, lookups, problems) -> Iterator[ParsedRow]:
    limit = settings.PROPOSAL_WORKBOOK_MAX_ROWS
    # Per column: (field, spec, 0-based position in the row, column letter, parser) — worked out once.
    plan = [
        (
            spec.field,
            spec,
            headers[spec.field] - start_column,
            get_column_letter(headers[spec.field] + 1),
            cell_parser(spec, lookups),
        )
        for spec in specs
        if spec.field in headers
    ]
    count = 0
    empty_run = 0
    for offset, raw_row in enumerate(rows_iter, start=1):
        number = start_row + offset + 1
        if not any(cell not in (None, "") for cell in raw_row):
            empty_run += 1
            if empty_run >= EMPTY_ROWS_END:
                return  # trailing empty rows (LibreOffice writes up to a million of them)
            continue
        empty_run = 0
        if count >= limit:
            message = f"Berkas berisi lebih dari {limit:,} baris data; pecah menjadi beberapa berkas.".replace(",", ".")
            problems.append(_problem(None, None, None, message))
            return
        count += 1
        row = ParsedRow(number=number, values={})
        width = len(raw_row)
        for name, spec, position, letter, parse in plan:
            if uncalculated and f"{letter}{number}" in uncalculated:
                row.problems.append(
                    _problem(
                        number, headers[name], spec, "Sel berisi rumus tanpa hasil tersimpan; ketik nilainya langsung."
                    )
                )
                continue
            value, problem = parse(raw_row[position] if position < width else None)
            if problem:
                row.problems.append(_problem(number, headers[name], spec, problem))
            else:
                row.values[name] = value
        yield row


def read_workbook(data: bytes, *, program: str, lookups: dict) -> ParsedWorkbook:
    """All rows of an uploaded workbook at once (see open_workbook); for small files and KUBE groups."""
    opened = open_workbook(data, program=program, lookups=lookups)
    rows = list(opened.rows)
    problems = list(opened.problems)
    for row in rows:
        problems.extend(row.problems)
    if not rows and not problems:
        problems.append(_problem(None, None, None, "Tidak ada baris data di bawah judul kolom."))
    return ParsedWorkbook(rows=rows, problems=problems, headers=opened.headers)
