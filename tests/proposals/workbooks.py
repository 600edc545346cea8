"""Workbooks built in the tests, as an officer would fill the template."""

import datetime
import io

from openpyxl import Workbook, load_workbook

from beneficiaries.identity import make_nik

WRSE_HEADERS = [
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Status Perkawinan",
    "Alamat",
    "RT",
    "RW",
    "Kecamatan",
    "Desa/Kelurahan",
    "No HP",
    "Jenis Usaha",
    "ID DTKS/DTSEN",
    "Desil",
    "Keterangan",
]
KUBE_HEADERS = [
    "Nama KUBE",
    "Jenis Usaha",
    "Kecamatan",
    "Desa/Kelurahan",
    "Jabatan",
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Alamat",
    "RT",
    "RW",
    "No HP",
    "ID DTKS/DTSEN",
    "Desil",
]


def wrse_row(n: int, **changes) -> dict:
    born = changes.pop("born", datetime.date(1980, 1, 1) + datetime.timedelta(days=97 * n))
    row = {
        "NIK": make_nik("647203", born, "P", 5000 + n),
        "No KK": f"647203{n:010d}",
        "Nama Lengkap": f"Warga Perempuan {n}",
        "Tempat Lahir": "Samarinda",
        "Tanggal Lahir": born,
        "Status Perkawinan": "Cerai Mati",
        "Alamat": f"Jl. Pahlawan No. {n}",
        "RT": "3",
        "RW": "1",
        "Kecamatan": "Samarinda Ulu",
        "Desa/Kelurahan": "Jawa",
        "No HP": "0812 3456 7890",
        "Jenis Usaha": "Kue dan Roti",
        "ID DTKS/DTSEN": f"DTKS{n}",
        "Desil": 1,
        "Keterangan": "",
    }
    row.update(changes)
    return row


def kube_rows(name: str, start: int, roles=("Ketua", "Sekretaris", "Bendahara", "Anggota", "Anggota")) -> list[dict]:
    rows = []
    for offset, role in enumerate(roles):
        n = start + offset
        born = datetime.date(1975, 3, 1) + datetime.timedelta(days=101 * n)
        sex = "L" if offset % 2 else "P"
        rows.append(
            {
                "Nama KUBE": name,
                "Jenis Usaha": "Warung Sembako",
                "Kecamatan": "Palaran",
                "Desa/Kelurahan": "Bukuan",
                "Jabatan": role,
                "NIK": make_nik("647201", born, sex, 7000 + n),
                "No KK": f"647201{n:010d}",
                "Nama Lengkap": f"Anggota {name} {offset}",
                "Tempat Lahir": "Samarinda",
                "Tanggal Lahir": born.strftime("%d-%m-%Y"),
                "Jenis Kelamin": "Perempuan" if sex == "P" else "Laki-laki",
                "Alamat": "Jl. Poros",
                "RT": "1",
                "RW": "2",
                "No HP": "",
                "ID DTKS/DTSEN": f"D{n}",
                "Desil": 2,
            }
        )
    return rows


def build(rows: list[dict], headers=WRSE_HEADERS, *, sheet_title="Data") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def read_back(data: bytes):
    return load_workbook(io.BytesIO(data))
