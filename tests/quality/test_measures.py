"""Each measure of the data-quality scorecard moves when a deliberately broken record is added (and not for a sound
one), on both databases; the rules that colour and grade them; the visit deadline in SQL equals the schedule's."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from beneficiaries.models import DuplicateGroup
from disbursements.models import Handover
from monitoring import services as monitoring
from monitoring.models import Visit, VisitPhoto
from monitoring.models.verification import VerificationResult, VerificationSample
from monitoring.schedule import GRACE_DAYS, add_months
from privacy.models import SubjectRequest
from proposals.models import Proposal, Upload
from quality import measures
from quality.functions import VisitDeadline
from quality.selectors import scorecard
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    BudgetYearFactory,
    ProposalFactory,
    ProposalItemFactory,
)
from tests.monitoring.conftest import deliver
from tests.monitoring.test_services import ANSWERS, _goods
from tests.privacy.test_erasure import complaint

pytestmark = pytest.mark.django_db
SAMARINDA = "64.72"


def _cell(code, year=None):
    """(part, whole) of Samarinda's cell `code`, counted afresh as Admin Provinsi sees it."""
    budget_year = year or BudgetYearFactory()
    row = next(r for r in scorecard(AdminProvinsiFactory(), budget_year).rows if r.regency.pk == SAMARINDA)
    cell = row.cells[code]
    return cell.part, cell.whole


def _records(code, year=None):
    from quality.records import records
    from regions.models import Regency

    return records(AdminProvinsiFactory(), year or BudgetYearFactory(), Regency.objects.get(pk=SAMARINDA), code)


def test_a_proposed_person_without_a_phone_or_dtsen_id_is_incomplete():
    ProposalItemFactory(person__phone="081234567890", person__dtks_id="6472010000000001")
    assert _cell("data_penduduk") == (1, 1)
    ProposalItemFactory(person__phone="", person__dtks_id="6472010000000002")  # broken: no phone
    assert _cell("data_penduduk") == (1, 2)
    ProposalItemFactory(person__phone="081234567891", person__dtks_id="", person__rt="")
    assert _cell("data_penduduk") == (1, 3)


def test_a_bast_without_its_signed_scan_or_photo_is_incomplete():
    handover = deliver(ApprovedItemFactory())
    part, whole = _cell("bast_berkas")
    assert whole == 1
    Handover.objects.filter(pk=handover.pk).update(signed_scan="bast/scan.pdf", photo="bast/foto.jpg")
    assert _cell("bast_berkas") == (1, 1)
    Handover.objects.filter(pk=handover.pk).update(photo="")  # broken: the photo is missing
    assert _cell("bast_berkas") == (0, 1)


def test_a_visit_photo_without_its_place_is_incomplete(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.access.objects import jpeg

    settings.MEDIA_ROOT = tmp_path
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 8, 1))
    visit = monitoring.visit_record(handover=handover, data={**ANSWERS, "visited_on": datetime.date(2024, 11, 2)},
                                    goods=_goods(handover), actor=None)  # fmt: skip
    photo = monitoring.visit_photo_add(visit=visit, upload=SimpleUploadedFile("a.jpg", jpeg((40, 30))), actor=None)
    assert _cell("foto_lokasi") == (0, 1)  # broken: the camera recorded no place
    VisitPhoto.objects.filter(pk=photo.pk).update(latitude=Decimal("-0.5"), longitude=Decimal("117.15"))
    assert _cell("foto_lokasi") == (1, 1)


def test_a_proposal_submitted_after_the_deadline_is_late():
    year = BudgetYearFactory(proposal_deadline=datetime.date(2024, 3, 31))
    on_time = ProposalItemFactory().proposal
    Proposal.objects.filter(pk=on_time.pk).update(submitted_at=datetime.datetime(2024, 3, 30, tzinfo=datetime.UTC))
    assert _cell("usulan_tepat", year) == (1, 1)
    late = ProposalItemFactory(proposal=ProposalFactory(program="KUBE")).proposal
    assert _cell("usulan_tepat", year) == (1, 2)  # the deadline has passed: not submitted is late
    Proposal.objects.filter(pk=late.pk).update(submitted_at=datetime.datetime(2024, 4, 2, tzinfo=datetime.UTC))
    assert _cell("usulan_tepat", year) == (1, 2)


def test_a_visit_done_after_its_window_is_late():
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 8, 31))
    due = add_months(datetime.date(2024, 8, 31), 3)  # 30 November
    answers = {**ANSWERS, "due_month": 3, "visited_on": due}
    monitoring.visit_record(handover=handover, data=answers, goods=_goods(handover), actor=None)
    part, whole = _cell("kunjungan_tepat")
    assert part == 1
    Visit.objects.filter(handover=handover).update(visited_on=due + datetime.timedelta(days=GRACE_DAYS + 1))
    assert _cell("kunjungan_tepat")[0] == part - 1  # broken: a day past its window


@pytest.mark.parametrize("day", [datetime.date(2024, 8, 31), datetime.date(2024, 1, 31), datetime.date(2023, 11, 30),
                                 datetime.date(2024, 2, 29), datetime.date(2024, 5, 15)])  # fmt: skip
def test_the_visit_deadline_in_sql_is_the_schedules(day):
    handover = deliver(ApprovedItemFactory(), handed_over_on=day)
    for month in (3, 6, 12):
        on = add_months(day, month)
        visit = monitoring.visit_record(handover=handover, data={**ANSWERS, "due_month": month, "visited_on": on},
                                        goods=_goods(handover), actor=None)  # fmt: skip
        found = Visit.objects.filter(pk=visit.pk).annotate(d=VisitDeadline("handed_over_on", "due_month", 30)).get().d
        assert found == add_months(day, month) + datetime.timedelta(days=30), (day, month)
        Visit.objects.filter(pk=visit.pk).delete()


def test_a_complaint_closed_after_its_deadline_is_late_and_a_proven_one_counts():
    year = BudgetYearFactory(year=2026)
    case = complaint(received_on=datetime.date(2026, 3, 2), description="Barang belum datang.")
    from complaints.models import Complaint

    closed = timezone.now().replace(year=2026, month=3, day=3)
    Complaint.objects.filter(pk=case.pk).update(status="selesai", outcome="tidak_terbukti", closed_at=closed)
    assert _cell("pengaduan_tepat", year) == (1, 1) and _cell("pengaduan_terbukti", year) == (0, 1)
    Complaint.objects.filter(pk=case.pk).update(
        outcome="terbukti", closed_at=timezone.now().replace(year=2026, month=9)
    )
    assert _cell("pengaduan_tepat", year) == (0, 1) and _cell("pengaduan_terbukti", year) == (1, 1)
    ApprovedItemFactory(proposal__budget_year=year)
    assert _cell("pengaduan_per_1000", year) == (1, 1)  # one complaint over one approved recipient


def test_a_data_subject_request_answered_after_72_hours_is_late():
    year = BudgetYearFactory(year=timezone.localdate().year)
    person = ProposalItemFactory().person
    received = timezone.now() - datetime.timedelta(days=5)
    request = SubjectRequest.objects.create(
        person=person, regency=person.regency, kind="akses", received_at=received, requester_name="x",
        identity_check="KTP", description="…", recorded_by=AdminProvinsiFactory(),
    )  # fmt: skip
    assert _cell("permintaan_tepat", year) == (0, 1)  # past its deadline, unanswered
    answered = received + datetime.timedelta(hours=70)
    SubjectRequest.objects.filter(pk=request.pk).update(status="selesai", answer="ok", answered_at=answered)
    assert _cell("permintaan_tepat", year) == (1, 1)


def test_rows_refused_by_the_check_are_counted_per_100():
    proposal = ProposalItemFactory().proposal
    user = AdminProvinsiFactory()
    Upload.objects.create(proposal=proposal, filename="a.xlsx", sha256="a", row_count=100,
                          summary={"rows": 100, "valid_rows": 100}, uploaded_by=user)  # fmt: skip
    assert _cell("baris_ditolak") == (0, 100)
    Upload.objects.create(proposal=proposal, filename="b.xlsx", sha256="b", row_count=100, uploaded_by=user,
                          summary={"rows": 100, "valid_rows": 88},
                          problems=[{"row": 5, "header": "NIK", "message": "NIK harus 16 digit"}])  # fmt: skip
    assert _cell("baris_ditolak") == (12, 200)


def test_a_discrepancy_in_the_post_distribution_sample_counts_with_its_interval():
    handover = deliver(ApprovedItemFactory())
    sample = VerificationSample.objects.create(budget_year=handover.budget_year, regency_id=SAMARINDA, method="acak",
                                               population=1, size=1, seed=1)  # fmt: skip
    result = VerificationResult.objects.create(sample=sample, handover=handover, regency_id=SAMARINDA, position=1,
                                               outcome="sesuai")  # fmt: skip
    assert _cell("temuan_verifikasi", handover.budget_year) == (0, 1)
    VerificationResult.objects.filter(pk=result.pk).update(outcome="tidak_diterima")
    assert _cell("temuan_verifikasi", handover.budget_year) == (1, 1)
    row = next(r for r in scorecard(AdminProvinsiFactory(), handover.budget_year).rows if r.regency.pk == SAMARINDA)
    assert "selang kepercayaan 95 %: 20.7–100" in row.cells["temuan_verifikasi"].note


def test_a_possible_duplicate_in_the_regency_counts_per_1000_proposed():
    ProposalItemFactory()
    assert _cell("ganda") == (0, 1)
    DuplicateGroup.objects.create(rule="desa", name_key="siti aminah", village_id="64.72.01.1001")
    DuplicateGroup.objects.create(rule="kk", kk_number="6471010101010001", name_key="rina", birth_date="1980-01-01")
    assert _cell("ganda") == (1, 1)  # the other is Balikpapan's (its No. KK)
    from beneficiaries.services import duplicate_dismiss
    from tests.factories import PersonFactory

    duplicate_dismiss(person_a=PersonFactory(), person_b=PersonFactory(), actor=AdminProvinsiFactory())
    row = next(r for r in scorecard(AdminProvinsiFactory(), BudgetYearFactory(year=timezone.localdate().year)).rows
               if r.regency.pk == SAMARINDA)  # fmt: skip
    assert "1 diselesaikan tahun ini" in row.cells["ganda"].note


def test_colours_grade_and_small_numbers():
    level = measures.level
    assert level(95, 50, good=90, poor=75, higher_is_better=True) == measures.GOOD
    assert level(80, 50, good=90, poor=75, higher_is_better=True) == measures.FAIR
    assert level(70, 50, good=90, poor=75, higher_is_better=True) == measures.POOR
    assert level(70, 9, good=90, poor=75, higher_is_better=True) == measures.THIN  # fewer than 10
    assert level(3, 50, good=2, poor=10, higher_is_better=False) == measures.FAIR
    assert level(11, 50, good=2, poor=10, higher_is_better=False) == measures.POOR
    assert measures.grade([measures.GOOD] * 6 + [measures.FAIR]) == "A"
    assert measures.grade([measures.GOOD, measures.POOR]) == "C"
    assert measures.grade([measures.POOR, measures.THIN]) == "D"
    assert measures.grade([measures.THIN]) is None
    assert measures.wilson(0, 0) is None and measures.wilson(0, 20)[0] == 0.0


def test_a_typed_desil_that_differs_from_the_registers_current_period_counts():
    import datetime as dt

    from tests.rechecks.test_worklist import _snapshot

    same, other = ProposalItemFactory(person__desil=3).person, ProposalItemFactory(person__desil=4).person
    _snapshot(dt.date(2026, 4, 1), [(same, 3), (other, 4)])
    assert _cell("desil_beda") == (0, 2)
    _snapshot(dt.date(2026, 7, 1), [(same, 3), (other, 7)])  # the newest period says 7: her typed 4 is stale
    assert _cell("desil_beda") == (1, 2)
    assert [r.detail for r in _records("desil_beda")] == ["desil di data 4, di DTSEN 7"]


def test_an_allocation_far_from_the_package_value_counts():
    from tests.rechecks.test_worklist import _allocated

    year = BudgetYearFactory(wrse_package_value=Decimal("5000000"))
    item = _allocated(ApprovedItemFactory())
    from disbursements.models import Allocation

    Allocation.objects.filter(item=item).update(total=Decimal("5200000"))  # within the band (±25 %)
    assert _cell("nilai_paket", year) == (0, 1)
    Allocation.objects.filter(item=item).update(total=Decimal("9000000"))  # broken: far above the package
    assert _cell("nilai_paket", year) == (1, 1)
    year.package_band_percent = 100  # the band is the year's setting: ±100 % takes it in
    year.save()
    assert _cell("nilai_paket", year) == (0, 1)
    year.package_band_percent = 25
    year.save()
    assert "Rp9.000.000" in _records("nilai_paket", year)[0].detail.replace(" ", "")


def test_a_turnover_that_jumps_beyond_three_standard_deviations_counts():
    handovers = [deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 1, 10)) for _ in range(12)]
    visits = []
    for n, handover in enumerate(handovers):
        for month, turnover in ((3, 1_000_000), (6, 1_000_000 + 10_000 * (n % 3))):
            answers = {**ANSWERS, "due_month": month, "turnover": Decimal(turnover),
                       "visited_on": add_months(datetime.date(2024, 1, 10), month)}  # fmt: skip
            visits.append(monitoring.visit_record(handover=handover, data=answers, goods=_goods(handover), actor=None))
    assert _cell("omzet_lonjakan") == (0, 12)  # twelve changes of 0, 10,000 or 20,000
    jump = visits[-1]
    monitoring.visit_update(visit=jump, data={**ANSWERS, "due_month": 6, "visited_on": jump.visited_on,
                                              "turnover": Decimal(90_000_000)}, goods=_goods(jump.handover),
                            actor=None)  # fmt: skip
    assert _cell("omzet_lonjakan") == (1, 12)
    assert [r.url for r in _records("omzet_lonjakan")] == [jump.get_absolute_url()]
    monitoring.visit_void(visit=jump, reason="salah catat", actor=None)  # voided: its change goes with it
    assert _cell("omzet_lonjakan") == (0, 11)


def test_days_from_a_return_to_its_resubmission_are_counted_from_the_trail():
    from audit.models import AuditEvent
    from proposals.services import items_decide, proposal_finish_review, proposal_submit
    from tests.proposals.test_services import _submitted

    proposal, [item, *_] = _submitted(people=1)
    items_decide(proposal=proposal, items=[item], decision="returned", reason="NIK salah", actor=None)
    proposal_finish_review(proposal=proposal, actor=None)
    AuditEvent.objects.filter(action="proposal_item.returned").update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    year = BudgetYearFactory(year=timezone.localdate().year)
    assert _cell("perbaikan_hari", year) == (0, 0)
    proposal_submit(proposal=proposal, actor=None)  # sent again, 20 days later
    row = next(r for r in scorecard(AdminProvinsiFactory(), year).rows if r.regency.pk == SAMARINDA)
    cell = row.cells["perbaikan_hari"]
    assert (cell.whole, round(cell.value)) == (1, 20)
    assert _records("perbaikan_hari", year)[0].detail == "20 hari"
