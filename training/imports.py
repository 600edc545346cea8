"""Reading a filled-in attendance sheet (the xlsx this app hands out): NIK and Kehadiran per row."""

import io

from python_calamine import CalamineError, CalamineWorkbook

from proposals.workbook.columns import normalise_header
from proposals.workbook.reader import EMPTY_ROWS_END, WorkbookRefused, check_container
from training.models import AttendanceStatus

MAX_ROWS = 5_000  # far above any session's participants

STATUS_WORDS = {
    **{normalise_header(label): value for value, label in AttendanceStatus.choices},
    "h": AttendanceStatus.PRESENT,
    "i": AttendanceStatus.EXCUSED,
    "th": AttendanceStatus.ABSENT,
    "a": AttendanceStatus.ABSENT,
}


def read_attendance(data: bytes, participants: dict[str, int]) -> tuple[dict[int, str], list[dict]]:
    """({attendance id: status}, problems) from the sheet. `participants` maps NIK -> attendance id of
    the session. A problem is {"row", "column", "message"}; an empty Kehadiran cell is left as it is."""
    check_container(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except (CalamineError, ValueError, IndexError) as error:
        raise WorkbookRefused(f"Berkas tidak dapat dibaca sebagai .xlsx ({error}).") from None
    rows, empty_run = [], 0
    for row in sheet.iter_rows():  # a session has dozens of rows; stop at LibreOffice's trailing empty ones
        empty_run = empty_run + 1 if not any(cell not in (None, "") for cell in row) else 0
        if empty_run >= EMPTY_ROWS_END:
            break
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise WorkbookRefused(f"Daftar hadir berisi lebih dari {MAX_ROWS} baris; gunakan berkas dari sesi ini.")
    header_at = next(
        (n for n, row in enumerate(rows) if {"nik", "kehadiran"} <= {normalise_header(c) for c in row}), None
    )
    if header_at is None:
        raise WorkbookRefused(
            "Kolom “NIK” dan “Kehadiran” tidak ditemukan. Gunakan daftar hadir yang diunduh dari sesi ini."
        )
    header = [normalise_header(c) for c in rows[header_at]]
    nik_col, status_col = header.index("nik"), header.index("kehadiran")
    letters = {nik_col: chr(ord("A") + nik_col), status_col: chr(ord("A") + status_col)}
    statuses, problems = {}, []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        nik = str(row[nik_col]).strip() if nik_col < len(row) and row[nik_col] not in (None, "") else ""
        word = str(row[status_col]).strip() if status_col < len(row) and row[status_col] not in (None, "") else ""
        if not nik and not word:
            continue
        if isinstance(row[nik_col], int | float):
            problems.append(
                {
                    "row": offset,
                    "column": letters[nik_col],
                    "message": "NIK tersimpan sebagai angka; ketik ulang sebagai teks.",
                }
            )
            continue
        if nik not in participants:
            problems.append(
                {"row": offset, "column": letters[nik_col], "message": f"NIK {nik} bukan peserta sesi ini."}
            )
            continue
        if not word:
            continue
        status = STATUS_WORDS.get(normalise_header(word))
        if status is None:
            problems.append(
                {
                    "row": offset,
                    "column": letters[status_col],
                    "message": f"Kehadiran “{word}” tidak dikenal: isi Hadir, Izin atau Tidak Hadir.",
                }
            )
            continue
        statuses[participants[nik]] = status
    return statuses, problems
