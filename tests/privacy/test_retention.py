"""Retention as data: the monthly berita acara lists what passed its period (counts, never data); approved, the
candidates who never received aid are anonymised and old workbooks deleted, every total unchanged, audited; the demo
season has one record to destroy."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from beneficiaries.models import Person
from privacy import retention
from privacy.models import DestructionReport, RetentionRule
from proposals.models import ItemStatus, Upload
from reports.selectors import recap
from tests.factories import AdminProvinsiFactory, BudgetYearFactory, ProposalItemFactory

pytestmark = pytest.mark.django_db


def test_a_rejected_candidate_of_an_old_year_is_anonymised_after_approval_and_totals_stay(client):
    old = BudgetYearFactory(year=timezone.localdate().year - 3)
    rejected = ProposalItemFactory(proposal__budget_year=old, status=ItemStatus.REJECTED)
    this_year = BudgetYearFactory(year=timezone.localdate().year)
    recent = ProposalItemFactory(proposal__budget_year=this_year, status=ItemStatus.REJECTED)  # within two years
    admin = AdminProvinsiFactory()
    before = recap(user=admin, budget_year=old).total().counts
    assert RetentionRule.objects.get(kind="calon").keep_years == 2
    report = retention.propose()
    assert report.counts == {"calon": 1, "unggahan": 0, "penerima": 0, "lampiran": 0, "foto": 0}
    assert retention.propose() is None  # one waits for approval
    client.force_login(admin)
    client.post(reverse("privacy:destruction_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == DestructionReport.Status.DONE and report.done_by == admin
    assert Person.objects.get(pk=rejected.person_id).full_name == f"Penerima terhapus #{rejected.person_id}"
    assert Person.objects.get(pk=recent.person_id).erased_at is None
    assert recap(user=admin, budget_year=old).total().counts == before
    page = client.get(reverse("privacy:destruction_report", args=[report.pk])).content.decode()
    assert "BERITA ACARA PEMUSNAHAN" in page and rejected.person.full_name not in page
    assert AuditEvent.objects.filter(action="retention.destroy").get().after == {
        "calon": 1,
        "unggahan": 0,
        "penerima": 0,
        "lampiran": 0,
        "foto": 0,
    }


def test_the_demo_season_has_a_workbook_to_destroy(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    report = retention.propose()
    assert report.counts["unggahan"] == 1
    stored = Upload.objects.get(filename="usulan-lama-demo.xlsx").file
    assert stored.storage.exists(stored.name)
    with django_capture_on_commit_callbacks(execute=True):
        retention.destroy(report=report, actor=None)
    assert not Upload.objects.get(filename="usulan-lama-demo.xlsx").file
    assert not stored.storage.exists(stored.name)  # the file goes once the row no longer points at it
    assert retention.propose() is None or retention.propose().counts.get("unggahan") == 0
    assert (timezone.now() - datetime.timedelta(days=1)) < report.done_at


def test_old_complaint_attachments_and_visit_photos_go_while_the_complaints_and_visits_stay(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.models import Complaint, ComplaintAttachment
    from monitoring import services as monitoring
    from monitoring.models import Visit, VisitPhoto
    from tests.access.objects import jpeg
    from tests.factories import ApprovedItemFactory
    from tests.monitoring.conftest import deliver
    from tests.monitoring.test_services import ANSWERS, _goods
    from tests.privacy.test_erasure import complaint

    settings.MEDIA_ROOT = tmp_path
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    visit = monitoring.visit_record(handover=handover, data=ANSWERS, goods=_goods(handover), actor=None)
    photo = monitoring.visit_photo_add(visit=visit, upload=SimpleUploadedFile("a.jpg", jpeg((40, 30))), actor=None)
    old, recent = complaint(description="Barang rusak."), complaint(description="Barang kurang.")
    for case, closed in ((old, datetime.datetime(2023, 5, 2, tzinfo=datetime.UTC)), (recent, timezone.now())):
        attachment = ComplaintAttachment(complaint=case, kind="foto", size=10)
        attachment.file.save("bukti.jpg", SimpleUploadedFile("bukti.jpg", jpeg((20, 20))))
        Complaint.objects.filter(pk=case.pk).update(status="selesai", outcome="terbukti", closed_at=closed)
    counts = {kind: records.count() for kind, records in retention.due().items()}
    assert counts["lampiran"] == 1 and counts["foto"] == 0  # the BAST of a recent year keeps its photos
    RetentionRule.objects.filter(kind="foto").update(
        keep_years=timezone.localdate().year - handover.budget_year.year - 1
    )
    report = retention.propose()
    assert report.counts == {"calon": 0, "unggahan": 0, "penerima": 0, "lampiran": 1, "foto": 1}
    stored = photo.image
    with django_capture_on_commit_callbacks(execute=True):
        retention.destroy(report=report, actor=None)
    assert not VisitPhoto.objects.exists() and Visit.objects.filter(pk=visit.pk).exists()
    assert not stored.storage.exists(stored.name)
    assert list(ComplaintAttachment.objects.values_list("complaint", flat=True)) == [recent.pk]
    assert Complaint.objects.count() == 2


def test_a_recipient_is_anonymised_once_her_financial_records_period_is_over(django_capture_on_commit_callbacks):
    from tests.factories import ApprovedItemFactory
    from tests.monitoring.conftest import deliver

    old, again = (deliver(ApprovedItemFactory()) for _ in range(2))  # two recipients of 2024
    ProposalItemFactory(person=again.allocation.item.person, proposal__budget_year=BudgetYearFactory(year=2025))
    RetentionRule.objects.filter(kind="penerima").update(keep_years=timezone.localdate().year - 2024 - 1)
    admin = AdminProvinsiFactory()
    totals = recap(user=admin, budget_year=old.budget_year).total()
    report = retention.propose()
    assert report.counts["penerima"] == 1  # her record's period is over; the other was proposed again in 2025
    with django_capture_on_commit_callbacks(execute=True):
        retention.destroy(report=report, actor=admin)
    gone, kept = old.allocation.item.person, again.allocation.item.person
    gone.refresh_from_db(), kept.refresh_from_db(), old.refresh_from_db()
    assert gone.erased_at and gone.full_name == f"Penerima terhapus #{gone.pk}" and not kept.erased_at
    assert old.second_party_name == gone.full_name  # the BAST stays, naming the placeholder
    after = recap(user=admin, budget_year=old.budget_year).total()
    assert (after.counts, after.realised) == (totals.counts, totals.realised)
