"""A large proposal workbook checked and saved in the background (above BACKGROUND_IMPORT_ROWS rows): the same
services as the page's own path (`imports.upload_check`, `imports.upload_commit`), the same scope and rights —
checked again in the job, as the user's rights may have changed since they pressed the button — and the same
audit events. The job ends on the upload's page (its preview, or its list of errors)."""

from django.core.files.storage import default_storage
from django.urls import reverse

from jobs.services import JobRefused, JobResult, background_job
from proposals import imports, permissions, selectors
from proposals.models import Proposal
from proposals.workbook.reader import WorkbookRefused

STAGED = "jobs/unggah/"  # where an uploaded workbook waits for its check (deleted once read)


def _proposal(user, pk) -> Proposal:
    try:
        proposal = selectors.proposal_get(user=user, pk=pk)
    except Proposal.DoesNotExist:
        raise JobRefused("Usulan ini tidak lagi dapat Anda buka.") from None
    if not permissions.can_edit_proposal(user, proposal):
        raise JobRefused(
            f"Usulan berstatus {proposal.get_status_display()} atau Anda tidak lagi berhak mengubahnya.",
            url=proposal.get_absolute_url(),
        )
    return proposal


def _upload_url(proposal, upload) -> str:
    return reverse("proposals:upload_detail", kwargs={"pk": proposal.pk, "upload_pk": upload.pk})


@background_job(retry=False)  # the staged upload is gone once the job ends: the officer uploads it again
def workbook_check(*, user, progress, proposal: int, staged: str, filename: str) -> JobResult:
    """Check a staged workbook (nothing is written to the registry) and end on its preview."""
    if not staged.startswith(STAGED) or ".." in staged:
        raise JobRefused("Berkas unggahan tidak dikenal.")
    try:
        proposal = _proposal(user, proposal)
        with default_storage.open(staged, "rb") as handle:
            data = handle.read()
        try:
            upload = imports.upload_check(proposal=proposal, data=data, filename=filename, actor=user,
                                          progress=progress)  # fmt: skip
        except WorkbookRefused as error:
            raise JobRefused(str(error), url=proposal.get_absolute_url()) from None
    finally:
        default_storage.delete(staged)
    errors = len(upload.errors)
    message = f"{upload.row_count} baris diperiksa" + (f", {errors} kesalahan." if errors else ", tanpa kesalahan.")
    return JobResult(message=message, url=_upload_url(proposal, upload))


@background_job
def workbook_commit(*, user, progress, proposal: int, upload: int, valid_only: bool) -> JobResult:
    """Save a checked upload (all rows, or the right ones) and end on the proposal (on the upload's page when
    rows were left out or the registry changed since the check)."""
    proposal = _proposal(user, proposal)
    upload = proposal.uploads.filter(pk=upload).first()
    if upload is None:
        raise JobRefused("Unggahan ini tidak ditemukan.", url=proposal.get_absolute_url())
    url = _upload_url(proposal, upload)
    try:
        result = imports.upload_commit(upload=upload, actor=user, valid_only=valid_only, progress=progress)
    except imports.ImportProblems as error:
        imports.record_new_problems(upload, error.problems)
        message = "Data di sistem berubah sejak pemeriksaan; ada kesalahan baru. Lihat daftarnya."
        raise JobRefused(message, url=url) from None
    except WorkbookRefused as error:
        raise JobRefused(str(error), url=proposal.get_absolute_url()) from None
    message = (
        f"Tersimpan: {result['new_items']} calon penerima baru, {result['new_people']} penduduk baru, "
        f"{result['updated_people']} data penduduk diperbarui."
    )
    if result["skipped"]:
        message += f" {result['skipped']} baris yang salah tidak disimpan."
        return JobResult(message=message, url=url)  # the marked file of the wrong rows is on the upload's page
    return JobResult(message=message, url=proposal.get_absolute_url())
