"""Each role's to-do list on the home page ("Tugas Saya"): what waits for this person, counted and linked, from the
apps' own selectors (the roof composes; no app knows of the others' work)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import locked_usernames
from complaints import selectors as complaint_selectors
from complaints.models import Status as ComplaintStatus
from disbursements.selectors import handovers_visible_to
from monitoring import selectors as monitoring_selectors
from monitoring.models import Assessment
from privacy import selectors as privacy_selectors
from privacy.models import ANSWER_HOURS
from privacy.permissions import can_handle_requests
from programs.models import Ceiling
from programs.selectors import ceilings_visible_to
from proposals.models import ItemStatus, Proposal, ProposalItem
from proposals.selectors import proposals_visible_to
from regions.models import Regency
from training.selectors import sessions_visible_to


@dataclass
class Task:
    label: str
    count: int
    url: str
    urgent: bool = False


def tasks_for(user, budget_year) -> list[Task]:
    """The to-do list of `user` for the current budget year: only the tasks with something waiting."""
    if budget_year is None:
        return []
    role = user.role
    found: list[Task] = []
    proposals = proposals_visible_to(user).filter(budget_year=budget_year)
    complaints = complaint_selectors.complaints_visible_to(user)
    overdue_complaints = complaint_selectors.overdue(complaints).count()
    late_url = reverse("complaints:complaint_list") + "?status=terlambat"
    if role in (Role.OPERATOR, Role.VERIFIKATOR):  # today's Bimtek: attendance is taken on "Kerja Lapangan"
        today = timezone.localdate()
        training_today = sessions_visible_to(user).filter(start_date__lte=today, end_date__gte=today).count()
        found.append(Task("Bimtek hari ini", training_today, reverse("fieldwork:home"), True))
    if role == Role.OPERATOR:
        returned = ProposalItem.objects.filter(proposal__in=proposals, status=ItemStatus.RETURNED).count()
        found.append(Task("Usulan dikembalikan untuk diperbaiki", returned, reverse("proposals:proposal_list")))
        drafts = proposals.filter(status=Proposal.Status.DRAFT).exclude(items=None).count()
        found.append(Task("Usulan draf belum diajukan", drafts, reverse("proposals:proposal_list")))
        scans = handovers_visible_to(user).awaiting_scan().count()
        found.append(Task("BAST belum ada pindaian bertanda tangan", scans, reverse("disbursements:handover_list")))
        due = _visits_due(user, budget_year)
        found.append(Task("Kunjungan monev jatuh tempo atau terlambat", due, reverse("monitoring:worklist"), True))
        returned = monitoring_selectors.assessments_visible_to(user).filter(status=Assessment.Status.RETURNED).count()
        found.append(Task("Penilaian graduasi dikembalikan provinsi", returned,
                          reverse("monitoring:assessment_list") + "?status=returned"))  # fmt: skip
        to_answer = complaints.filter(status=ComplaintStatus.NEW).count()
        found.append(Task("Pengaduan menunggu tanggapan", to_answer, reverse("complaints:complaint_list")))
    elif role == Role.VERIFIKATOR:
        waiting = proposals.filter(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.IN_REVIEW]).count()
        found.append(Task("Usulan menunggu verifikasi", waiting, reverse("proposals:proposal_list")))
        assessments = monitoring_selectors.assessments_visible_to(user).filter(status=Assessment.Status.SUBMITTED)
        found.append(Task("Penilaian graduasi menunggu persetujuan", assessments.count(),
                          reverse("monitoring:assessment_list") + "?status=submitted"))  # fmt: skip
        found.append(Task("Pengaduan terlambat", overdue_complaints, late_url, urgent=True))
    elif role == Role.ADMIN_PROVINSI:
        ceilings = ceilings_visible_to(user).filter(budget_year=budget_year)
        with_ceiling = set(ceilings.values_list("regency_id", flat=True))
        proposing = set(proposals.values_list("regency_id", flat=True))
        idle = len(with_ceiling - proposing)
        found.append(Task("Kabupaten/kota dengan pagu tanpa usulan", idle, reverse("reports:dashboard")))
        unset = Regency.objects.exclude(
            code__in=Ceiling.objects.filter(budget_year=budget_year).values("regency")
        ).count()
        overview = reverse("disbursements:budget_overview", args=[budget_year.year])
        found.append(Task("Kabupaten/kota belum ada pagu", unset, overview))
        locked = len(locked_usernames(User.objects.values_list("username", flat=True)))
        found.append(Task("Pengguna terkunci (salah kata sandi)", locked, reverse("accounts:user_list"), True))
        found.append(Task("Pengaduan terlambat", overdue_complaints, late_url, urgent=True))
        if can_handle_requests(user):  # the Petugas Pelindungan Data: 3x24 hours per request
            waiting = privacy_selectors.open_requests(user)
            late = waiting.filter(received_at__lt=timezone.now() - datetime.timedelta(hours=ANSWER_HOURS)).count()
            found.append(Task("Permintaan subjek data terlambat (lewat 3×24 jam)", late,
                              reverse("privacy:request_list"), urgent=True))  # fmt: skip
            found.append(Task("Permintaan subjek data menunggu jawaban", waiting.count() - late,
                              reverse("privacy:request_list")))  # fmt: skip
            sent = privacy_selectors.complaints_awaiting_request(user).count()
            sent_url = reverse("complaints:complaint_list") + "?kategori=data_pribadi"
            found.append(Task("Permintaan data pribadi dari halaman pengaduan belum dicatat", sent, sent_url, True))
    elif role == Role.PIMPINAN:
        due = _visits_due(user, budget_year, overdue_only=True)
        found.append(Task("Kunjungan monev terlambat", due, reverse("monitoring:worklist"), True))
        found.append(Task("Pengaduan terlambat", overdue_complaints, reverse("reports:dashboard"), True))
    return [task for task in found if task.count]


def _visits_due(user, budget_year, *, overdue_only: bool = False) -> int:
    """The scheduled visits due or overdue in the user's sight: counted over every delivered BAST and its visits,
    so kept a minute per scope (role and regency) like the dashboard's figures (DASHBOARD_CACHE_SECONDS)."""
    today = timezone.localdate()

    def count() -> tuple[int, int]:
        lines = monitoring_selectors.schedule_counts(user=user, budget_year=budget_year, today=today).values()
        return sum(line.due for line in lines), sum(line.overdue for line in lines)

    seconds = settings.DASHBOARD_CACHE_SECONDS
    key = f"todo:visits:v1:{budget_year.pk}:{today}:{user.scope_key}"
    due, overdue = cache.get_or_set(key, count, seconds) if seconds else count()
    return overdue + (0 if overdue_only else due)
