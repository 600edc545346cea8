"""Rows of the registry's Excel exports (the writing itself is core.excel.ReportWriter)."""

from collections.abc import Iterator

from django.db.models import Count, QuerySet

from beneficiaries.identity import RESTRICTED_LABEL, mask_nik, name_and_nik
from beneficiaries.models import PERSON_IDENTITY, KubeGroup, MaritalStatus, MemberRole, Person, Sex
from beneficiaries.permissions import can_see_full_nik
from core.excel import Column, ReportWriter

PERSON_COLUMNS = [
    Column("No", 7, "number"),
    Column("NIK", 19, "identity"),
    Column("No KK", 19, "identity"),
    Column("Nama Lengkap", 30),
    Column("Jenis Kelamin", 12),
    Column("Tempat Lahir", 16),
    Column("Tanggal Lahir", 13, "date"),
    Column("Status Perkawinan", 15),
    Column("Alamat", 30),
    Column("RT", 5),
    Column("RW", 5),
    Column("Desa/Kelurahan", 20),
    Column("Kecamatan", 18),
    Column("Kabupaten/Kota", 22),
    Column("No HP", 15),
    Column("ID DTKS/DTSEN", 18),
    Column("Desil", 7, "number"),
    Column("Pekerjaan", 18),
    Column("Terakhir Dibantu", 10, "number"),
]

_PERSON_VALUES = [
    *PERSON_IDENTITY,
    "village__name",
    "district__name",
    "regency__kind",
    "regency__name",
    "phone",
    "dtks_id",
    "desil",
    "occupation",
    "last_assisted_year",
    "restricted_at",
    "erased_at",
]


def person_rows(people: QuerySet[Person], *, full_nik: bool) -> Iterator[list]:
    """One list per person in name order, read in chunks (server-side cursor on PostgreSQL)."""
    sexes, statuses = dict(Sex.choices), dict(MaritalStatus.choices)
    rows = people.order_by("full_name", "id").values_list(*_PERSON_VALUES).iterator(chunk_size=2000)
    for number, row in enumerate(rows, start=1):
        (nik, kk, name, sex, place, born, status, address, rt, rw, village, district, kind, regency, phone,
         dtks, desil, occupation, assisted, restricted, erased) = row  # fmt: skip
        if restricted and not erased:  # Art. 41: the row stays in the count, who it is does not
            yield [number, None, None, RESTRICTED_LABEL, *[None] * 9, f"{kind.title()} {regency}", *[None] * 5]
            continue
        yield [
            number,
            nik if full_nik else mask_nik(nik),
            kk if full_nik else mask_nik(kk),
            name,
            str(sexes.get(sex, sex)),
            place,
            born,
            str(statuses.get(status, status)),
            address,
            rt,
            rw,
            village,
            district,
            f"{kind.title()} {regency}",
            phone,
            dtks,
            desil,
            occupation,
            assisted,
        ]


GROUP_COLUMNS = [
    Column("No", 7, "number"),
    Column("Nama KUBE", 28),
    Column("Jenis Usaha", 22),
    Column("Desa/Kelurahan", 20),
    Column("Kecamatan", 18),
    Column("Kabupaten/Kota", 22),
    Column("Tanggal Berdiri", 13, "date"),
    Column("Jumlah Anggota", 10, "number"),
    Column("Ketua", 24),
    Column("Sekretaris", 24),
    Column("Bendahara", 24),
    Column("Status", 10),
]


def group_rows(groups: QuerySet[KubeGroup]) -> Iterator[list]:
    """One list per group; expects `officers` prefetched (members with an officer role)."""
    groups = (
        groups.select_related("business_type", "village", "district", "regency")
        .annotate(member_count=Count("members"))
        .order_by("name", "id")
    )
    for number, group in enumerate(groups.iterator(chunk_size=500), start=1):
        officers = {m.role: name_and_nik(m.person, mask_nik)[0] for m in getattr(group, "officers", [])}
        yield [
            number,
            group.name,
            group.business_type.name,
            group.village.name,
            group.district.name,
            group.regency.full_name,
            group.founded,
            group.member_count,
            officers.get(MemberRole.CHAIR, ""),
            officers.get(MemberRole.SECRETARY, ""),
            officers.get(MemberRole.TREASURER, ""),
            "Aktif" if group.is_active else "Tidak aktif",
        ]


def person_writer(user, filterset):
    """The people workbook of a filtered list: the writer, its rows (lazy) and the audit details."""
    full_nik = can_see_full_nik(user)
    writer = ReportWriter("Daftar Penduduk", PERSON_COLUMNS, filters=filterset.applied(), full_numbers=full_nik)
    rows = person_rows(filterset.qs, full_nik=full_nik)
    return writer, rows, {"filters": dict(filterset.applied()), "full_nik": full_nik}
