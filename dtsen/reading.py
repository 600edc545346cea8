"""Reading a DTSEN extract as it arrives (CSV or Excel): its columns found by the names officers and the ministry
write them, each row checked, every problem said with its row and column. Rows are read one at a time (a
million-row CSV never sits in memory; an .xlsx is held by calamine while it is read)."""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook

from beneficiaries.identity import mask_nik, nik_error

# The columns kubeprogram keeps, each with the names it is found under (case, spaces, dots, dashes and underscores do
# not matter). Any other column is kept as it came, beside the row.
COLUMNS = {
    "nik": ["nik", "no nik", "nomor nik", "nomor induk kependudukan", "nik art"],
    "kk_number": ["no kk", "nomor kk", "nkk", "no kartu keluarga", "nomor kartu keluarga", "kk"],
    "full_name": ["nama", "nama lengkap", "nama art", "nama anggota keluarga", "nama penduduk"],
    "desil": ["desil", "desil kesejahteraan", "peringkat desil", "desil nasional", "desil dtsen"],
    "dtsen_id": ["id dtsen", "id keluarga", "idkeluarga", "id keluarga dtsen", "id dtks", "id art"],
    "regency_code": ["kab/kota", "kabupaten/kota", "kab kota", "kabupaten", "kode kab/kota", "kode kabupaten"],
}
REQUIRED = ["nik", "full_name", "desil"]
LABELS = {"nik": "NIK", "kk_number": "No. KK", "full_name": "Nama", "desil": "Desil", "dtsen_id": "ID DTSEN",
          "regency_code": "Kab/Kota"}  # fmt: skip
MAX_PROBLEMS = 200


class ExtractRefused(Exception):
    """The file cannot be read as an extract at all (not CSV/xlsx, no header, a required column missing)."""


def normalise(text) -> str:
    return " ".join(re.sub(r"[._\-]+", " ", str(text or "")).split()).lower()


ALIASES = {normalise(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Extract:
    """The header found, and the rows as (row number, values, extra columns)."""

    positions: dict[str, int]
    extra: dict[str, int]
    rows: Iterator[tuple[int, list]]
    total: int | None = None


def _csv_rows(data: bytes) -> tuple[list, Iterator[list]]:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="replace", newline="")
    head = text.read(8192)
    text.seek(0)
    try:
        dialect = csv.Sniffer().sniff(head.split("\n", 1)[0] or head, delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text, dialect)
    return next(reader, []), reader


def _xlsx_rows(data: bytes) -> tuple[list, Iterator[list], int]:
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except (CalamineError, ValueError, IndexError) as error:
        raise ExtractRefused(f"Berkas tidak dapat dibaca sebagai .xlsx ({error}).") from None
    rows = iter(sheet.iter_rows())
    return next(rows, []), rows, max(sheet.height - 1, 0)


def open_extract(data: bytes, file_name: str) -> Extract:
    """Find the header of a CSV (comma, semicolon or tab; UTF-8) or .xlsx (first sheet) extract."""
    total = None
    if data[:2] == b"PK":
        header, rows, total = _xlsx_rows(data)
    elif data[:4] in (b"\xd0\xcf\x11\xe0",):
        raise ExtractRefused("Format .xls lama tidak didukung: simpan ulang sebagai .xlsx atau CSV.")
    else:
        header, rows = _csv_rows(data)
    if not any(str(cell or "").strip() for cell in header):
        raise ExtractRefused("Baris pertama kosong: tidak ada judul kolom.")
    positions: dict[str, int] = {}
    extra: dict[str, int] = {}
    for index, text in enumerate(header):
        name = ALIASES.get(normalise(text))
        if name and name not in positions:
            positions[name] = index
        elif str(text or "").strip():
            extra[str(text).strip()[:60]] = index
    missing = [LABELS[name] for name in REQUIRED if name not in positions]
    if missing:
        raise ExtractRefused(
            "Kolom wajib tidak ditemukan: " + ", ".join(missing) + ". Judul kolom yang dibaca: "
            + ", ".join(str(t) for t in header if str(t or "").strip())[:300] + "."
        )  # fmt: skip
    numbered = ((number, list(row)) for number, row in enumerate(rows, start=2))
    return Extract(positions=positions, extra=extra, rows=numbered, total=total)


def _digits(value) -> str:
    """A NIK / No. KK as text: Excel keeps 16 digits exactly in a number (below 2^53), so 6472…0001.0 is read back."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value if value is not None else "").strip().replace(" ", "").lstrip("'")


def row_parser(extract: Extract, regencies: dict[str, str]):
    """A function (row number, values) -> ((nik, kk, name, desil, dtsen id, regency code, extra), []) for a good row,
    (None, [problems]) for a wrong one, (None, []) for an empty line. Built once per file: a million rows go through
    it, so the positions are looked up once and a regency's spelling is normalised once."""
    positions = extract.positions
    at = {name: positions.get(name) for name in LABELS}
    extra = list(extract.extra.items())
    places: dict = {}

    def cell(row, name):
        index = at[name]
        return row[index] if index is not None and index < len(row) else ""

    def parse(number: int, row: list) -> tuple[tuple | None, list]:
        nik = _digits(cell(row, "nik"))
        if not nik and not any(str(value if value is not None else "").strip() for value in row):
            return None, []  # an empty line
        problems = []
        error = nik_error(nik)
        if error:
            problems.append(Problem(number, "NIK", f"{mask_nik(nik) if nik else '(kosong)'}: {error}"))
        kk = _digits(cell(row, "kk_number"))
        if kk and (len(kk) != 16 or not kk.isdigit()):
            problems.append(Problem(number, "No. KK", f"No. KK harus 16 digit angka (tertulis “{kk[:20]}”)."))
        name = str(cell(row, "full_name") or "").strip()
        if not name:
            problems.append(Problem(number, "Nama", "Nama kosong."))
        raw = cell(row, "desil")
        if isinstance(raw, float) and raw.is_integer():
            desil = int(raw)
        else:
            text = str(raw if raw is not None else "").strip()
            desil = int(text) if text.isdigit() else None
        if desil is None or not 1 <= desil <= 10:
            problems.append(Problem(number, "Desil", f"Desil harus angka 1 sampai 10 (tertulis “{str(raw)[:10]}”)."))
        if problems:
            return None, problems
        place = cell(row, "regency_code")
        code = places.get(place)
        if code is None:
            code = places[place] = regencies.get(normalise(place), "")
        more = {key: str(row[index]) for key, index in extra if index < len(row) and row[index] not in ("", None)}
        return (nik, kk, name[:150], desil, _digits(cell(row, "dtsen_id"))[:40], code, more), []

    return parse


def regency_names(regencies) -> dict[str, str]:
    """How a regency may be written in an extract -> its Kemendagri code: '64.72', '6472' (BPS), 'Kota Samarinda',
    'Samarinda', 'KAB. PASER'."""
    names = {}
    for regency in regencies:
        spelled = [regency.name, regency.full_name] + ([f"kab {regency.name}"] if regency.kind == "kabupaten" else [])
        for text in (regency.code, regency.bps_code, regency.code.replace(".", ""), *spelled):
            names[normalise(text)] = regency.code
    return names


def decode_check(data: bytes) -> None:
    """A CSV that is not UTF-8 (an old Excel's ANSI export) is refused with the way to fix it."""
    if data[:2] == b"PK":
        return
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:65536], final=False)
    except UnicodeDecodeError:
        raise ExtractRefused("CSV bukan UTF-8: di Excel pilih Simpan Sebagai “CSV UTF-8”.") from None
