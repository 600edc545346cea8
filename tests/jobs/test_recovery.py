"""A job never stays "running" for ever (issue 29): its runner's death is noticed and the job is taken over once or
ended with its reason; "Coba lagi" runs the same work again; a broker that refuses a job leaves no ghost row and
tells the user, or runs small work inline; the upload's page follows its save job."""

import datetime

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from jobs import services
from jobs.models import Job
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, OperatorFactory

pytestmark = pytest.mark.django_db
BNBA = {"title": "BNBA", "function": "reports.jobs.bnba_workbook", "params": {"year": 2024, "program": "WRSE"}}


def _dead(user, *, attempts=1, silent=600, **fields) -> Job:
    """A job left "running" by a process that died `silent` seconds ago."""
    then = timezone.now() - datetime.timedelta(seconds=silent)
    job = Job.objects.create(user=user, status="berjalan", attempts=attempts, heartbeat_at=then, **(BNBA | fields))
    Job.objects.filter(pk=job.pk).update(created_at=then)
    return Job.objects.get(pk=job.pk)


def test_a_job_whose_runner_died_ends_with_its_reason_when_its_page_is_looked_at_and_can_be_run_again(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    ApprovedItemFactory()
    user = AdminProvinsiFactory()
    job = _dead(user)
    client.force_login(user)
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "gagal" and job.finished_at is not None
    assert "berhenti di tengah jalan" in page and "Coba lagi" in page and "every 1s" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:job_retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("jobs:job_detail", args=[again.pk])
    assert (again.status, again.function, again.params, again.user) == ("selesai", job.function, job.params, user)


def test_a_live_job_is_left_alone_and_a_job_still_within_its_lease_is_not_taken(settings):
    user = AdminProvinsiFactory()
    alive = _dead(user, silent=5)
    assert services.job_end_if_dead(alive).status == "berjalan"
    assert services.job_claim(alive.pk) is None
    assert services.jobs_sweep() == 0


def test_a_job_whose_worker_was_killed_is_taken_over_once_by_the_redelivered_task(settings, tmp_path):
    settings.MEDIA_ROOT, settings.CELERY_BROKER_URL = tmp_path, "redis://127.0.0.1:1/0"
    ApprovedItemFactory()
    user = AdminProvinsiFactory()
    job = _dead(user, attempts=1, silent=settings.JOB_LEASE_SECONDS + 30)
    assert services.job_end_if_dead(job).status == "berjalan"  # a second attempt is due: not ended yet
    ran = services.job_run(job.pk)
    assert (ran.status, ran.attempts, ran.done) == ("selesai", 2, 1)
    twice = _dead(user, attempts=2)  # its second runner died too: no third
    assert services.job_claim(twice.pk) is None
    assert services.jobs_sweep() == 1
    twice.refresh_from_db()
    assert twice.status == "gagal" and "berhenti di tengah jalan" in twice.message


def test_a_job_never_picked_up_ends_after_the_waiting_limit(settings):
    settings.JOB_WAITING_MINUTES = 30
    job = Job.objects.create(user=AdminProvinsiFactory(), **BNBA)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=31))
    assert services.jobs_sweep() == 1
    job.refresh_from_db()
    assert job.status == "gagal" and "tidak pernah diambil" in job.message


def test_the_database_going_away_mid_job_fails_it_with_a_reason_not_running(monkeypatch):
    import reports.jobs

    def restarted(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(reports.jobs, "bnba_workbook", services.background_job(restarted))
    job = Job.objects.create(user=AdminProvinsiFactory(), **BNBA)
    job = services.job_run(job.pk)
    assert job.status == "gagal" and job.message == services.DB_GONE and job.finished_at


@pytest.mark.django_db(transaction=True)  # on_commit runs at once, as in production (autocommit)
@pytest.mark.usefixtures("reference_data")
def test_a_broker_that_refuses_leaves_no_job_and_tells_the_user(client, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(services, "publish", refuse)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.BACKGROUND_EXPORT_ROWS, settings.BACKGROUND_INLINE_MAX_ROWS = 0, 0
    ApprovedItemFactory()
    client.force_login(AdminProvinsiFactory())
    response = client.get(reverse("reports:bnba_export", args=["WRSE"]), {"tahun": 2024}, follow=True)
    assert response.status_code == 200
    assert "Layanan latar sedang tidak tersedia; coba lagi sebentar lagi." in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_with_the_broker_down_small_work_is_done_inline(client, settings, monkeypatch, tmp_path):
    monkeypatch.setattr(services, "publish", lambda *a, **k: (_ for _ in ()).throw(BrokerError("refused")))
    settings.MEDIA_ROOT, settings.CELERY_BROKER_URL = tmp_path, "redis://127.0.0.1:1/0"
    settings.BACKGROUND_EXPORT_ROWS, settings.BACKGROUND_INLINE_MAX_ROWS = 0, 100
    ApprovedItemFactory()
    client.force_login(AdminProvinsiFactory())
    response = client.get(reverse("reports:bnba_export", args=["WRSE"]), {"tahun": 2024})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk]) and job.status == "selesai"


def test_the_uploads_page_follows_its_save_job(client):
    from proposals.models import Upload
    from tests.factories import ProposalFactory

    operator = OperatorFactory()
    proposal = ProposalFactory()
    upload = Upload.objects.create(proposal=proposal, filename="usulan.xlsx", row_count=9000, sha256="0" * 64,
                                   status="checked", summary={"rows": 9000, "valid_rows": 9000},
                                   uploaded_by=operator)  # fmt: skip
    job = Job.objects.create(user=operator, title="Penyimpanan", function="proposals.jobs.workbook_commit",
                             params={"proposal": proposal.pk, "upload": upload.pk, "valid_only": False},
                             status="berjalan", attempts=1, heartbeat_at=timezone.now())  # fmt: skip
    client.force_login(operator)
    url = reverse("proposals:upload_detail", args=[proposal.pk, upload.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="upload-saving"' in page and "Simpan ke usulan" not in page
    Job.objects.filter(pk=job.pk).update(status="gagal", message=services.DB_GONE)
    page = client.get(url).content.decode()
    assert 'data-testid="upload-save-failed"' in page and "Simpan ke usulan" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_refused_jobs_staged_upload_goes_with_it(settings, tmp_path, monkeypatch):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT, settings.CELERY_BROKER_URL = tmp_path, "redis://127.0.0.1:1/0"
    monkeypatch.setattr(services, "publish", lambda *a, **k: (_ for _ in ()).throw(BrokerError("refused")))
    staged = default_storage.save("jobs/unggah/usulan.xlsx", ContentFile(b"PK"))
    with pytest.raises(services.BrokerUnavailable):
        services.job_start(user=OperatorFactory(), title="Pemeriksaan", function="proposals.jobs.workbook_check",
                           params={"proposal": 1, "staged": staged, "filename": "usulan.xlsx"})  # fmt: skip
    assert not Job.objects.exists() and not default_storage.exists(staged)
