"""Notifications for the events that need someone: recorded for the right people once, listed, counted in the
navbar without a query on the page itself, e-mailed when an address exists, never breaking the action."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from complaints import services as complaints
from notifications.models import Notification
from proposals.services import proposal_submit
from regions.models import Regency
from tests.factories import (
    AdminProvinsiFactory,
    OperatorFactory,
    PersonFactory,
    ProposalFactory,
    ProposalItemFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db


def _complaint(**changes):
    return complaints.complaint_record(
        data={"received_on": datetime.date(2026, 1, 5), "channel": "telepon", "complainant_name": "Warga",
              "category": "barang", "description": "Rusak", "regency": Regency.objects.get(code="64.72"), **changes},
        actor=None,
    )  # fmt: skip


def test_a_submitted_proposal_notifies_the_verifiers_by_mail_too(django_capture_on_commit_callbacks):
    verifier = VerifikatorFactory(email="budi@example.org")
    operator = OperatorFactory()
    proposal = ProposalFactory(with_documents=True)
    ProposalItemFactory(proposal=proposal, person=PersonFactory(dtks_id="D1"))
    with django_capture_on_commit_callbacks(execute=True):
        proposal_submit(proposal=proposal, actor=operator)
    [notice] = Notification.objects.all()
    assert notice.user == verifier and "diajukan" in notice.text and notice.url == proposal.get_absolute_url()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["budi@example.org"]


def test_a_complaint_notifies_the_regency_and_the_verifiers_and_a_sensitive_one_only_the_admin(balikpapan):
    mine, elsewhere, admin = OperatorFactory(), OperatorFactory(regency=balikpapan), AdminProvinsiFactory()
    verifier = VerifikatorFactory()
    _complaint()
    assert sorted(Notification.objects.values_list("user", flat=True)) == sorted([mine.pk, verifier.pk])
    _complaint(category="pungli")
    assert list(Notification.objects.filter(text__contains="Pungutan").values_list("user", flat=True)) == [admin.pk]
    assert not Notification.objects.filter(user=elsewhere).exists()


def test_overdue_complaints_are_notified_once():
    operator = OperatorFactory()
    complaint = _complaint()
    Notification.objects.all().delete()
    call_command("notify_overdue", verbosity=0)
    call_command("notify_overdue", verbosity=0)
    assert list(Notification.objects.values_list("user", "key")) == [(operator.pk, f"complaint.overdue:{complaint.pk}")]


def test_the_morning_reminder_is_scheduled_and_runs_the_same_command(settings):
    from celery.schedules import crontab

    from complaints.tasks import notify_overdue

    entry = settings.CELERY_BEAT_SCHEDULE["complaints-overdue-every-morning"]
    assert (entry["task"], entry["schedule"]) == (notify_overdue.name, crontab(hour=7, minute=0))
    operator = OperatorFactory()
    complaint = _complaint()
    Notification.objects.all().delete()
    assert notify_overdue() == "1 pemberitahuan pengaduan terlambat."
    assert list(Notification.objects.values_list("user", "key")) == [(operator.pk, f"complaint.overdue:{complaint.pk}")]


def test_a_mail_server_down_does_not_break_the_action(django_capture_on_commit_callbacks):
    OperatorFactory(email="siti@example.org")
    with mock.patch("notifications.services.send_mail", side_effect=OSError("down")):
        with django_capture_on_commit_callbacks(execute=True):
            complaint = _complaint()
    assert complaint.pk and Notification.objects.count() == 1


def test_the_list_and_the_badge(client):
    operator = OperatorFactory()
    _complaint()
    client.force_login(operator)
    badge = client.get(reverse("notifications:unread_count")).content.decode()
    assert 'data-testid="unread">1' in badge
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Pengaduan baru PGD/2026/0001" in page
    assert client.get(reverse("notifications:unread_count")).content.decode().strip() == ""  # read once shown
    assert 'data-unread-url="/pemberitahuan/jumlah/"' in client.get(reverse("home")).content.decode()


def test_each_step_of_a_graduation_assessment_notifies_the_other_side():
    """Submitted: the verifiers are told; returned or approved: the regency's operators, and a returned one waits on
    the operator's to-do list."""
    from decimal import Decimal

    from kubeprogram.todo import tasks_for
    from monitoring import services as monitoring
    from monitoring.models import TurnoverThreshold
    from tests.factories import ApprovedItemFactory
    from tests.monitoring.conftest import deliver
    from tests.monitoring.test_graduation import _visited

    graduating = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    TurnoverThreshold.objects.create(budget_year=graduating.budget_year, regency_id="64.72", amount=Decimal(2_000_000))
    _visited(graduating, 3, 6, 12)

    operator, verifier = OperatorFactory(), VerifikatorFactory()
    assessment = monitoring.assessment_save(
        handover=graduating, assessor_scores={}, decision="lulus", submit=True, actor=operator
    )
    [submitted] = Notification.objects.filter(text__contains="diajukan")
    assert submitted.user == verifier and submitted.url == assessment.get_absolute_url()
    monitoring.assessment_review(assessment=assessment, approve=False, note="Lengkapi foto usaha", actor=verifier)
    [returned] = Notification.objects.filter(text__contains="dikembalikan")
    assert returned.user == operator
    tasks = {t.label: t.count for t in tasks_for(operator, graduating.budget_year)}
    assert tasks["Penilaian graduasi dikembalikan provinsi"] == 1
    assessment = monitoring.assessment_save(
        handover=graduating, assessor_scores={}, decision="lulus", submit=True, actor=operator
    )
    monitoring.assessment_review(assessment=assessment, approve=True, actor=verifier)
    assert Notification.objects.filter(user=operator, text__contains="disetujui").count() == 1
    assert Notification.objects.filter(user=verifier, text__contains="diajukan").count() == 2
