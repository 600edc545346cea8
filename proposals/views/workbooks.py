import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from core.access import require
from core.excel import XLSX
from jobs.selectors import job_latest
from jobs.shortcuts import start_job
from proposals import imports, permissions, services
from proposals.jobs import STAGED
from proposals.views.common import get_proposal
from proposals.workbook.errors import mark_problems
from proposals.workbook.reader import WorkbookRefused, data_row_count
from proposals.workbook.template import build_template


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def template_download(request, pk):
    proposal = get_proposal(request, pk)
    content = build_template(program=proposal.program, regency=proposal.regency)
    return _xlsx(content, f"template-usulan-{proposal.program.lower()}-{slugify(proposal.regency.name)}.xlsx")


@login_required
@require_POST
def upload_create(request, pk):
    """Check an uploaded workbook (nothing is saved to the registry yet) and show what it holds."""
    proposal = get_proposal(request, pk)
    require(permissions.can_edit_proposal(request.user, proposal))
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, "Pilih berkas Excel (.xlsx) dulu.")
        return redirect(proposal)
    if upload.size > imports.settings_limit():
        messages.error(request, imports.too_large_message(upload.size))
        return redirect(proposal)
    data = upload.read()
    try:
        rows = data_row_count(data)  # reads the whole sheet: once
        if rows > settings.BACKGROUND_IMPORT_ROWS:
            # A large file is checked in the background, with a progress bar; the job ends on its preview.
            staged = default_storage.save(f"{STAGED}{uuid.uuid4().hex}.xlsx", ContentFile(data))
            return start_job(
                request,
                title=f"Pemeriksaan {upload.name[:150]}",
                function="proposals.jobs.workbook_check",
                params={"proposal": proposal.pk, "staged": staged, "filename": upload.name},
                back_url=proposal.get_absolute_url(),
                rows=rows,
            )
        checked = imports.upload_check(proposal=proposal, data=data, filename=upload.name, actor=request.user)
    except WorkbookRefused as error:
        messages.error(request, str(error))
        return redirect(proposal)
    return redirect("proposals:upload_detail", pk=proposal.pk, upload_pk=checked.pk)


def _get_upload(proposal, upload_pk):
    return get_object_or_404(proposal.uploads, pk=upload_pk)


@login_required
def upload_detail(request, pk, upload_pk):
    proposal = get_proposal(request, pk)
    upload = _get_upload(proposal, upload_pk)
    same = proposal.uploads.filter(sha256=upload.sha256, status="committed").exclude(pk=upload.pk).first()
    save_job = job_latest(function="proposals.jobs.workbook_commit", upload=upload.pk)
    saving = save_job is not None and not save_job.finished
    can_save = permissions.can_edit_proposal(request.user, proposal) and upload.status == "checked" and not saving
    errors = upload.errors
    return render(
        request,
        "proposals/upload_detail.html",
        {
            "proposal": proposal,
            "upload": upload,
            "errors": errors,
            "warnings": upload.warnings,
            "same_file_committed": same,
            "save_job": save_job,
            "saving": saving,
            "can_commit": can_save and not errors,
            # "Simpan baris yang benar": an explicit second choice when some rows are wrong and others right.
            "can_commit_valid": can_save and bool(errors) and upload.summary.get("valid_rows", 0) > 0,
        },
    )


@login_required
@require_POST
def upload_commit(request, pk, upload_pk):
    proposal = get_proposal(request, pk)
    require(permissions.can_edit_proposal(request.user, proposal))
    upload = _get_upload(proposal, upload_pk)
    valid_only = request.POST.get("baris") == "benar"
    if upload.row_count > settings.BACKGROUND_IMPORT_ROWS:
        return start_job(
            request,
            title=f"Penyimpanan {upload.filename[:150]}",
            function="proposals.jobs.workbook_commit",
            params={"proposal": proposal.pk, "upload": upload.pk, "valid_only": valid_only},
            back_url=reverse("proposals:upload_detail", args=[proposal.pk, upload.pk]),
            rows=upload.row_count,
        )
    try:
        result = imports.upload_commit(upload=upload, actor=request.user, valid_only=valid_only)
    except imports.ImportProblems as error:
        imports.record_new_problems(upload, error.problems)
        messages.error(request, "Data di sistem berubah sejak pemeriksaan; ada kesalahan baru. Lihat daftarnya.")
        return redirect("proposals:upload_detail", pk=proposal.pk, upload_pk=upload.pk)
    except WorkbookRefused as error:
        messages.error(request, str(error))
        return redirect(proposal)
    saved = (
        f"Tersimpan: {result['new_items']} calon penerima baru, {result['new_people']} penduduk baru, "
        f"{result['updated_people']} data penduduk diperbarui."
    )
    if result["skipped"]:
        messages.warning(
            request,
            f"{saved} {result['skipped']} baris yang salah tidak disimpan: unduh berkas dengan tanda kesalahan, "
            "perbaiki baris itu, lalu unggah lagi (baris yang sudah tersimpan tidak akan dobel).",
        )
        return redirect("proposals:upload_detail", pk=proposal.pk, upload_pk=upload.pk)
    messages.success(request, saved)
    return redirect(proposal)


@login_required
def upload_errors(request, pk, upload_pk):
    """The uploaded workbook back, with the bad cells red and commented; it holds whole NIKs, so only for the roles
    that work with them, and every download is audited."""
    proposal = get_proposal(request, pk)
    upload = _get_upload(proposal, upload_pk)
    require(permissions.can_download_upload(request.user))
    services.upload_downloaded(upload=upload, actor=request.user)
    with upload.file.open("rb") as handle:
        content = mark_problems(handle.read(), upload.problems)
    name = upload.filename.rsplit(".", 1)[0]
    return _xlsx(content, f"{slugify(name) or 'usulan'}-kesalahan.xlsx")
