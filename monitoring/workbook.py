"""The monitoring worklist as a workbook, for field teams without a connection: the due visits pre-filled (recipient,
village, address, BAST, month, goods lines with the quantity handed over), a dropdown for every coded answer, a
column per goods condition for how many units were found so; and reading it back, each row judged by the same rules
as the visit form (services.visit_problems), problems by row and column."""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from beneficiaries.identity import is_restricted
from core.excel import safe_text
from monitoring import units
from monitoring.models import BusinessStatus, GoodsCondition, KubeStage, VisitMode
from proposals.workbook.columns import normalise_header
from proposals.workbook.reader import EMPTY_ROWS_END, WorkbookRefused, check_container

SHEET = "Kunjungan"
MAX_ROWS = 20_000

# (header, field, width, choices): the answers, after the pre-filled columns
PREFILLED = [
    ("Kode", "code", 10),
    ("Nama Penerima / KUBE", "name", 26),
    ("Desa/Kelurahan", "village", 18),
    ("Alamat", "address", 26),
    ("Nomor BAST", "bast", 26),
    ("Tanggal BAST", "bast_date", 12),
    ("Kunjungan Bulan Ke", "month", 10),
    ("Jadwal", "due", 12),
]
ANSWERS = [
    ("Tanggal Kunjungan", "visited_on", 13, None),
    ("Petugas", "visitor_name", 18, None),
    ("Cara", "mode", 20, VisitMode),
    ("Status Usaha", "business_status", 22, BusinessStatus),
    ("Omzet per Bulan", "turnover", 14, None),
    ("Pendapatan Bersih per Bulan", "net_income", 14, None),
    ("Tenaga Kerja / Anggota Aktif", "workers", 11, None),
    ("Tahap KUBE", "stage", 12, KubeStage),
    ("Saldo IKS", "iks_balance", 13, None),
    ("Masalah", "problems", 28, None),
    ("Tindak Lanjut", "follow_up", 28, None),
]
GOODS_WIDTHS = [22, 8] + [10] * len(GoodsCondition.choices)  # "Barang n", "Jumlah Barang n", a count per condition
REQUIRED = {"visited_on", "visitor_name", "mode", "business_status", "turnover", "net_income", "workers"}
MONEY = {"turnover", "net_income", "iks_balance"}


def build(rows, *, title: str) -> bytes:
    """`rows`: schedule.ScheduledVisit of the worklist (handover with its lines and recipient loaded)."""
    rows = list(rows)
    most_goods = max((len(r.handover.lines.all()) for r in rows), default=1)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    lists = workbook.create_sheet("Pilihan")
    choices = {"mode": VisitMode, "business_status": BusinessStatus, "stage": KubeStage}
    ranges = {}
    for index, (name, enum) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        for row, label in enumerate(enum.labels, start=1):
            lists.cell(row=row, column=index, value=str(label))
        ranges[name] = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(enum.labels)}"
    lists.sheet_state = "hidden"

    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    sheet.cell(row=2, column=1, value="Isi kolom berwarna kuning untuk setiap kunjungan yang dilakukan; baris yang "
               "belum dikunjungi biarkan kosong. Jangan mengubah kolom Kode.")  # fmt: skip
    sheet.cell(row=3, column=1, value="Kondisi barang: tulis berapa unit dalam tiap kondisi (mis. oven 3 unit: "
               "Dipakai 2, Rusak 1); jumlahnya harus sama dengan kolom Jumlah Barang.")  # fmt: skip
    header_row = 4
    headers = [h for h, *_ in PREFILLED] + [h for h, *_ in ANSWERS]
    widths = [w for _, _, w in PREFILLED] + [w for _, _, w, _ in ANSWERS]
    for n in range(1, most_goods + 1):
        headers += [f"Barang {n}", f"Jumlah Barang {n}"] + [f"Barang {n} {label}" for label in GoodsCondition.labels]
        widths += GOODS_WIDTHS
    fill = PatternFill("solid", fgColor="FFF2CC")
    grey = PatternFill("solid", fgColor="EDEDED")
    first_answer = len(PREFILLED) + 1
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=header_row, column=index, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        prefilled = index < first_answer or re.fullmatch(r"(Jumlah )?Barang \d+", header)
        cell.fill = grey if prefilled else fill
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = header_row + max(len(rows), 1)
    for index, (_, name, _, enum) in enumerate(ANSWERS, start=first_answer):
        letter = get_column_letter(index)
        if enum is not None:
            _dropdown(sheet, ranges[name], f"{letter}{header_row + 1}:{letter}{last}")
    counts = DataValidation(type="whole", operator="between", formula1="0", formula2="9999", allow_blank=True)
    counts.error, counts.showErrorMessage = "Tulis jumlah unit (bilangan bulat 0 atau lebih).", True
    sheet.add_data_validation(counts)
    for n in range(most_goods):
        start = first_answer + len(ANSWERS) + len(GOODS_WIDTHS) * n + 2
        first, final = get_column_letter(start), get_column_letter(start + len(GoodsCondition.choices) - 1)
        counts.add(f"{first}{header_row + 1}:{final}{last}")
    for offset, row in enumerate(rows, start=header_row + 1):
        handover = row.handover
        item = handover.allocation.item
        person = item.person if item.person_id else None
        village = person.village if person else item.group.village
        values = [
            f"{handover.pk}-{row.month}",
            person.listed_name if person else item.group.name,
            village.name if village else "",
            ("" if is_restricted(person) else person.address) if person else item.group.address,
            handover.number,
            handover.handed_over_on,
            row.month,
            row.due,
        ]
        for index, value in enumerate(values, start=1):
            # Every text through the formula-safe writer: an address saved as '=HYPERLINK(…)' stays text.
            cell = sheet.cell(row=offset, column=index, value=safe_text(value) if isinstance(value, str) else value)
            if isinstance(value, datetime.date):
                cell.number_format = "DD-MM-YYYY"
        sheet.cell(row=offset, column=first_answer).number_format = "DD-MM-YYYY"
        for n, line in enumerate(handover.lines.all()):
            column = first_answer + len(ANSWERS) + len(GOODS_WIDTHS) * n
            sheet.cell(row=offset, column=column, value=safe_text(line.goods.name))
            sheet.cell(row=offset, column=column + 1, value=line.quantity)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _dropdown(sheet, source: str, cells: str) -> None:
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.error, validation.showErrorMessage = "Pilih dari daftar.", True
    sheet.add_data_validation(validation)
    validation.add(cells)


@dataclass
class Row:
    number: int  # the sheet's row
    handover_id: int
    month: int
    data: dict
    goods: list[dict]  # by goods position: units by condition
    problems: list[dict] = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # field -> 0-based column
    goods_columns: list = field(default_factory=list)  # 0-based columns of the counts

    def column_of(self, name: str) -> str:
        if name == "goods":
            return _letter(self.goods_columns[0]) if self.goods_columns else "A"
        return _letter(self.columns.get(name, self.columns.get("code", 0)))

    def goods_of(self, lines) -> dict:
        """The counts given for a BAST's lines, by line id (lines without any count left out)."""
        return {line.pk: counts for line, counts in zip(lines, self.goods, strict=False) if counts}


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _choice(enum, text):
    wanted = normalise_header(text)
    for value, label in enum.choices:
        if wanted in (normalise_header(label), normalise_header(value)):
            return value
    return None


def _money(value):
    if isinstance(value, int | float):
        return Decimal(int(value)) if float(value).is_integer() else None
    text = re.sub(r"[\s.]|^rp", "", str(value).strip().lower())
    text = text.removesuffix(",00")
    try:
        return Decimal(text) if re.fullmatch(r"-?\d+", text) else None
    except InvalidOperation:
        return None


def _day(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", str(value).strip())
    if match:
        try:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None


def read(data: bytes) -> list[Row]:
    """The filled-in rows of the worklist workbook, each with the problems of its own cells (refuses a file that
    is not one, like the proposal uploads: size, zip bomb, formulas without values)."""
    check_container(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except (CalamineError, ValueError, IndexError) as error:
        raise WorkbookRefused(f"Berkas tidak dapat dibaca sebagai .xlsx ({error}).") from None
    rows, empty_run = [], 0
    for row in sheet.iter_rows():
        empty_run = empty_run + 1 if not any(cell not in (None, "") for cell in row) else 0
        if empty_run >= EMPTY_ROWS_END:
            break
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise WorkbookRefused(f"Berkas berisi lebih dari {MAX_ROWS:,} baris.".replace(",", "."))
    header_at = next(
        (n for n, r in enumerate(rows) if {"kode", "tanggal kunjungan"} <= {normalise_header(c) for c in r}), None
    )
    if header_at is None:
        raise WorkbookRefused("Kolom “Kode” dan “Tanggal Kunjungan” tidak ditemukan. Gunakan berkas yang diunduh dari "
                              "halaman Kunjungan Monev.")  # fmt: skip
    header = [normalise_header(c) for c in rows[header_at]]
    columns = {}
    for title, name, *_ in PREFILLED + [(h, n) for h, n, *_ in ANSWERS]:
        if normalise_header(title) in header:
            columns[name] = header.index(normalise_header(title))
    missing = [title for title, name, *_ in ANSWERS if name not in columns]
    if missing:
        raise WorkbookRefused(f"Kolom tidak ditemukan: {', '.join(missing)}. Gunakan berkas yang diunduh dari sini.")
    goods_columns = _goods_columns(header)
    found = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = list(row) + [None] * (len(header) - len(row))

        def cell(name, cells=cells):
            value = cells[columns[name]]
            return None if value in (None, "") else value

        answered = [name for _, name, *_ in ANSWERS if cell(name) is not None]
        answered += [str(cells[i]) for i in goods_columns if cells[i] not in (None, "")]
        if not answered:
            continue  # not visited (yet)
        problems = []

        def problem(name, message, number=number, problems=problems):
            problems.append({"row": number, "column": _letter(columns[name]), "message": message, "field": name})

        code = str(cell("code") or "").strip()
        match = re.fullmatch(r"(\d+)-(\d+)", code)
        if not match:
            problem("code", "Kode tidak dikenal: jangan mengubah kolom Kode.")
            found.append(Row(number, 0, 0, {}, [], problems, columns, list(goods_columns)))
            continue
        data = {"due_month": int(match[2])}
        for _, name, _, enum in ANSWERS:
            value = cell(name)
            if value is None:
                data[name] = "" if name in ("problems", "follow_up", "stage") else None
                if name in REQUIRED:
                    problem(name, "Wajib diisi.")
                continue
            if enum is not None:
                choice = _choice(enum, value)
                if choice is None:
                    problem(name, f"“{value}” tidak ada dalam pilihan: {', '.join(map(str, enum.labels))}.")
                data[name] = choice
            elif name == "visited_on":
                data[name] = _day(value)
                if data[name] is None:
                    problem(name, f"“{value}” bukan tanggal (tulis DD-MM-YYYY).")
            elif name in MONEY:
                data[name] = _money(value)
                if data[name] is None:
                    problem(name, f"“{value}” bukan jumlah rupiah (tulis angka saja, mis. 1500000).")
            elif name == "workers":
                data[name] = (
                    int(value) if isinstance(value, int | float) and float(value).is_integer() and value >= 0 else None
                )
                if data[name] is None:
                    problem(name, f"“{value}” bukan jumlah orang.")
            else:
                data[name] = str(value).strip()
        goods = []
        for position in sorted({n for n, _ in goods_columns.values()}):
            counts = {}
            for i, (n, condition) in goods_columns.items():
                text = cells[i]
                if n != position or text in (None, ""):
                    continue
                if condition is None:  # a workbook of before: one condition for all the units of the line
                    choice = _choice(GoodsCondition, text)
                    if choice is None:
                        known = ", ".join(map(str, GoodsCondition.labels))
                        problems.append({"row": number, "column": _letter(i), "field": "goods",
                                         "message": f"Kondisi “{text}” tidak dikenal: {known}."})  # fmt: skip
                    else:
                        counts = choice
                    continue
                try:
                    counts |= units.normalise({condition: text}, 0)
                except ValueError as error:
                    problems.append({"row": number, "column": _letter(i), "field": "goods", "message": f"{error}."})
            goods.append(counts)
        found.append(Row(number, int(match[1]), int(match[2]), data, goods, problems, columns, list(goods_columns)))
    return found


def _goods_columns(header: list[str]) -> dict[int, tuple[int, str | None]]:
    """The goods count columns, {0-based column: (goods position, condition)}: "Barang 2 Rusak" is (2, "rusak");
    "Kondisi Barang 2" of a workbook downloaded before units were counted is (2, None)."""
    labels = {normalise_header(label): value for value, label in GoodsCondition.choices}
    found = {}
    for i, title in enumerate(header):
        match = re.fullmatch(r"barang (\d+) (.+)", title)
        if match and match[2] in labels:
            found[i] = (int(match[1]), labels[match[2]])
        elif old := re.fullmatch(r"kondisi barang (\d+)", title):
            found[i] = (int(old[1]), None)
    return found
