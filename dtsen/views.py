"""The register's pages: the snapshots received (with their period, source and rows), one snapshot (a refused
file's wrong rows by row and column), and the import form."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, render

from core.access import require
from dtsen.forms import SnapshotForm
from dtsen.jobs import STAGED
from dtsen.models import Snapshot
from dtsen.permissions import can_import_register, can_view_register
from dtsen.selectors import snapshots_visible_to
from jobs.shortcuts import start_job

PAGE = 100


@login_required
def snapshot_list(request):
    require(can_view_register(request.user))
    snapshots = snapshots_visible_to(request.user).exclude(status=Snapshot.Status.IMPORTING)[:PAGE]
    return render(request, "dtsen/snapshot_list.html",
                  {"snapshots": snapshots, "can_import": can_import_register(request.user)})  # fmt: skip


@login_required
def snapshot_detail(request, pk):
    snapshot = get_object_or_404(snapshots_visible_to(request.user), pk=pk)
    return render(request, "dtsen/snapshot_detail.html", {"snapshot": snapshot})


@login_required
def snapshot_import(request):
    require(can_import_register(request.user))
    form = SnapshotForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["extract"]
        suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
        staged = default_storage.save(f"{STAGED}{uuid.uuid4().hex}{suffix}", upload)
        regency = form.cleaned_data["regency"]
        return start_job(
            request,
            title=f"Impor DTSEN {upload.name[:150]}",
            function="dtsen.jobs.snapshot_import",
            params={
                "staged": staged,
                "file_name": upload.name,
                "period": form.cleaned_data["period"].isoformat(),
                "source": form.cleaned_data["source"],
                "regency": regency.pk if regency else "",
            },  # fmt: skip
            back_url="/dtsen/",
        )
    return render(request, "dtsen/snapshot_form.html", {"form": form})
