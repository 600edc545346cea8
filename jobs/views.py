"""A background job's page: a progress bar that updates itself (htmx polling) and the file when it is ready,
for the user who started it only (anyone else: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jobs import services
from jobs.models import Job

JOB_LIST_SIZE = 30


def _own(request, pk) -> Job:
    """The user's own job; one whose runner is gone is ended here with its reason (never "running" for ever)."""
    return services.job_end_if_dead(get_object_or_404(Job, pk=pk, user=request.user))


def _context(job: Job) -> dict:
    return {"job": job, "retryable": services.job_retryable(job)}


@login_required
def job_list(request):
    """The user's own recent jobs (exports, imports), newest first: where a file waits after the page was left."""
    jobs = Job.objects.filter(user=request.user).only(
        "id", "title", "status", "done", "total", "result_name", "created_at", "finished_at"
    )[:JOB_LIST_SIZE]
    return render(request, "jobs/job_list.html", {"jobs": jobs, "size": JOB_LIST_SIZE})


def _goes_on(request, job) -> bool:
    """A finished job whose result is a page (an import's preview) sends the user on to it, with its message."""
    if job.status == Job.Status.DONE and job.result_url:
        if job.message:
            messages.success(request, job.message)
        return True
    return False


@login_required
def job_detail(request, pk):
    job = _own(request, pk)
    if _goes_on(request, job):  # finished before the page was opened (no broker: the job ran in the request)
        return redirect(job.result_url)
    return render(request, "jobs/job_detail.html", _context(job))


@login_required
def job_status(request, pk):
    job = _own(request, pk)
    response = render(request, "jobs/partials/job_status.html", _context(job))
    if request.htmx and _goes_on(request, job):
        response["HX-Redirect"] = job.result_url  # the progress page moves on by itself
    return response


@login_required
def job_download(request, pk):
    job = _own(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)


@login_required
@require_POST
def job_retry(request, pk):
    """ "Coba lagi": the failed job's work again, as a new job (the page of the new one)."""
    job = _own(request, pk)
    try:
        again = services.job_retry(job=job, user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("jobs:job_detail", pk=job.pk)
    return redirect("jobs:job_detail", pk=again.pk)
