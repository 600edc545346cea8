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
    assert report.counts == {"calon": 1, "unggahan": 0}
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
    assert AuditEvent.objects.filter(action="retention.destroy").get().after == {"calon": 1, "unggahan": 0}


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
