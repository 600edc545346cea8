"""Synthetic people as a background job: Admin Provinsi on a training/test server starts it from a page (or the
command), sees the progress, and the registry grows by exactly that many, with one audit event; nobody else,
and no production server, can."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from beneficiaries.models import Person
from jobs.models import Job
from jobs.services import job_run
from tests.factories import AdminProvinsiFactory, VerifikatorFactory

pytestmark = pytest.mark.django_db


def test_admin_starts_synthetic_people_and_follows_the_job(client, django_capture_on_commit_callbacks):
    admin = AdminProvinsiFactory()
    client.force_login(admin)
    assert client.get(reverse("beneficiaries:synthetic_create")).status_code == 200
    refused = client.post(reverse("beneficiaries:synthetic_create"), {"people": 0, "seed": 1})
    assert "lebih besar dari atau sama dengan 1" in refused.content.decode()
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("beneficiaries:synthetic_create"), {"people": 25, "seed": 7})
    job = Job.objects.get()
    assert response.url == reverse("jobs:job_detail", args=[job.pk])
    assert (job.status, job.done, job.total, job.message) == ("selesai", 25, 25, "25 penduduk sintetis dibuat.")
    assert job.result_url == reverse("beneficiaries:person_list") and Person.objects.count() == 25
    event = AuditEvent.objects.get(action="person.synthetic")
    assert (event.actor, event.after) == (admin, {"people": 25, "seed": 7})


def test_nobody_else_and_no_production_server_seeds(client, settings):
    client.force_login(VerifikatorFactory())
    assert client.get(reverse("beneficiaries:synthetic_create")).status_code == 404
    admin = AdminProvinsiFactory()
    settings.DEMO_DATA_ALLOWED = False  # the production settings
    client.force_login(admin)
    assert client.get(reverse("beneficiaries:synthetic_create")).status_code == 404
    job = Job.objects.create(user=admin, title="x", function="beneficiaries.jobs.synthetic_people",
                             params={"people": 5, "seed": 1})  # fmt: skip
    job = job_run(job.pk)  # a job queued before the switch is refused when it runs
    assert job.status == "gagal" and job.message.startswith("Data sintetis hanya untuk Admin Provinsi")
    assert not Person.objects.exists()


def test_the_command_can_start_it_as_a_background_job(capsys, django_capture_on_commit_callbacks):
    admin = AdminProvinsiFactory()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_synthetic", people=12, background=admin.username)
    job = Job.objects.get()
    assert job.user == admin and job.status == "selesai" and Person.objects.count() == 12
    assert f"/pekerjaan/{job.pk}/" in capsys.readouterr().out
