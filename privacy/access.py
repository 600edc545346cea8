"""A person's file (Art. 32, the right of access): every field held about them and every record that concerns them —
proposals, allocations and their BASTs, Bimtek attendance, monitoring visits, graduation assessments, complaints,
the register's desil by period and the field re-checks — and the processing trail from the audit log (who created,
changed, merged or saw the whole NIK, and when). One workbook, a sheet per kind, whole numbers: it is for the person."""

from collections.abc import Iterator

from openpyxl import Workbook

from audit.labels import action_label
from audit.models import AuditEvent
from beneficiaries.models import KubeMember, Person
from complaints.models import Complaint
from core.excel import Column, ReportWriter
from core.formatting import datetime_wita, quarter
from disbursements.models import Allocation, Handover
from dtsen.selectors import history
from monitoring.models import Assessment, Visit
from proposals.selectors import person_proposals
from rechecks.models import Recheck
from training.models import Attendance

FIELDS = [
    ("NIK", "nik"), ("No. KK", "kk_number"), ("Nama lengkap", "full_name"), ("Jenis kelamin", "sex_label"),
    ("Tempat lahir", "birth_place"), ("Tanggal lahir", "birth_date"), ("Status perkawinan", "marital_label"),
    ("Alamat", "address"), ("RT", "rt"), ("RW", "rw"), ("Desa/Kelurahan", "village"), ("Kecamatan", "district"),
    ("Kabupaten/Kota", "regency"), ("No. HP", "phone"), ("Pekerjaan", "occupation"), ("ID DTKS/DTSEN", "dtks_id"),
    ("Desil (diketik)", "desil"), ("Terakhir menerima bantuan", "last_assisted_year"),
    ("Lulus (graduasi)", "graduated_year"), ("Dicatat pada", "created_at"), ("Diubah pada", "updated_at"),
]  # fmt: skip


def _value(person, name):
    if name == "marital_label":
        return person.get_marital_status_display()
    value = getattr(person, name)
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return datetime_wita(value)
    return value if isinstance(value, int | str) or value is None or hasattr(value, "isoformat") else str(value)


def _sheets(person: Person) -> Iterator[tuple[str, list[Column], Iterator[list]]]:
    yield (
        "Data Pribadi",
        [Column("Data", 26), Column("Isi", 48, "identity")],
        ([label, _value(person, name)] for label, name in FIELDS),
    )
    items = list(person_proposals(person=person))
    yield "Usulan", [Column("Tahun", 8, "number"), Column("Program", 8), Column("Kab/Kota", 20), Column("KUBE", 24),
                     Column("Status", 12), Column("Alasan", 40)], (  # fmt: skip
        [item.proposal.budget_year.year, item.proposal.program, str(item.proposal.regency),
         item.group.name if item.group_id else "", item.get_status_display(), item.reason]
        for item in items
    )  # fmt: skip
    allocations = Allocation.objects.filter(item__in=items).select_related("budget_year").order_by("pk")
    yield (
        "Alokasi",
        [
            Column("Tahun", 8, "number"),
            Column("Program", 8),
            Column("Nilai", 15, "rupiah"),
            Column("Status", 12),
            Column("Alasan pembatalan", 30),
        ],
        (  # fmt: skip
            [a.budget_year.year, a.program, a.total, a.get_status_display(), a.void_reason] for a in allocations
        ),
    )
    handovers = Handover.objects.filter(allocation__item__in=items).order_by("pk")
    yield (
        "BAST",
        [Column("Nomor BAST", 28), Column("Tanggal", 12, "date"), Column("Nilai", 15, "rupiah"), Column("Status", 12)],
        (  # fmt: skip
            [h.number, h.handed_over_on, h.value, h.get_status_display()] for h in handovers
        ),
    )
    attendances = Attendance.objects.filter(person=person).select_related("session").order_by("pk")
    yield (
        "Bimtek",
        [Column("Materi", 30), Column("Tanggal", 12, "date"), Column("Kehadiran", 12)],
        ([a.session.topic, a.session.start_date, a.get_status_display()] for a in attendances),
    )
    visits = Visit.objects.filter(handover__in=handovers).order_by("visited_on", "pk")
    yield (
        "Kunjungan Monev",
        [
            Column("Tanggal", 12, "date"),
            Column("Bulan ke-", 9, "number"),
            Column("Status usaha", 22),
            Column("Omzet/bulan", 15, "rupiah"),
        ],
        (  # fmt: skip
            [v.visited_on, v.due_month, v.get_business_status_display(), v.turnover] for v in visits
        ),
    )
    assessments = Assessment.objects.filter(handover__in=handovers).order_by("pk")
    yield (
        "Graduasi",
        [Column("Keputusan", 20), Column("Status", 14)],
        ([a.get_decision_display(), a.get_status_display()] for a in assessments),
    )
    complaints = Complaint.objects.filter(person=person).order_by("pk")
    yield (
        "Pengaduan",
        [Column("Nomor", 18), Column("Diterima", 12, "date"), Column("Kategori", 24), Column("Status", 16)],
        (  # fmt: skip
            [c.number, c.received_on, c.get_category_display(), c.get_status_display()] for c in complaints
        ),
    )
    yield (
        "DTSEN",
        [Column("Periode", 22), Column("Desil", 7, "number"), Column("ID DTSEN", 20)],
        ([f"DTSEN {quarter(fact.period)}", fact.desil, fact.dtsen_id] for fact in history(person.nik)),
    )
    rechecks = Recheck.objects.filter(person=person).order_by("period")
    yield (
        "Verifikasi DTSEN",
        [Column("Periode", 22), Column("Hasil", 14), Column("Alasan", 40), Column("Tanggal", 12, "date")],
        (  # fmt: skip
            [r.period_label, r.get_outcome_display(), r.reason, r.checked_on] for r in rechecks
        ),
    )
    yield (
        "Jejak Pemrosesan",
        [Column("Waktu", 18), Column("Oleh", 24), Column("Kegiatan", 36), Column("Objek", 30)],
        (
            [
                datetime_wita(e.created_at),
                str(e.actor) if e.actor_id else "sistem",
                action_label(e.action),
                e.object_repr,
            ]
            for e in trail(person)
        ),
    )


def trail(person: Person):
    """The audit events about the person and their own records (who created, changed, merged, saw the whole NIK)."""
    kinds = {"beneficiaries.person": [person.pk], "beneficiaries.kubemember": list(
        KubeMember.objects.filter(person=person).values_list("pk", flat=True))}  # fmt: skip
    events = AuditEvent.objects.none()
    for kind, ids in kinds.items():
        if ids:
            events |= AuditEvent.objects.filter(object_type=kind, object_id__in=[str(pk) for pk in ids])
    return events.select_related("actor").order_by("created_at", "pk")


def person_file(person: Person) -> ReportWriter:
    """The workbook: the first sheet's writer holds the book; save or stream it."""
    workbook = Workbook(write_only=True)
    first = None
    for title, columns, rows in _sheets(person):
        writer = ReportWriter(title, columns, filters=[("Penduduk", f"{person.full_name} ({person.nik})"),
                                                       ("Dibuat untuk", "permintaan akses subjek data")],
                              full_numbers=True, workbook=workbook)  # fmt: skip
        for row in rows:
            writer.append(row)
        writer.finish_sheet()
        first = first or writer
    return first
