"""The worklist workbook for field teams without a connection: download, upload (preview and save), the marked copy."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.exports import export_event
from core.access import require
from monitoring import imports, selectors, workbook
from monitoring.forms import (
    WorklistUploadForm,
)
from monitoring.models import Visit
from monitoring.permissions import (
    can_record_visits,
)
from monitoring.views.visits import STATE_FILTERS, regency_chosen
from programs.selectors import budget_year_chosen
from proposals.workbook.errors import mark_problems
from proposals.workbook.reader import WorkbookRefused
from regions.selectors import regencies_visible_to


def _worklist_filters(request):
    budget_year, _ = budget_year_chosen(request.user, request.GET.get("tahun") or request.POST.get("tahun"))
    return budget_year, regency_chosen(request, regencies_visible_to(request.user))


@login_required
def worklist_export(request):
    """The due and overdue visits (or the chosen status) as a workbook to fill in the field, audited."""
    require(can_record_visits(request.user))
    budget_year, regency = _worklist_filters(request)
    if budget_year is None:
        raise Http404
    state = request.GET.get("status", "")
    wanted = STATE_FILTERS.get(state, STATE_FILTERS[""])[1] or selectors.OPEN_STATES
    rows = selectors.worklist(
        user=request.user, budget_year=budget_year, regency_id=regency or None, states=wanted, with_lines=True
    )
    where = str(regencies_visible_to(request.user).get(code=regency)) if regency else (
        str(request.user.regency) if request.user.regency_id else "Kalimantan Timur"
    )  # fmt: skip
    content = workbook.build(rows, title=f"Lembar kerja kunjungan monev — {where} — {budget_year}")
    export_event(
        user=request.user,
        action="visit.export_worklist",
        obj=Visit,
        rows=len(rows),
        after={"budget_year": budget_year.year, "regency": regency or None},
        regency_id=regency or None,
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="kunjungan-monev-{budget_year.year}.xlsx"'
    return response


@login_required
@require_POST
def worklist_upload(request):
    """The filled-in workbook back: every row judged as the form judges a visit; rows whose visit is already saved
    are passed over and named; of the others all saved, or nothing and the problems by row and column with the
    workbook marked (red cells, comments) to download."""
    require(can_record_visits(request.user))
    form = WorklistUploadForm(request.POST, request.FILES)
    problems, saved, refused = [], None, None
    if form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            rows = workbook.read(data)
            saved = imports.visits_import(
                rows=rows, handovers=selectors.handovers_for_visits(request.user), actor=request.user
            )
        except WorkbookRefused as error:
            refused = str(error)
        except ValidationError as error:
            problems = list(error.args[0])
            marked = mark_problems(data, problems)
            name = default_storage.save(f"monev/unggah/{uuid.uuid4().hex}.xlsx", ContentFile(marked))
            request.session["monev_marked_workbook"] = name
    else:
        refused = " ".join(m for messages in form.errors.values() for m in messages)
    if saved is not None:
        if saved.saved or not saved.skipped:
            messages.success(
                request,
                f"{saved.saved} kunjungan dari berkas dicatat."
                if saved.saved
                else "Berkas tidak berisi kunjungan yang diisi.",
            )
        if saved.skipped:
            messages.info(
                request,
                f"{len(saved.skipped)} baris dilewati karena kunjungannya sudah tersimpan: "
                + "; ".join(f"baris {p['row']}: {p['message']}" for p in saved.skipped),
            )
        return redirect(f"{reverse('monitoring:worklist')}?status=selesai")
    return render(
        request,
        "monitoring/worklist_upload.html",
        {"problems": sorted(problems, key=lambda p: (p["row"], p["column"])), "refused": refused},
        status=200,
    )


@login_required
def worklist_marked(request):
    """The uploader's own workbook with its problems marked (kept for them only, named in their session)."""
    require(can_record_visits(request.user))
    name = request.session.get("monev_marked_workbook")
    if not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename="kunjungan-monev-kesalahan.xlsx")
