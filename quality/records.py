"""The records behind each number of one regency's scorecard (the drill-down): the people with missing fields, the
BASTs without their scan or photo, the visits done late, the rows refused with their reasons … — at most LIMIT
each, scoped as the pages that show them (a sensitive complaint only to those who may read it)."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from beneficiaries.identity import mask_nik, name_and_nik
from beneficiaries.models import KubeMember, Person
from complaints.models import Outcome
from complaints.models import Status as ComplaintStatus
from complaints.selectors import complaints_visible_to
from core.formatting import rupiah
from disbursements.models import Allocation, Handover
from monitoring.models import Visit, VisitPhoto
from monitoring.models.verification import DISCREPANCIES, VerificationResult
from monitoring.schedule import GRACE_DAYS
from privacy.models import ANSWER_HOURS
from privacy.selectors import requests_visible_to
from proposals.models import Proposal, ProposalItem, Upload
from quality.consistency import beyond, desil_differences, off_band, resubmission_days, turnover_spread, with_gap
from quality.functions import VisitDeadline
from quality.selectors import FILLED

LIMIT = 100
FIELD_LABELS = {"phone": "No HP", "address": "alamat", "rt": "RT", "rw": "RW", "dtks_id": "ID DTSEN"}


@dataclass
class Record:
    label: str
    detail: str
    url: str = ""


WHO = "allocation__item__person"  # the recipient behind a BAST, for her name (or "Data dibatasi")


def _who(handover) -> str:
    """The recipient's name as lists show it: the copy on the BAST, or the restriction's label (Art. 41)."""
    person = handover.allocation.item.person
    return person.listed_name if person is not None else handover.recipient_name


def _missing(person) -> str:
    return ", ".join(label for name, label in FIELD_LABELS.items() if not getattr(person, name))


def _incomplete(prefix: str) -> Q:
    found = Q()
    for name in FILLED:
        found |= Q(**{f"{prefix}{name}": ""})
    return found


def _people(budget_year, regency) -> list[Record]:
    found = []
    items = ProposalItem.objects.filter(
        _incomplete("person__"), proposal__budget_year=budget_year, proposal__regency=regency, person__isnull=False
    ).select_related("person")
    for item in items.order_by("person__full_name", "pk")[:LIMIT]:
        name, nik = name_and_nik(item.person, mask_nik)
        found.append(Record(f"{name} ({nik})", f"belum diisi: {_missing(item.person)}",
                            item.person.get_absolute_url()))  # fmt: skip
    members = KubeMember.objects.filter(
        _incomplete("person__"), group__proposal_items__proposal__budget_year=budget_year,
        group__proposal_items__proposal__regency=regency,
    ).select_related("person", "group")  # fmt: skip
    for member in members.order_by("group__name", "person__full_name", "pk")[: LIMIT - len(found)]:
        name, nik = name_and_nik(member.person, mask_nik)
        found.append(Record(f"{name} ({nik}) — KUBE {member.group.name}",
                            f"belum diisi: {_missing(member.person)}", member.person.get_absolute_url()))  # fmt: skip
    return found


def _handovers(budget_year, regency) -> list[Record]:
    handovers = (
        Handover.objects.filter(
            Q(signed_scan="") | Q(photo=""), budget_year=budget_year, regency=regency, status=Handover.Status.DELIVERED
        )
        .select_related(WHO)
        .order_by("handed_over_on", "pk")[:LIMIT]
    )
    found = []
    for h in handovers:
        missing = [text for text, absent in (("pindaian bertanda tangan", not h.signed_scan), ("foto", not h.photo))
                   if absent]  # fmt: skip
        found.append(Record(f"{h.number} — {_who(h)}", " dan ".join(missing) + " belum diunggah",
                            h.get_absolute_url()))  # fmt: skip
    return found


def _photos(budget_year, regency) -> list[Record]:
    photos = VisitPhoto.objects.filter(
        Q(latitude__isnull=True) | Q(longitude__isnull=True), visit__budget_year=budget_year, visit__regency=regency,
        visit__status="valid",
    ).select_related(f"visit__handover__{WHO}").order_by("visit__visited_on", "pk")[:LIMIT]  # fmt: skip
    return [
        Record(f"Kunjungan {p.visit.visited_on:%d-%m-%Y} — {_who(p.visit.handover)}", "foto tanpa lokasi GPS",
               p.visit.get_absolute_url())
        for p in photos
    ]  # fmt: skip


def _proposals(budget_year, regency) -> list[Record]:
    deadline = budget_year.proposal_deadline
    if not deadline:
        return []
    late = Q(submitted_at__date__gt=deadline) | Q(submitted_at__isnull=True)
    proposals = Proposal.objects.filter(late, budget_year=budget_year, regency=regency).exclude(items=None)
    return [
        Record(str(p), f"diajukan {timezone.localtime(p.submitted_at):%d-%m-%Y}" if p.submitted_at
               else "belum diajukan", p.get_absolute_url())
        for p in proposals[:LIMIT]
    ]  # fmt: skip


def _visits(budget_year, regency) -> list[Record]:
    late = (
        Visit.objects.filter(budget_year=budget_year, regency=regency, status="valid", due_month__isnull=False)
        .annotate(deadline=VisitDeadline("handed_over_on", "due_month", GRACE_DAYS))
        .filter(visited_on__gt=F("deadline"))
        .select_related(f"handover__{WHO}")
        .order_by("visited_on", "pk")[:LIMIT]
    )
    found = [
        Record(f"{_who(v.handover)} — bulan ke-{v.due_month}",
               f"dikunjungi {v.visited_on:%d-%m-%Y}, batas {v.deadline:%d-%m-%Y}", v.get_absolute_url())
        for v in late
    ]  # fmt: skip
    worklist = reverse("monitoring:worklist") + f"?status=terlambat&kabupaten={regency.pk}&tahun={budget_year.year}"
    found.append(Record("Kunjungan terlambat yang belum dilakukan", "lihat daftar kerja monev", worklist))
    return found


def _complaints(user, budget_year, regency, *, proven: bool) -> list[Record]:
    complaints = complaints_visible_to(user).filter(year=budget_year.year, regency=regency)
    if proven:
        chosen = complaints.filter(status=ComplaintStatus.CLOSED, outcome__in=[Outcome.PROVEN, Outcome.PARTLY])
    else:
        today = timezone.localdate()
        chosen = complaints.filter(
            Q(status=ComplaintStatus.CLOSED, closed_at__date__gt=F("resolve_by"))
            | Q(resolve_by__lt=today) & ~Q(status=ComplaintStatus.CLOSED)
        )
    return [
        Record(c.number, f"{c.get_category_display()} · batas {c.resolve_by:%d-%m-%Y} · {c.get_status_display()}",
               c.get_absolute_url())
        for c in chosen.order_by("received_on", "pk")[:LIMIT]
    ]  # fmt: skip


def _requests(user, budget_year, regency) -> list[Record]:
    limit = datetime.timedelta(hours=ANSWER_HOURS)
    late = requests_visible_to(user).filter(
        Q(answered_at__gt=F("received_at") + limit)
        | Q(answered_at__isnull=True, received_at__lt=timezone.now() - limit),
        received_at__year=budget_year.year,
        regency=regency,
    )
    return [Record(str(r), f"diterima {timezone.localtime(r.received_at):%d-%m-%Y %H.%M}", r.get_absolute_url())
            for r in late[:LIMIT]]  # fmt: skip


def _uploads(budget_year, regency) -> list[Record]:
    found = []
    for upload in Upload.objects.filter(proposal__budget_year=budget_year, proposal__regency=regency).select_related(
        "proposal"
    )[:LIMIT]:
        errors = upload.errors
        if not errors:
            continue
        rows = len({e.get("row") for e in errors})
        reasons = Counter(e.get("header") or e.get("column") or "berkas" for e in errors).most_common(4)
        found.append(Record(
            f"{upload.filename} ({timezone.localtime(upload.uploaded_at):%d-%m-%Y})",
            f"{rows} dari {upload.summary.get('rows', upload.row_count)} baris ditolak; terbanyak: "
            + ", ".join(f"{reason} {n}" for reason, n in reasons),
            reverse("proposals:upload_detail", args=[upload.proposal_id, upload.pk]),
        ))  # fmt: skip
    return found


def _discrepancies(budget_year, regency) -> list[Record]:
    results = VerificationResult.objects.filter(
        sample__budget_year=budget_year, regency=regency, outcome__in=DISCREPANCIES
    ).select_related(f"handover__{WHO}", "sample")[:LIMIT]
    return [Record(f"{r.handover.number} — {_who(r.handover)}", f"{r.get_outcome_display()}: {r.note}",
                   r.sample.get_absolute_url()) for r in results]  # fmt: skip


def _desil(budget_year, regency) -> list[Record]:
    rows = desil_differences(budget_year, regency.pk, LIMIT)
    people = Person.objects.in_bulk([pk for pk, _, _ in rows])
    return [
        Record(" ".join(name_and_nik(people[pk], mask_nik)), f"desil di data {typed}, di DTSEN {listed}",
               people[pk].get_absolute_url())
        for pk, typed, listed in rows
    ]  # fmt: skip


def _band(budget_year, regency) -> list[Record]:
    active = Allocation.objects.filter(budget_year=budget_year, regency=regency, status=Allocation.Status.ACTIVE)
    return [
        Record(f"Alokasi #{a.pk} ({a.program})", f"nilai {rupiah(a.total)}; paket {rupiah(a.package_value)}",
               a.get_absolute_url())
        for a in with_gap(active, budget_year).filter(off_band(budget_year)).order_by("program", "pk")[:LIMIT]
    ]  # fmt: skip


def _jumps(budget_year, regency) -> list[Record]:
    regency_only = lambda field: Q(**{field: regency.pk})  # noqa: E731
    _, bounds = turnover_spread(regency_only, budget_year)
    if not bounds:
        return []
    changes = Visit.objects.filter(budget_year=budget_year, regency=regency, status="valid").filter(beyond(bounds, 3))
    return [Record(f"{_who(v.handover)} — bulan ke-{v.due_month}",
                   f"omzet {rupiah(v.turnover)}, berubah {rupiah(v.turnover_change)} dari kunjungan sebelumnya",
                   v.get_absolute_url()) for v in changes.select_related(f"handover__{WHO}")[:LIMIT]]  # fmt: skip


def _resubmissions(budget_year, regency) -> list[Record]:
    days = resubmission_days(lambda field: Q(**{field: regency.pk}), budget_year).get(regency.pk, {})
    slow = sorted((d for values in days.values() for d in values), reverse=True)[:5]
    events = AuditEvent.objects.filter(action="proposal_item.resubmit", regency=regency,
                                       created_at__year=budget_year.year).order_by("-created_at")[:LIMIT]  # fmt: skip
    listed = [
        Record(e.object_repr or f"Calon #{e.object_id}", f"diajukan lagi {timezone.localtime(e.created_at):%d-%m-%Y}")
        for e in events
    ]
    if slow:
        listed.insert(0, Record("Terlama", ", ".join(f"{round(d)} hari" for d in slow)))
    return listed


def records(user, budget_year, regency, code: str) -> list[Record]:
    """The records behind measure `code` of `regency` (the caller checks the regency is in the user's sight)."""
    if code == "data_penduduk":
        return _people(budget_year, regency)
    if code == "bast_berkas":
        return _handovers(budget_year, regency)
    if code == "foto_lokasi":
        return _photos(budget_year, regency)
    if code == "usulan_tepat":
        return _proposals(budget_year, regency)
    if code == "kunjungan_tepat":
        return _visits(budget_year, regency)
    if code in ("pengaduan_tepat", "pengaduan_terbukti"):
        return _complaints(user, budget_year, regency, proven=code == "pengaduan_terbukti")
    if code == "permintaan_tepat":
        return _requests(user, budget_year, regency)
    if code == "baris_ditolak":
        return _uploads(budget_year, regency)
    if code == "temuan_verifikasi":
        return _discrepancies(budget_year, regency)
    if code == "desil_beda":
        return _desil(budget_year, regency)
    if code == "nilai_paket":
        return _band(budget_year, regency)
    if code == "omzet_lonjakan":
        return _jumps(budget_year, regency)
    if code == "perbaikan_hari":
        return _resubmissions(budget_year, regency)
    if code == "ganda":
        return [Record("Data ganda kabupaten/kota ini", "periksa di halaman Data Ganda",
                       reverse("beneficiaries:duplicate_list"))]  # fmt: skip
    if code == "pengaduan_per_1000":
        return [Record("Pengaduan tahun ini", "lihat daftar pengaduan",
                       reverse("complaints:complaint_list") + f"?kabupaten={regency.pk}")]  # fmt: skip
    return []
