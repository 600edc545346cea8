"""A background job's page: a progress bar that updates itself (htmx polling) and the file when it is ready,
for the user who started it only (anyone else: 404)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from jobs.models import Job

JOB_LIST_SIZE = 30


def _own(request, pk) -> Job:
    return get_object_or_404(Job, pk=pk, user=request.user)


@login_required
def job_list(request):
    """The user's own recent jobs (exports, imports), newest first: where a file waits after the page was left."""
    jobs = Job.objects.filter(user=request.user).only(
        "id", "title", "status", "done", "total", "result_name", "created_at", "finished_at"
    )[:JOB_LIST_SIZE]
    return render(request, "jobs/job_list.html", {"jobs": jobs, "size": JOB_LIST_SIZE})


@login_required
def job_detail(request, pk):
    return render(request, "jobs/job_detail.html", {"job": _own(request, pk)})


@login_required
def job_status(request, pk):
    job = _own(request, pk)
    response = render(request, "jobs/partials/job_status.html", {"job": job})
    if job.status == Job.Status.DONE and job.result_url and request.htmx:
        response["HX-Redirect"] = job.result_url  # an import's check: straight on to its page
    return response


@login_required
def job_download(request, pk):
    job = _own(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
