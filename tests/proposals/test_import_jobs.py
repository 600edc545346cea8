"""A large proposal workbook (above BACKGROUND_IMPORT_ROWS) is checked and saved in the background: the officer
sees a progress bar, then lands on the same preview and the same result as with a small file — same rows
written, same audit events, same scope — and a job re-checks the user's rights when it runs."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from jobs.models import Job
from proposals.jobs import STAGED
from proposals.models import Proposal, Upload
from tests.factories import OperatorFactory, PersonFactory, ProposalFactory
from tests.proposals.workbooks import build, wrse_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings, tmp_path):
    settings.MEDIA_ROOT, settings.BACKGROUND_IMPORT_ROWS = tmp_path, 3  # "large": more than 3 rows
    return tmp_path


def _run_jobs(capture, call):
    with capture(execute=True):
        return call()


def test_a_large_workbook_is_checked_then_saved_in_the_background(large, client,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    proposal, operator = ProposalFactory(), OperatorFactory()
    client.force_login(operator)
    data = build([wrse_row(i) for i in range(1, 6)])
    response = _run_jobs(django_capture_on_commit_callbacks, lambda: client.post(
        reverse("proposals:upload_create", args=[proposal.pk]),
        {"workbook": SimpleUploadedFile("usulan-besar.xlsx", data)},
    ))  # fmt: skip
    check = Job.objects.get()
    assert response.url == reverse("jobs:job_detail", args=[check.pk])
    upload = Upload.objects.get()
    assert (check.status, check.user, check.done, check.total) == ("selesai", operator, 5, 5)
    assert check.result_url == reverse("proposals:upload_detail", args=[proposal.pk, upload.pk])
    assert check.message == "5 baris diperiksa, tanpa kesalahan."
    assert not default_storage.listdir(STAGED)[1]  # the staged file is gone once read
    assert not proposal.items.exists() and AuditEvent.objects.filter(action="proposal.upload").count() == 1

    status = client.get(reverse("jobs:job_status", args=[check.pk]), headers={"HX-Request": "true"})
    assert status["HX-Redirect"] == check.result_url  # the progress page moves on to the preview by itself
    page = client.get(reverse("jobs:job_detail", args=[check.pk]), follow=True)  # done: on to the preview
    assert page.redirect_chain == [(check.result_url, 302)]
    assert "5 baris diperiksa, tanpa kesalahan." in page.content.decode()

    response = _run_jobs(django_capture_on_commit_callbacks, lambda: client.post(
        reverse("proposals:upload_commit", args=[proposal.pk, upload.pk])
    ))  # fmt: skip
    save = Job.objects.exclude(pk=check.pk).get()
    assert response.url == reverse("jobs:job_detail", args=[save.pk])
    assert (save.status, save.result_url) == ("selesai", proposal.get_absolute_url())
    assert save.message == "Tersimpan: 5 calon penerima baru, 5 penduduk baru, 0 data penduduk diperbarui."
    assert proposal.items.count() == 5
    assert AuditEvent.objects.filter(action="proposal_item.create", actor=operator).count() == 5
    upload.refresh_from_db()
    assert upload.status == "committed"


def test_a_small_workbook_is_still_checked_in_the_request(large, client):
    proposal = ProposalFactory()
    client.force_login(OperatorFactory())
    small = SimpleUploadedFile("u.xlsx", build([wrse_row(i) for i in range(1, 4)]))
    response = client.post(reverse("proposals:upload_create", args=[proposal.pk]), {"workbook": small})
    upload = Upload.objects.get()
    assert (
        response.url == reverse("proposals:upload_detail", args=[proposal.pk, upload.pk]) and not Job.objects.exists()
    )


def test_a_job_whose_proposal_left_the_draft_or_the_users_scope_is_refused_with_a_reason(large):
    from jobs.services import job_run
    from proposals import imports
    from regions.models import Regency

    proposal, operator = ProposalFactory(), OperatorFactory()
    upload = imports.upload_check(proposal=proposal, data=build([wrse_row(i) for i in range(1, 6)]),
                                  filename="u.xlsx", actor=operator)  # fmt: skip
    params = {"proposal": proposal.pk, "upload": upload.pk, "valid_only": False}
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.SUBMITTED)
    job = job_run(Job.objects.create(user=operator, title="x", function="proposals.jobs.workbook_commit",
                                     params=params).pk)  # fmt: skip
    assert (job.status, job.result_url) == ("gagal", proposal.get_absolute_url())
    assert job.message.startswith("Usulan berstatus Diajukan") and not proposal.items.exists()
    stranger = OperatorFactory(regency=Regency.objects.get(code="64.01"))
    job = job_run(Job.objects.create(user=stranger, title="x", function="proposals.jobs.workbook_commit",
                                     params=params).pk)  # fmt: skip
    assert (job.status, job.message, job.result_url) == ("gagal", "Usulan ini tidak lagi dapat Anda buka.", "")
    forged = job_run(Job.objects.create(user=operator, title="x", function="proposals.jobs.workbook_check",
                                        params={"proposal": proposal.pk, "staged": "../settings.py",
                                                "filename": "x"}).pk)  # fmt: skip
    assert (forged.status, forged.message) == ("gagal", "Berkas unggahan tidak dikenal.")


def test_rows_changed_meanwhile_end_on_the_list_of_errors(large, balikpapan):
    from jobs.services import job_run
    from proposals import imports

    proposal, operator = ProposalFactory(), OperatorFactory()
    rows = [wrse_row(i) for i in range(1, 6)]
    upload = imports.upload_check(proposal=proposal, data=build(rows), filename="u.xlsx", actor=operator)
    moved = rows[0]  # between the check and the save, Balikpapan registers the first person
    PersonFactory(regency=balikpapan, nik=moved["NIK"], birth_date=moved["Tanggal Lahir"])
    params = {"proposal": proposal.pk, "upload": upload.pk, "valid_only": False}
    job = job_run(Job.objects.create(user=operator, title="x", function="proposals.jobs.workbook_commit",
                                     params=params).pk)  # fmt: skip
    assert job.status == "gagal" and job.message.startswith("Data di sistem berubah sejak pemeriksaan")
    assert job.result_url == reverse("proposals:upload_detail", args=[proposal.pk, upload.pk])
    upload.refresh_from_db()
    assert upload.errors and not proposal.items.exists()
