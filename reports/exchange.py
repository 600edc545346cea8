"""By name by address, out (Inpres 4/2025 asks every agency to send its administrative data to BPS): one row per
recipient of the year — a WRSE woman, each member of a KUBE — with the village's 10-digit Kemendagri code and the
regency's BPS code, the goods and their value, the BAST, the monitoring stage and the graduation outcome. And the
year's proposed candidates that the register's current period does not list, by village, for the regency to take
through Musdes/SIKS-NG. Both as .xlsx or CSV, written as they are read (chunks of CHUNK rows, five queries each)."""

import heapq
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from beneficiaries.identity import RESTRICTED_LABEL, is_restricted
from beneficiaries.models import KubeMember
from core.excel import Column
from disbursements.models import Allocation, AllocationLine, Handover
from dtsen.models import Entry, Snapshot
from monitoring.choices import Recommendation
from monitoring.models import Assessment, Visit
from programs.models import Program
from proposals.models import ItemStatus

CHUNK = 1000
PLACE = [Column("Kode Desa/Kel (Kemendagri)", 14), Column("Desa/Kelurahan", 20), Column("Kecamatan", 18),
         Column("Kode Kab/Kota (BPS)", 9), Column("Kabupaten/Kota", 22)]  # fmt: skip
PERSON = [Column("NIK", 19, "identity"), Column("No KK", 19, "identity"), Column("Nama Lengkap", 28),
          Column("Alamat", 28), Column("RT", 5), Column("RW", 5), *PLACE]  # fmt: skip
RECIPIENT_COLUMNS = [
    Column("No", 7, "number"), *PERSON, Column("Program", 8), Column("Nama KUBE", 24), Column("Jabatan di KUBE", 11),
    Column("Barang", 40), Column("Nilai Bantuan", 15, "rupiah"), Column("Nomor BAST", 27),
    Column("Tanggal BAST", 12, "date"), Column("Tahap Monev", 20), Column("Hasil Graduasi", 16),
]  # fmt: skip
CANDIDATE_COLUMNS = [Column("No", 7, "number"), *PLACE, *PERSON[:6], Column("Program", 8), Column("Nama KUBE", 24),
                     Column("Status Usulan", 14), Column("Keterangan", 36)]  # fmt: skip
NOT_LISTED = "Belum terdaftar di DTSEN: usulkan melalui Musdes/Muskel dan SIKS-NG."


def village_code(village) -> str:
    """'64.72.01.1001' -> '6472011001': the 10-digit Kemendagri code as BPS and SIKS-NG write it."""
    return village.code.replace(".", "")


def _place(person) -> list:
    regency = person.regency
    return [
        village_code(person.village),
        person.village.name,
        person.district.name,
        regency.bps_code,
        regency.full_name,
    ]


def _person(person, mask) -> list:
    if is_restricted(person):  # the row stays (every total holds), who it is does not
        return ["", "", RESTRICTED_LABEL, "", "", "", *_place(person)]
    return [mask(person.nik), mask(person.kk_number), person.full_name, person.address, person.rt, person.rw,
            *_place(person)]  # fmt: skip


PERSON_JOINS = ("person__village", "person__district", "person__regency")


def _journey(queryset: QuerySet, item_ref: str) -> QuerySet:
    """The allocation, BAST, last monitoring visit and graduation decision of each row's proposal item."""
    allocation = Allocation.objects.filter(item=OuterRef(item_ref), status=Allocation.Status.ACTIVE)
    handover = Handover.objects.filter(allocation__item=OuterRef(item_ref), status=Handover.Status.DELIVERED)
    delivered = {"handover__allocation__item": OuterRef(item_ref), "handover__status": Handover.Status.DELIVERED}
    visit = Visit.objects.valid().filter(**delivered).order_by("-visited_on", "-pk")
    decided = Assessment.objects.filter(**delivered, status=Assessment.Status.APPROVED)
    return queryset.annotate(
        allocation_id=Subquery(allocation.values("pk")[:1]),
        allocated=Subquery(allocation.values("total")[:1]),
        bast=Subquery(handover.values("number")[:1]),
        bast_date=Subquery(handover.values("handed_over_on")[:1]),
        visit_month=Subquery(visit.values("due_month")[:1]),
        visited=Exists(visit),
        decision=Subquery(decided.order_by("-pk").values("decision")[:1]),
    )


def _goods(allocation_ids) -> dict[int, str]:
    """'1 Mesin Jahit, 2 Kompor Gas' per allocation (one query for a chunk)."""
    lines = defaultdict(list)
    rows = AllocationLine.objects.filter(allocation__in=allocation_ids).values_list(
        "allocation_id", "quantity", "goods__name"
    )
    for allocation, quantity, name in rows.order_by("allocation", "pk"):
        lines[allocation].append(f"{quantity} {name}")
    return {allocation: ", ".join(names) for allocation, names in lines.items()}


def _stage(row) -> str:
    if not row.bast:
        return "Belum diserahkan"
    if not row.visited:
        return "Belum dikunjungi"
    return f"Kunjungan bulan ke-{row.visit_month}" if row.visit_month else "Sudah dikunjungi"


DECISIONS = {value: str(label) for value, label in Recommendation.choices}


def _chunks(queryset: QuerySet) -> Iterator[list]:
    chunk = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def recipients(items: QuerySet) -> tuple[QuerySet, QuerySet]:
    """The WRSE items and the KUBE members of the year's approved items (`items`: already in the user's scope)."""
    approved = items.filter(status=ItemStatus.APPROVED)
    women = _journey(approved.filter(proposal__program=Program.WRSE), "pk").select_related(*PERSON_JOINS)
    kube = approved.filter(proposal__program=Program.KUBE)
    members = _journey(
        KubeMember.objects.filter(group__proposal_items__in=kube).annotate(
            item_id=Subquery(kube.filter(group=OuterRef("group")).values("pk")[:1])
        ),
        "item_id",
    ).select_related("group", *PERSON_JOINS)
    women = women.order_by("proposal__regency", "person__village", "person__full_name", "pk")
    members = members.order_by("group__regency", "group__name", "role", "person__full_name", "pk")
    return women, members


def recipient_count(items: QuerySet) -> int:
    women, members = recipients(items)
    return women.count() + members.count()


def recipient_rows(items: QuerySet, *, mask) -> Iterator[list]:
    women, members = recipients(items)
    n = 0
    for program, queryset in ((Program.WRSE, women), (Program.KUBE, members)):
        for chunk in _chunks(queryset):
            goods = _goods([row.allocation_id for row in chunk if row.allocation_id])
            for row in chunk:
                n += 1
                group = (row.group.name, row.get_role_display()) if program == Program.KUBE else ("", "")
                yield [n, *_person(row.person, mask), program, *group, goods.get(row.allocation_id, ""), row.allocated,
                       row.bast, row.bast_date, _stage(row), DECISIONS.get(row.decision, "")]  # fmt: skip


def current_snapshots(regency_ref: str) -> QuerySet[Entry]:
    """Entries of the register's newest period, in the snapshots that cover the regency at `regency_ref`."""
    newest = Snapshot.objects.filter(status=Snapshot.Status.READY).order_by("-period").values("period")[:1]
    return Entry.objects.filter(
        Q(snapshot__regency__isnull=True) | Q(snapshot__regency=OuterRef(regency_ref)),
        snapshot__status=Snapshot.Status.READY,
        snapshot__period=Subquery(newest),
    )


def candidates(items: QuerySet) -> tuple[QuerySet, QuerySet]:
    """The year's proposed candidates (not rejected) that the register's current period does not list."""
    proposed = items.exclude(status=ItemStatus.REJECTED)
    women = (
        proposed.filter(proposal__program=Program.WRSE)
        .exclude(Exists(current_snapshots("person__regency").filter(nik=OuterRef("person__nik"))))
        .select_related(*PERSON_JOINS)
        .order_by("person__village", "person__full_name", "pk")
    )
    kube = proposed.filter(proposal__program=Program.KUBE)
    members = (
        KubeMember.objects.filter(group__proposal_items__in=kube)
        .exclude(Exists(current_snapshots("person__regency").filter(nik=OuterRef("person__nik"))))
        .annotate(status=Subquery(kube.filter(group=OuterRef("group")).values("status")[:1]))
        .select_related("group", *PERSON_JOINS)
        .order_by("person__village", "person__full_name", "pk")
    )
    return women, members


def candidate_count(items: QuerySet) -> int:
    women, members = candidates(items)
    return women.count() + members.count()


STATUSES = {value: str(label) for value, label in ItemStatus.choices}


def candidate_rows(items: QuerySet, *, mask) -> Iterator[list]:
    """By village (the Musdes is the village's): the women, then the KUBE members, each sorted by village."""
    women, members = candidates(items)
    wrse = ((row.person, Program.WRSE, "", STATUSES.get(row.status, "")) for row in women.iterator(chunk_size=CHUNK))
    kube = ((row.person, Program.KUBE, row.group.name, STATUSES.get(row.status, ""))
            for row in members.iterator(chunk_size=CHUNK))  # fmt: skip
    # Both come sorted by village: merged as they are read, never held whole.
    merged = heapq.merge(wrse, kube, key=lambda row: (row[0].village_id, row[0].full_name))
    for n, (person, program, group, status) in enumerate(merged, 1):
        yield [n, *_place(person), *_person(person, mask)[:6], program, group, status, NOT_LISTED]
