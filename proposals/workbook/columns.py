"""The template columns of each program (docs/architecture.md, "The Excel round-trip"), in their order."""

from dataclasses import dataclass

from programs.models import Program


@dataclass(frozen=True)
class ColumnSpec:
    header: str
    field: str
    required: bool = True
    kind: str = "text"  # text, digits16, date, choice, int
    width: int = 16
    help: str = ""


NIK = ColumnSpec(
    "NIK", "nik", kind="digits16", width=20, help="16 digit, ketik sebagai teks (kolom ini sudah berformat teks)"
)
KK = ColumnSpec("No KK", "kk_number", kind="digits16", width=20, help="16 digit nomor Kartu Keluarga")
NAME = ColumnSpec("Nama Lengkap", "full_name", width=28, help="sesuai KTP")
BIRTH_PLACE = ColumnSpec("Tempat Lahir", "birth_place")
BIRTH_DATE = ColumnSpec("Tanggal Lahir", "birth_date", kind="date", width=14, help="tanggal Excel atau HH-BB-TTTT")
ADDRESS = ColumnSpec("Alamat", "address", width=30)
RT = ColumnSpec("RT", "rt", required=False, kind="int", width=6)
RW = ColumnSpec("RW", "rw", required=False, kind="int", width=6)
DISTRICT = ColumnSpec("Kecamatan", "district", kind="choice", width=20, help="pilih dari daftar")
VILLAGE = ColumnSpec("Desa/Kelurahan", "village", width=22, help="pilih dari daftar; dicocokkan dalam kecamatannya")
PHONE = ColumnSpec("No HP", "phone", required=False, width=16)
BUSINESS = ColumnSpec(
    "Jenis Usaha",
    "business_type",
    kind="choice",
    width=24,
    help="pilih dari daftar, atau tulis sendiri (mis. Gorengan)",
)
DTKS = ColumnSpec("ID DTKS/DTSEN", "dtks_id", required=False, width=18)
DESIL = ColumnSpec("Desil", "desil", required=False, kind="int", width=7, help="1 (termiskin) sampai 10")
MARITAL = ColumnSpec("Status Perkawinan", "marital_status", kind="choice", width=16, help="pilih dari daftar")
NOTE = ColumnSpec("Keterangan", "note", required=False, width=24)
GROUP_NAME = ColumnSpec("Nama KUBE", "group_name", width=24, help="sama persis untuk semua anggota satu kelompok")
ROLE = ColumnSpec("Jabatan", "role", kind="choice", width=12, help="Ketua, Sekretaris, Bendahara atau Anggota")
SEX = ColumnSpec("Jenis Kelamin", "sex", kind="choice", width=14, help="Laki-laki atau Perempuan")

COLUMNS = {
    Program.WRSE: [
        NIK,
        KK,
        NAME,
        BIRTH_PLACE,
        BIRTH_DATE,
        MARITAL,
        ADDRESS,
        RT,
        RW,
        DISTRICT,
        VILLAGE,
        PHONE,
        BUSINESS,
        DTKS,
        DESIL,
        NOTE,
    ],
    Program.KUBE: [
        GROUP_NAME,
        BUSINESS,
        DISTRICT,
        VILLAGE,
        ROLE,
        NIK,
        KK,
        NAME,
        BIRTH_PLACE,
        BIRTH_DATE,
        SEX,
        ADDRESS,
        RT,
        RW,
        PHONE,
        DTKS,
        DESIL,
    ],
}


def normalise_header(text) -> str:
    """'  no  kk ' and 'No KK' match: case and spaces do not matter."""
    return " ".join(str(text or "").split()).lower()
