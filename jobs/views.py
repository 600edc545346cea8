"""A background job's page: a progress bar that updates itself (htmx polling) and the file when it is ready,
for the user who started it only (anyone else: 404)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from jobs.models import Job


def _own(request, pk) -> Job:
    return get_object_or_404(Job, pk=pk, user=request.user)


@login_required
def job_detail(request, pk):
    return render(request, "jobs/job_detail.html", {"job": _own(request, pk)})


@login_required
def job_status(request, pk):
    return render(request, "jobs/partials/job_status.html", {"job": _own(request, pk)})


@login_required
def job_download(request, pk):
    job = _own(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
