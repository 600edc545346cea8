"""The demo's shared pieces (ceilings, documents, decisions) and the current year's season, played by
`manage.py seed_demo` (kubeprogram/management/commands/seed_demo.py)."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Exists, OuterRef
from django.utils import timezone

from beneficiaries.models import Person
from programs.models import BudgetYear, BusinessType
from programs.services import budget_year_update, ceilings_set
from proposals.models import ItemStatus, ProposedPerson
from proposals.services import items_decide, proposal_finish_review
from regions.models import Regency

SCAN = b"%PDF-1.4\n% Pindaian BAST bertanda tangan (data contoh)\n%%EOF\n"
# Eight regencies running in 2024 (Penajam Paser Utara and Mahakam Ulu not yet): code, WRSE target and
# amount, KUBE target and amount. Together Rp5.350.000.000 of the Rp6.500.000.000.
DEMO_CEILINGS = [
    ("64.01", 60, 300_000_000, 8, 200_000_000),
    ("64.02", 120, 600_000_000, 16, 400_000_000),
    ("64.03", 60, 300_000_000, 8, 200_000_000),
    ("64.07", 50, 250_000_000, 6, 150_000_000),
    ("64.08", 80, 400_000_000, 10, 250_000_000),
    ("64.71", 100, 500_000_000, 12, 300_000_000),
    ("64.72", 130, 650_000_000, 16, 400_000_000),
    ("64.74", 60, 300_000_000, 6, 150_000_000),
]


def current_year() -> int:
    """The demo's current budget year: this calendar year (its season is played up to about today)."""
    return timezone.localdate().year


def submit(proposal) -> None:
    """Attach the two demo documents (a regency must send both) and submit."""
    from django.core.files.base import ContentFile

    from proposals.services import proposal_attach_document, proposal_submit

    pdf = b"%PDF-1.4\n% contoh dokumen demo\n%%EOF\n"
    for field, name in (("cover_letter", "surat-pengantar.pdf"), ("minutes", "berita-acara.pdf")):
        proposal_attach_document(proposal=proposal, field=field, upload=ContentFile(pdf, name=name), actor=None)
    proposal_submit(proposal=proposal, actor=None)


def decide(proposal, items) -> list:
    """Approve the items without errors, reject the others, finish the review; returns the approved ones."""
    clean = [item for item in items if not item.has_errors]
    if clean:
        items_decide(proposal=proposal, items=clean, decision=ItemStatus.APPROVED, reason="", actor=None)
    rest = [item for item in items if item.has_errors]
    if rest:
        items_decide(
            proposal=proposal, items=rest, decision=ItemStatus.REJECTED, reason="Data tidak sesuai.", actor=None
        )
    proposal_finish_review(proposal=proposal, actor=None)
    return clean


def set_ceilings(budget_year) -> None:
    ceilings_set(
        budget_year=budget_year,
        values={
            (code, program): (target, Decimal(amount))
            for code, wrse_target, wrse_amount, kube_target, kube_amount in DEMO_CEILINGS
            for program, target, amount in (("WRSE", wrse_target, wrse_amount), ("KUBE", kube_target, kube_amount))
        },
        actor=None,
    )


def seed_current_season():
    """Kota Samarinda's season of the current year, played up to about today (dates counted back from today):
    approved women, their goods allocated, a Bimtek, BASTs with and without their signed scan, visits done, due
    and overdue (one finding a broken stove), a verification sample with a discrepancy, a graduation
    assessment returned by the province, and complaints open and late — so operator.samarinda sees the second
    half of the season."""
    from disbursements.models import Allocation, Handover, Package
    from disbursements.services import allocations_create, handover_attach, handover_create, package_lines
    from monitoring import schedule, services
    from monitoring.models import GoodsCondition, Outcome, UnitFinding
    from proposals.services import proposal_add_people, proposal_open
    from training.services import attendance_mark, participants_invite, session_save

    budget_year = BudgetYear.objects.get(year=current_year())
    samarinda = Regency.objects.get(code="64.72")
    if Handover.objects.filter(budget_year=budget_year, regency=samarinda).exists():
        return
    if not budget_year.ceilings.exists():
        set_ceilings(budget_year)
    today = timezone.localdate()
    handed_over_on = today - datetime.timedelta(days=270)  # month 3 and 6 visits behind, month 12 ahead
    bimtek_on = handed_over_on - datetime.timedelta(days=14)
    proposal = proposal_open(regency=samarinda, budget_year=budget_year, program="WRSE", actor=None)
    proposed = ProposedPerson.objects.filter(person=OuterRef("pk"))
    women = list(
        Person.objects.filter(regency=samarinda, sex="P", birth_date__year__range=(1966, 2004))
        .exclude(kube_memberships__isnull=False)
        .exclude(Exists(proposed))
        .order_by("id")[:6]
    )
    shop = BusinessType.objects.get(name="Warung Sembako")
    items = proposal_add_people(proposal=proposal, people=women, business_type=shop, actor=None)
    submit(proposal)
    clean = decide(proposal, items)
    if len(clean) < 3:
        return
    package = Package.objects.get(name="Paket Warung Sembako (WRSE)")
    allocations = allocations_create(
        item_ids=[item.pk for item in clean], lines=package_lines(package), package=package, actor=None
    )
    Allocation.objects.filter(pk__in=[a.pk for a in allocations]).update(
        created_at=timezone.make_aware(datetime.datetime.combine(bimtek_on, datetime.time(9)))
        - datetime.timedelta(days=20)
    )
    session = session_save(
        data={
            "budget_year": budget_year,
            "program": "WRSE",
            "regency": samarinda,
            "topic": "Penggunaan barang bantuan",
            "start_date": bimtek_on,
            "end_date": bimtek_on,
            "venue": "Aula Dinas Sosial Kota Samarinda",
            "facilitators": "Bidang Pemberdayaan Sosial Dinsos Kaltim",
            "capacity": 30,
        },
        actor=None,
    )
    attendances = participants_invite(session=session, item_ids=[item.pk for item in clean], actor=None)
    for n, attendance in enumerate(attendances):  # the last one was absent: no BAST for her yet
        attendance_mark(attendance=attendance, status="absent" if n == len(attendances) - 1 else "present", actor=None)
    handovers = []
    for n, allocation in enumerate(sorted(allocations, key=lambda a: a.pk)[: len(attendances) - 1]):
        handover = handover_create(
            allocation=allocation,
            data={
                "handed_over_on": handed_over_on,
                "place": "Kantor Dinas Sosial Kota Samarinda",
                "first_party_name": "Siti Rahmawati",
                "first_party_nip": "",
                "first_party_position": "Operator Dinsos Kota Samarinda",
                "witness_name": "Drs. H. Ahmad Fauzi, M.Si.",
                "witness_nip": "",
                "witness_position": "Kepala Dinas Sosial Kota Samarinda",
            },
            actor=None,
        )
        if n < 3:  # the signed BAST came back and was scanned; the others still wait for their scan
            scan = SimpleUploadedFile("bast.pdf", SCAN, content_type="application/pdf")
            handover_attach(handover=handover, field="signed_scan", upload=scan, actor=None)
        handovers.append(handover)

    services.thresholds_save(budget_year=budget_year, values={"64.72": Decimal("1500000")}, actor=None)
    # Month 3 visited for all but the last; month 6 for the first two only (the others are overdue).
    for n, handover in enumerate(handovers):
        lines = list(handover.lines.select_related("goods"))
        for month in (3, 6):
            if (month == 3 and n == len(handovers) - 1) or (month == 6 and n > 1):
                continue
            broken = month == 6 and n == 1
            goods = {line.pk: GoodsCondition.USED for line in lines}
            if broken:  # one unit of the last line broken, the others in use
                goods[lines[-1].pk] = one_unit(lines[-1], GoodsCondition.BROKEN, GoodsCondition.USED)
            services.visit_record(
                handover=handover,
                data={
                    "due_month": month,
                    "visited_on": schedule.due_on(handover.handed_over_on, month) + datetime.timedelta(days=6),
                    "visitor_name": "Pendamping Sosial Kec. Samarinda Ulu",
                    "mode": "kunjungan",
                    "business_status": "berjalan",
                    "turnover": Decimal(1_200_000 + 300_000 * (month // 3) - 100_000 * n),
                    "net_income": Decimal(400_000 + 50_000 * (month // 3)),
                    "workers": 1,
                    "problems": "Kulkas rusak (tidak dingin), menunggu servis." if broken else "",
                    "follow_up": "Dibantu menghubungi servis resmi." if broken else "",
                },
                goods=goods,
                actor=None,
            )
    # The operator proposed an early graduation; the province returned it with a reason.
    assessment = services.assessment_save(
        handover=handovers[0],
        assessor_scores={},
        decision="perpanjang",
        note="Usaha berjalan, omzet naik; kunjungan bulan ke-12 belum.",
        submit=True,
        actor=None,
    )
    services.assessment_review(
        assessment=assessment,
        approve=False,
        note="Lengkapi foto usaha pada kunjungan bulan ke-6 sebelum diajukan kembali.",
        actor=None,
    )
    sample = services.sample_draw(
        budget_year=budget_year, regency=samarinda, method="semua", confidence=None, margin=None, actor=None
    )
    results = list(sample.results.select_related("handover").order_by("position"))
    checked_on = handed_over_on + datetime.timedelta(days=40)
    services.verification_record(
        result=results[0], data={"outcome": Outcome.RECEIVED, "checked_on": checked_on}, actor=None
    )
    if len(results) > 1:
        found = list(results[1].handover.lines.all())
        lines = {str(line.pk): {UnitFinding.GOOD: line.quantity} for line in found}
        lines[str(found[0].pk)] = one_unit(found[0], UnitFinding.DAMAGED, UnitFinding.GOOD)
        services.verification_record(
            result=results[1],
            data={
                "outcome": Outcome.INCOMPLETE,
                "lines": lines,
                "checked_on": checked_on,
                "note": "Etalase kaca diterima dalam keadaan retak; penyedia diminta mengganti.",
            },
            actor=None,
        )
    _samarinda_complaints()


def _samarinda_complaints():
    """Two complaints of Kota Samarinda: one left unanswered past its first-response deadline (late), one
    under follow-up."""
    from complaints import services
    from complaints.models import Complaint

    samarinda = Regency.objects.get(code="64.72")
    if Complaint.objects.filter(regency=samarinda, channel__in=["telepon", "whatsapp"]).exists():
        return  # (the sample's discrepancy has filed one of its own)
    today = timezone.localdate()
    services.complaint_record(
        data={
            "received_on": today - datetime.timedelta(days=21),
            "channel": "telepon",
            "anonymous": False,
            "complainant_name": "Warga Kelurahan Sidodadi",
            "category": "barang",
            "complexity": "sederhana",
            "description": "Kulkas yang diterima tetangga saya tidak dingin sejak awal.",
            "regency": samarinda,
        },
        actor=None,
    )
    open_ = services.complaint_record(
        data={
            "received_on": today - datetime.timedelta(days=3),
            "channel": "whatsapp",
            "anonymous": False,
            "complainant_name": "Ibu Rusmini",
            "category": "belum_diterima",
            "complexity": "cek_lapangan",
            "description": "Saya ikut Bimtek tetapi belum menerima barang.",
            "regency": samarinda,
        },
        actor=None,
    )
    services.complaint_step(
        complaint=open_,
        status="ditindaklanjuti",
        note="Penerima tidak hadir Bimtek; dijadwalkan Bimtek susulan.",
        public=True,
        outcome="",
        actor=None,
    )


def close_2024():
    """2024 is history by now: closed (read-only money), once nothing of it waits for a decision. Monitoring of
    its recipients goes on (visits are not the year's money)."""
    from proposals.models import Proposal

    budget_year = BudgetYear.objects.get(year=2024)
    if budget_year.status == BudgetYear.Status.CLOSED or current_year() <= 2024:
        return
    if Proposal.objects.filter(budget_year=budget_year, status=Proposal.Status.SUBMITTED).exists():
        return  # an older demo database: its inbox proposal is still 2024's
    budget_year_update(budget_year=budget_year, data={"status": BudgetYear.Status.CLOSED}, actor=None)


def one_unit(line, condition: str, rest: str) -> dict[str, int]:
    """One unit of a goods line in `condition`, the others in `rest` ("dijual 1, dipakai 2" for 3 ovens)."""
    return {condition: 1, rest: line.quantity - 1} if line.quantity > 1 else {condition: 1}
