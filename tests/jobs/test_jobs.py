"""Work that outlasts a request: a large export becomes a background job with a progress bar; the same code runs
inline without a broker and in a Celery worker with one; the file is kept for the user who asked, scoped and
audited like the synchronous export."""

import io
import os
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from jobs.models import Job
from jobs.services import job_run, job_start
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    OperatorFactory,
    PimpinanFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list:
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return [r for r in rows[6:] if r[0] is not None]  # the recipients, not the total line


def test_a_large_bnba_is_prepared_in_the_background_for_the_user_who_asked(
    client, settings, tmp_path, balikpapan, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT, settings.BACKGROUND_EXPORT_ROWS = tmp_path, 2
    mine = [ApprovedItemFactory() for _ in range(3)]
    ApprovedItemFactory(proposal=ProposalFactory(regency=balikpapan))  # another regency's: not in the file
    operator = OperatorFactory()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:bnba_export", args=["WRSE"]), {"tahun": 2024})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.user, job.status, job.percent, job.done, job.total) == (operator, "selesai", 100, 3, 3)
    page = client.get(response["Location"]).content.decode()
    assert "Unduh bnba-wrse-2024-" in page and "every 1s" not in page  # finished: no more polling
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    rows = _rows(b"".join(download.streaming_content))
    assert sorted(r[3] for r in rows) == sorted(i.person.full_name for i in mine)
    event = AuditEvent.objects.get(action="report.bnba.export")
    assert (event.actor, event.regency_id, event.after["rows"], event.after["background"]) == (
        operator,
        "64.72",
        3,
        True,
    )
    client.force_login(OperatorFactory(regency=balikpapan))  # someone else: the job does not exist for them
    for name in ("jobs:job_detail", "jobs:job_status", "jobs:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_small_bnba_is_still_streamed_at_once(client, settings):
    settings.BACKGROUND_EXPORT_ROWS = 5
    ApprovedItemFactory()
    client.force_login(AdminProvinsiFactory())
    response = client.get(reverse("reports:bnba_export", args=["WRSE"]), {"tahun": 2024})
    assert response.status_code == 200 and not Job.objects.exists()
    assert len(_rows(b"".join(response.streaming_content))) == 1


def test_a_job_runs_once_and_a_job_whose_user_lost_the_right_fails_with_a_reason(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ApprovedItemFactory()
    user = PimpinanFactory()
    job = Job.objects.create(user=user, title="BNBA", function="reports.jobs.bnba_workbook",
                             params={"year": 2024, "program": "WRSE"})  # fmt: skip
    assert job_run(job.pk).status == "selesai"
    assert job_run(job.pk).status == "selesai" and AuditEvent.objects.filter(action="report.bnba.export").count() == 1
    user.is_active = False
    user.groups.clear()
    user.save()
    refused = job_run(Job.objects.create(user=user, title="BNBA", function="reports.jobs.bnba_workbook",
                                         params={"year": 2024, "program": "WRSE"}).pk)  # fmt: skip
    assert (refused.status, refused.message) == ("gagal", "Laporan ini tidak lagi dapat Anda unduh.")


def test_only_background_functions_run_and_a_crash_reads_as_a_clear_failure(monkeypatch):
    ApprovedItemFactory()
    user = AdminProvinsiFactory()
    job = job_run(Job.objects.create(user=user, title="x", function="os.remove", params={"path": "/tmp/x"}).pk)
    assert job.status == "gagal" and job.message.startswith("Terjadi kesalahan")
    monkeypatch.setattr("reports.jobs.bnba_writer", lambda *a, **k: 1 / 0)
    job = job_run(Job.objects.create(user=user, title="x", function="reports.jobs.bnba_workbook",
                                     params={"year": 2024, "program": "WRSE"}).pk)  # fmt: skip
    assert job.status == "gagal" and "hubungi Admin Provinsi" in job.message


def test_without_a_broker_a_job_starts_after_the_commit(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ApprovedItemFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(user=AdminProvinsiFactory(), title="BNBA", function="reports.jobs.bnba_workbook",
                        params={"year": 2024, "program": "WRSE"})  # fmt: skip
    assert Job.objects.get(pk=job.pk).status == "menunggu" and len(callbacks) == 1
    callbacks[0]()
    assert Job.objects.get(pk=job.pk).status == "selesai"


WORKER_BROKER = os.environ.get("WORKER_BROKER_URL", "")


@pytest.mark.postgres
@pytest.mark.skipif(not WORKER_BROKER, reason="needs Redis for a broker: WORKER_BROKER_URL (.ci/run sets it)")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_real_celery_worker_runs_the_job(settings):
    """A Celery worker process of its own, on this test's database and media folder (so it holds under xdist)."""
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    from jobs.tasks import run
    from kubeprogram.celery import app

    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="kubeprogram.settings.test", CELERY_BROKER_URL=WORKER_BROKER,
                       DATABASE_URL=url, REPLICA_DATABASE_URL=url, CONN_MAX_AGE="0",
                       TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT))  # fmt: skip
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen([str(celery), "-A", "kubeprogram", "worker", "--pool", "solo", "--loglevel", "WARNING"],
                              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        ApprovedItemFactory()
        job = Job.objects.create(user=AdminProvinsiFactory(), title="BNBA", function="reports.jobs.bnba_workbook",
                                 params={"year": 2024, "program": "WRSE"})  # fmt: skip
        with app.connection_for_write(WORKER_BROKER) as broker:
            run.apply_async(args=[str(job.pk)], connection=broker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Job.objects.get(pk=job.pk).finished:
            time.sleep(0.2)
        job.refresh_from_db()
        assert (job.status, job.done, job.total, job.attempts) == ("selesai", 1, 1, 1), job.message
        assert len(_rows(job.result.read())) == 1
    finally:
        worker.terminate()
        worker.wait(30)
