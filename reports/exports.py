"""The official workbooks' rows (the writing is core.excel.ReportWriter: title block, frozen
header, autofilter, A4 landscape). Row generators stream querysets in chunks: memory stays flat."""

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from beneficiaries.identity import RESTRICTED_LABEL, is_restricted, name_and_nik
from beneficiaries.models import KubeMember
from core.excel import Column, Total
from disbursements.models import Allocation, Handover
from reports.selectors import STAGES, Recap

RECAP_COLUMNS = [
    Column("Kabupaten/Kota", 24),
    Column("Program", 8),
    Column("Pagu", 17, "rupiah"),
    Column("Target", 8, "number"),
    Column("Diusulkan", 10, "number"),
    Column("Disetujui", 10, "number"),
    Column("Dialokasikan", 11, "number"),
    Column("Bimtek", 8, "number"),
    Column("Diserahkan", 10, "number"),
    Column("Teralokasi", 17, "rupiah"),
    Column("Realisasi", 17, "rupiah"),
    Column("Sisa Pagu", 17, "rupiah"),
    Column("% Penyerapan", 11, "number"),
]


def _recap_values(name, program, line) -> list:
    return [name, program, line.amount, line.target, *[line.counts[s] for s in STAGES], line.committed,
            line.realised, line.remaining, line.absorption]  # fmt: skip


def recap_rows(recap: Recap, program: str | None = None) -> Iterator[list]:
    for line in recap.lines:
        if program and line.program != program:
            continue
        yield _recap_values(str(line.regency), line.program, line)
    yield Total(_recap_values("JUMLAH", program or "", recap.total(program)))


PERSON_HEADERS = [
    Column("NIK", 19, "identity"),
    Column("No KK", 19, "identity"),
    Column("Nama Lengkap", 28),
    Column("Jenis Kelamin", 9),
    Column("Tempat Lahir", 14),
    Column("Tanggal Lahir", 12, "date"),
    Column("Alamat", 28),
    Column("RT/RW", 8),
    Column("Desa/Kelurahan", 20),
    Column("Kecamatan", 18),
    Column("Kabupaten/Kota", 22),
]
BNBA_WRSE = [Column("No", 7, "number"), *PERSON_HEADERS, Column("Jenis Usaha", 20), Column("ID DTKS/DTSEN", 16),
             Column("Desil", 6, "number"), Column("Nilai Alokasi", 15, "rupiah"), Column("Nomor BAST", 27)]  # fmt: skip
BNBA_KUBE = [Column("No", 7, "number"), Column("Nama KUBE", 24), Column("Jabatan", 11), *PERSON_HEADERS,
             Column("Jenis Usaha", 20), Column("Nilai Alokasi KUBE", 15, "rupiah"),
             Column("Nomor BAST", 27)]  # fmt: skip


def _total_line(columns, values: dict[int, object]) -> Total:
    return Total([values.get(index) for index in range(len(columns))])


def _money_and_bast(queryset: QuerySet, item_ref: str) -> QuerySet:
    allocation = Allocation.objects.filter(item=OuterRef(item_ref), status=Allocation.Status.ACTIVE)
    handover = Handover.objects.filter(allocation__item=OuterRef(item_ref), status=Handover.Status.DELIVERED)
    return queryset.annotate(
        allocated=Subquery(allocation.values("total")[:1]), bast=Subquery(handover.values("number")[:1])
    )


def _person(person, mask) -> list:
    if is_restricted(person):  # the row stays (every total holds), who it is does not
        return [None, None, RESTRICTED_LABEL, None, None, None, None, None, None, None, str(person.regency)]
    return [mask(person.nik), mask(person.kk_number), person.full_name, person.sex, person.birth_place,
            person.birth_date, person.address, f"{person.rt or '-'}/{person.rw or '-'}", person.village.name,
            person.district.name, str(person.regency)]  # fmt: skip


def bnba_wrse(items: QuerySet, *, mask) -> Iterator[list]:
    """One row per approved WRSE recipient."""
    queryset = _money_and_bast(items, "pk").select_related(
        "person__village", "person__district", "person__regency", "business_type"
    )
    total, n = Decimal(0), 0
    for n, item in enumerate(queryset.order_by("proposal__regency", "person__full_name", "pk").iterator(2000), 1):
        p = item.person
        total += item.allocated or 0
        yield [n, *_person(p, mask), str(item.business_type or ""), p.dtks_id, p.desil, item.allocated, item.bast]
    yield _total_line(BNBA_WRSE, {3: f"JUMLAH: {n} penerima", len(BNBA_WRSE) - 2: total})


def bnba_kube_members(items: QuerySet) -> QuerySet:
    return KubeMember.objects.filter(group__proposal_items__in=items)


def bnba_kube(items: QuerySet, *, mask) -> Iterator[list]:
    """One row per member of each approved KUBE group (the group's allocation on every member's row)."""
    members = _money_and_bast(
        bnba_kube_members(items).annotate(item_id=Subquery(items.filter(group=OuterRef("group")).values("pk")[:1])),
        "item_id",
    ).select_related("group__business_type", "person__village", "person__district", "person__regency")
    ordered = members.order_by("group__regency", "group__name", "role", "person__full_name", "pk")
    groups, total, n = set(), Decimal(0), 0
    for n, m in enumerate(ordered.iterator(2000), 1):
        if m.group_id not in groups:  # the group's value once, though every member's row shows it
            groups.add(m.group_id)
            total += m.allocated or 0
        yield [n, m.group.name, m.get_role_display(), *_person(m.person, mask), str(m.group.business_type),
               m.allocated, m.bast]  # fmt: skip
    yield _total_line(BNBA_KUBE, {1: f"JUMLAH: {len(groups)} KUBE", 2: f"{n} anggota", len(BNBA_KUBE) - 2: total})


VERIFICATION_COLUMNS = [
    Column("No", 7, "number"),
    Column("Kabupaten/Kota", 22),
    Column("Program", 8),
    Column("Calon Penerima", 28),
    Column("NIK", 19, "identity"),
    Column("Status", 12),
    Column("Alasan", 30),
    Column("Hasil Pemeriksaan", 50),
    Column("Diputuskan Oleh", 20),
    Column("Tanggal Keputusan", 12, "date"),
]


def verification_rows(items: QuerySet, *, mask) -> Iterator[list]:
    from django.utils import timezone

    queryset = items.select_related("proposal__regency", "person", "group", "decided_by").order_by(
        "proposal__regency", "proposal__program", "pk"
    )
    statuses: dict[str, int] = {}
    n = 0
    for n, item in enumerate(queryset.iterator(2000), 1):
        statuses[item.get_status_display()] = statuses.get(item.get_status_display(), 0) + 1
        checks = "; ".join(
            f"{'KESALAHAN' if c['level'] == 'error' else 'Peringatan'}: {c['message']}" for c in item.checks
        )
        decided = timezone.localtime(item.decided_at).date() if item.decided_at else None
        yield [n, str(item.proposal.regency), item.proposal.program,
               *(name_and_nik(item.person, mask) if item.person_id else (item.group.label, "")),
               item.get_status_display(), item.reason, checks,
               str(item.decided_by or ""), decided]  # fmt: skip
    summary = ", ".join(f"{label} {count}" for label, count in sorted(statuses.items()))
    yield _total_line(VERIFICATION_COLUMNS, {1: "JUMLAH", 3: f"{n} calon penerima", 5: summary})


ATTENDANCE_COLUMNS = [
    Column("No", 7, "number"),
    Column("Kabupaten/Kota", 22),
    Column("Program", 8),
    Column("Materi", 26),
    Column("Tanggal", 12, "date"),
    Column("Nama Peserta", 28),
    Column("NIK", 19, "identity"),
    Column("KUBE", 20),
    Column("Kehadiran", 12),
]


def attendance_rows(attendances: QuerySet, *, mask) -> Iterator[list]:
    queryset = attendances.select_related("session__regency", "person", "item__group").order_by(
        "session__regency", "session__start_date", "session_id", "person__full_name", "pk"
    )
    present = total = 0
    for n, a in enumerate(queryset.iterator(2000), 1):
        total += 1
        present += a.status == "present"
        group = a.item.group.name if a.item.group_id else ""
        yield [n, str(a.session.regency), a.session.program, a.session.topic, a.session.start_date,
               *name_and_nik(a.person, mask), group, a.get_status_display() or "belum dicatat"]  # fmt: skip
    rate = f"{round(present * 100 / total, 1)}% hadir" if total else ""
    yield Total([None, "JUMLAH", None, None, None, f"{total} peserta, {present} hadir", None, None, rate])


# Monitoring (monev), graduation and post-distribution verification -------------------------------------------

MONITORING_RECAP_COLUMNS = [
    Column("Kabupaten/Kota", 24),
    Column("Penerima WRSE", 10, "number"),
    Column("Penerima KUBE", 10, "number"),
    Column("Kunjungan Selesai", 11, "number"),
    Column("Jatuh Tempo", 10, "number"),
    Column("Terlambat", 10, "number"),
    Column("Lulus WRSE", 10, "number"),
    Column("Lulus KUBE", 10, "number"),
    Column("% Lulus", 9, "number"),
]


def monitoring_recap_rows(outcomes) -> Iterator[list]:
    """One row per regency with recipients (the dashboard's figures), then the total."""

    def values(name, recipients, graduates, done, due, overdue):
        total = sum(recipients.values())
        share = round(100 * sum(graduates.values()) / total) if total else 0
        return [name, recipients.get("WRSE", 0), recipients.get("KUBE", 0), done, due, overdue,
                graduates.get("WRSE", 0), graduates.get("KUBE", 0), share]  # fmt: skip

    recipients, graduates = {"WRSE": 0, "KUBE": 0}, {"WRSE": 0, "KUBE": 0}
    for line in outcomes.regencies:
        if not line.recipients_total:
            continue
        for program in recipients:
            recipients[program] += line.recipients.get(program, 0)
            graduates[program] += line.graduates.get(program, 0)
        yield values(str(line.regency), line.recipients, line.graduates, line.done, line.due, line.overdue)
    yield Total(
        values("JUMLAH", recipients, graduates, outcomes.done_total, outcomes.due_total, outcomes.overdue_total)
    )


VISIT_COLUMNS = [
    Column("No", 7, "number"),
    Column("Kabupaten/Kota", 20),
    Column("Program", 8),
    Column("Penerima / KUBE", 26),
    Column("NIK", 19, "identity"),
    Column("Desa/Kelurahan", 18),
    Column("Nomor BAST", 27),
    Column("Kunjungan", 11),
    Column("Tanggal Kunjungan", 12, "date"),
    Column("Petugas", 18),
    Column("Cara", 16),
    Column("Status Usaha", 18),
    Column("Omzet/Bulan", 14, "rupiah"),
    Column("Pendapatan Bersih/Bulan", 14, "rupiah"),
    Column("Tenaga Kerja/Anggota Aktif", 10, "number"),
    Column("Tahap KUBE", 11),
    Column("Saldo IKS", 13, "rupiah"),
    Column("Kondisi Barang", 36),
    Column("Masalah", 30),
    Column("Tindak Lanjut", 30),
]


def visit_rows(visits: QuerySet, *, mask) -> Iterator[list]:
    """The visit register: every valid visit, the units of each goods line by condition written out (findings in
    capitals: "Oven Gas: dipakai 2, DIJUAL 1")."""
    from monitoring.models import FINDING_CONDITIONS, GoodsCondition, VisitGoods
    from monitoring.units import describe

    queryset = (
        visits.select_related(
            "regency",
            "handover",
            "handover__allocation__item__person__village",
            "handover__allocation__item__group__village",
        )
        .prefetch_related(Prefetch("goods", queryset=VisitGoods.objects.select_related("line__goods")))
        .order_by("regency_id", "handover_id", "due_month", "visited_on", "pk")
    )
    n = 0
    for n, visit in enumerate(queryset.iterator(2000), 1):
        item = visit.handover.allocation.item
        person = item.person if item.person_id else None
        village = person.village if person else item.group.village
        goods = "; ".join(
            f"{line.goods.name}: "
            + describe({g.condition: g.quantity for g in found}, GoodsCondition.choices, shout=FINDING_CONDITIONS)
            for line, found in visit.goods_by_line()
        )
        yield [n, str(visit.regency), visit.program,
               *(name_and_nik(person, mask) if person else (item.group.name, "")),
               village.name if village else "", visit.handover.number,
               f"Bulan ke-{visit.due_month}" if visit.due_month else "Tambahan", visit.visited_on,
               visit.visitor_name, visit.get_mode_display(), visit.get_business_status_display(), visit.turnover,
               visit.net_income, visit.workers, visit.get_stage_display(), visit.iks_balance, goods, visit.problems,
               visit.follow_up]  # fmt: skip
    yield _total_line(VISIT_COLUMNS, {1: "JUMLAH", 3: f"{n} kunjungan"})


GRADUATION_COLUMNS = [
    Column("No", 7, "number"),
    Column("Program", 8),
    Column("Nama KUBE", 22),
    Column("Jabatan", 11),
    *PERSON_HEADERS,
    Column("Skor Kesiapan (%)", 10, "number"),
    Column("Nomor BAST", 27),
    Column("Tanggal Disetujui", 12, "date"),
]


def graduation_rows(assessments: QuerySet, *, mask) -> Iterator[list]:
    """BNBA of the graduates (approved "lulus"): the woman, or every member of the KUBE group."""
    from django.utils import timezone

    queryset = assessments.select_related(
        "handover",
        "handover__allocation__item__person__village",
        "handover__allocation__item__person__district",
        "handover__allocation__item__person__regency",
        "handover__allocation__item__group",
    ).order_by("regency_id", "program", "pk")
    assessments = list(queryset)
    groups = [a.handover.allocation.item.group_id for a in assessments if a.program == "KUBE"]
    members: dict[int, list] = {}
    for m in (
        KubeMember.objects.filter(group__in=groups)
        .select_related("person__village", "person__district", "person__regency")
        .order_by("group", "role", "person__full_name")
    ):
        members.setdefault(m.group_id, []).append(m)
    n, people = 0, 0
    for assessment in assessments:
        item = assessment.handover.allocation.item
        approved = timezone.localtime(assessment.reviewed_at).date() if assessment.reviewed_at else None
        common = [assessment.readiness_percent, assessment.handover.number, approved]
        if item.person_id:
            n += 1
            people += 1
            yield [n, assessment.program, "", "", *_person(item.person, mask), *common]
        else:
            for m in members.get(item.group_id, []):
                n += 1
                people += 1
                yield [n, assessment.program, item.group.name, m.get_role_display(), *_person(m.person, mask), *common]
    yield _total_line(GRADUATION_COLUMNS, {1: "JUMLAH", 2: f"{len(assessments)} penerima lulus", 4: f"{people} orang"})


POST_VERIFICATION_COLUMNS = [
    Column("No", 7, "number"),
    Column("Kabupaten/Kota", 20),
    Column("Program", 8),
    Column("Penerima / KUBE", 26),
    Column("NIK", 19, "identity"),
    Column("Nomor BAST", 27),
    Column("Hasil", 22),
    Column("Hasil per Barang", 36),
    Column("Catatan", 36),
    Column("Tanggal Pemeriksaan", 12, "date"),
    Column("Pemeriksa", 18),
]


def post_verification_rows(results: QuerySet, *, mask) -> Iterator[list]:
    from disbursements.models import HandoverLine

    queryset = results.select_related(
        "regency", "checked_by", "handover__allocation__item__person", "handover__allocation__item__group"
    ).prefetch_related(Prefetch("handover__lines", queryset=HandoverLine.objects.select_related("goods")))
    outcomes: dict[str, int] = {}
    n = 0
    for n, result in enumerate(queryset.order_by("regency_id", "sample_id", "position").iterator(2000), 1):
        item = result.handover.allocation.item
        label = result.get_outcome_display() or "Belum diperiksa"
        outcomes[label] = outcomes.get(label, 0) + 1
        lines = result.lines_text()
        yield [n, str(result.regency), result.handover.program,
               *(name_and_nik(item.person, mask) if item.person_id else (item.group.name, "")),
               result.handover.number, label, lines, result.note,
               result.checked_on, str(result.checked_by or "")]  # fmt: skip
    summary = ", ".join(f"{label} {count}" for label, count in sorted(outcomes.items()))
    yield _total_line(POST_VERIFICATION_COLUMNS, {1: "JUMLAH", 3: f"{n} penerima dalam sampel", 6: summary})


COMPLAINT_COLUMNS = [
    Column("No", 7, "number"),
    Column("Nomor Pengaduan", 16),
    Column("Tanggal Diterima", 12, "date"),
    Column("Saluran", 16),
    Column("Kabupaten/Kota", 22),
    Column("Kategori", 22),
    Column("Jenis Penanganan", 22),
    Column("Status", 18),
    Column("Hasil", 14),
    Column("Batas Tanggapan", 12, "date"),
    Column("Batas Penyelesaian", 12, "date"),
    Column("Tanggal Selesai", 12, "date"),
    Column("Terlambat", 9),
]


def complaint_rows(complaints: QuerySet, *, today) -> Iterator[list]:
    """Every complaint of the year, without the complainant (names and contacts stay in the app)."""
    from django.utils import timezone

    n = late = 0
    for n, c in enumerate(complaints.select_related("regency").order_by("year", "sequence").iterator(2000), 1):
        closed = timezone.localtime(c.closed_at).date() if c.closed_at else None
        overdue = (closed or today) > c.resolve_by or (c.status == "baru" and today > c.respond_by)
        late += overdue
        yield [n, c.number, c.received_on, c.get_channel_display(), str(c.regency), c.get_category_display(),
               c.get_complexity_display(), c.get_status_display(), c.get_outcome_display(), c.respond_by,
               c.resolve_by, closed, "Ya" if overdue else ""]  # fmt: skip
    yield _total_line(COMPLAINT_COLUMNS, {1: "JUMLAH", 2: f"{n} pengaduan", 12: f"{late} terlambat"})
