"""The template an officer downloads: a data sheet with a header, one example row, NIK/KK formatted as
text, dropdowns from the reference data of the officer's own regency, and instructions in Indonesian."""

import datetime
import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from beneficiaries.models import MaritalStatus, MemberRole, Sex
from programs.models import BusinessType, Program
from proposals.workbook.columns import COLUMNS
from regions.models import District, Village

TEMPLATE_ROWS = 2000  # rows prepared with text format and dropdowns
DATA_SHEET = "Data"

EXAMPLES = {
    "nik": "6472035708850002",
    "kk_number": "6472030101200001",
    "full_name": "SITI AMINAH (contoh, hapus baris ini)",
    "birth_place": "Samarinda",
    "birth_date": datetime.date(1985, 8, 17),
    "address": "Jl. Pahlawan No. 7",
    "rt": "3",
    "rw": "1",
    "phone": "081234567890",
    "dtks_id": "",
    "desil": 1,
    "note": "",
    "group_name": "KUBE Maju Bersama",
    "role": "Ketua",
    "sex": "Perempuan",
}


def build_template(*, program: str, regency) -> bytes:
    """The xlsx template of `program` for `regency`, as bytes."""
    columns = COLUMNS[program]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    guide = workbook.create_sheet("Petunjuk")
    reference = workbook.create_sheet("Referensi")

    districts = list(District.objects.filter(regency=regency).order_by("name"))
    villages = list(
        Village.objects.filter(district__regency=regency).select_related("district").order_by("district__name", "name")
    )
    lists = {
        "district": [d.name for d in districts],
        "village": sorted({v.name for v in villages}),
        "business_type": list(BusinessType.objects.filter(is_active=True).values_list("name", flat=True)),
        "marital_status": [str(label) for label in MaritalStatus.labels],
        "role": [str(label) for label in MemberRole.labels],
        "sex": [str(label) for label in Sex.labels],
    }
    # The reference sheet: one column per list (hidden from view, read by the dropdowns).
    ranges = {}
    for index, (field, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        reference.cell(row=1, column=index, value=field)
        for row, value in enumerate(values, start=2):
            reference.cell(row=row, column=index, value=value)
        ranges[field] = f"{quote_sheetname(reference.title)}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    # Which desa/kelurahan lies in which kecamatan, for the officer's eye.
    offset = len(lists) + 2
    reference.cell(row=1, column=offset, value="Kecamatan")
    reference.cell(row=1, column=offset + 1, value="Desa/Kelurahan")
    for row, village in enumerate(villages, start=2):
        reference.cell(row=row, column=offset, value=village.district.name)
        reference.cell(row=row, column=offset + 1, value=village.name)
    reference.sheet_state = "hidden"

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.help:
            cell.comment = Comment(column.help + (" (wajib)" if column.required else " (boleh kosong)"), "kubeprogram")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind == "digits16" or column.field in ("rt", "rw", "phone", "dtks_id"):
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == "date":
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "DD-MM-YYYY"
        if column.field in ranges:
            validation = DataValidation(type="list", formula1=ranges[column.field], allow_blank=not column.required)
            validation.error = "Pilih dari daftar."
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            if column.field == "business_type":
                # The officer may type their own words ("Gorengan"): matched to the catalogue, else "Lainnya".
                validation.errorStyle = "information"
                validation.error = "Jenis usaha di luar daftar tetap diterima dan dicatat sebagai Lainnya."
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.freeze_panes = "A2"

    example = {**EXAMPLES}
    example["district"] = districts[0].name if districts else ""
    first_village = next((v for v in villages if districts and v.district_id == districts[0].pk), None)
    example["village"] = first_village.name if first_village else ""
    example["business_type"] = lists["business_type"][0] if lists["business_type"] else ""
    example["marital_status"] = str(MaritalStatus.WIDOWED.label)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index, value=example.get(column.field, ""))
        cell.font = Font(italic=True, color="808080")

    program_text = "WRSE (satu baris = satu orang)" if program == Program.WRSE else "KUBE (satu baris = satu anggota)"
    lines = [
        f"Template usulan {program_text} — {regency}",
        "",
        "1. Isi lembar 'Data' mulai baris 3; baris 2 adalah contoh — hapus atau timpa.",
        "2. NIK dan No KK: 16 digit, diketik sebagai teks. Jangan menempel angka dari kolom berformat angka:",
        "   Excel hanya menyimpan 15 digit angka, sehingga digit terakhir NIK hilang. Berkas seperti itu ditolak.",
        "3. Tanggal Lahir: tanggal Excel, atau ketik HH-BB-TTTT (misalnya 17-08-1985).",
        "4. Kecamatan, Desa/Kelurahan, Status Perkawinan, Jabatan dan Jenis Kelamin: pilih dari daftar.",
        "   Jenis Usaha: pilih dari daftar atau tulis sendiri (mis. Gorengan, Kue Basah, Menjahit); yang tidak dikenal "
        "dicatat sebagai “Lainnya: …” dengan peringatan.",
        "5. Urutan kolom boleh diubah dan kolom tambahan diabaikan; judul kolom wajib tetap ada.",
    ]
    if program == Program.KUBE:
        lines += [
            "6. Satu kelompok: tulis Nama KUBE yang sama persis pada baris setiap anggotanya (5–10 orang),",
            "   dengan tepat satu Ketua, satu Sekretaris dan satu Bendahara.",
        ]
    lines += [
        "",
        "Setelah diunggah, setiap baris diperiksa. Bila ada kesalahan, unduh kembali berkas yang sama: sel yang salah",
        "berwarna merah dan diberi catatan. Perbaiki, lalu unggah lagi. Mengunggah berkas yang sama dua kali tidak",
        "membuat data ganda.",
    ]
    for row, line in enumerate(lines, start=1):
        guide.cell(row=row, column=1, value=line).font = Font(bold=row == 1)
    guide.column_dimensions["A"].width = 110
    workbook.active = 0  # the data sheet; the instructions are the next tab

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
