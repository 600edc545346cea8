"""Starting and running background jobs. One code path: the same job function runs in a Celery worker when a
broker is configured (CELERY_BROKER_URL) and inline, in the request that started it, when not.

A job function is a plain function marked with @background_job, called with the user who asked, a `progress`
callback and its JSON parameters; it does its own scoping and auditing (through the same services as the
synchronous path) and returns a JobResult (the file for the user)."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import Job

logger = logging.getLogger(__name__)


@dataclass
class JobResult:
    """What a job leaves for its user: a file to download, and/or the page that shows the result (`url`)."""

    content: bytes | None = None
    filename: str = ""
    message: str = ""
    url: str = ""


class JobRefused(ValidationError):
    """A job that ends refused, with the page where the user sees why (e.g. an import's list of errors)."""

    def __init__(self, message: str, *, url: str = ""):
        super().__init__(message)
        self.url = url


def background_job(function: Callable) -> Callable:
    """Mark a function as one a job may run (a job names it by its dotted path; nothing else is run)."""
    function.background_job = True
    return function


def broker_configured() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def job_start(*, user, title: str, function: str, params: dict, back_url: str = "") -> Job:
    """Record the job and hand it to the worker after the commit (inline when there is no broker)."""
    job = Job.objects.create(user=user, title=title, function=function, params=params, back_url=back_url)
    if broker_configured():
        from jobs.tasks import run

        transaction.on_commit(lambda: run.delay(str(job.pk)))
    else:
        transaction.on_commit(lambda: job_run(job.pk))
    return job


class Progress:
    """`progress(done, total)`: kept on the job row at most twice a second (and always at the end)."""

    def __init__(self, job: Job):
        self.job, self.last = job, 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done != total:
            return
        self.last = now
        changes = {"done": done} | ({"total": total} if total is not None else {})
        Job.objects.filter(pk=self.job.pk).update(**changes)


def job_run(job_id) -> Job:
    """Run a waiting job once (a task delivered twice finds it taken and does nothing)."""
    if not Job.objects.filter(pk=job_id, status=Job.Status.WAITING).update(status=Job.Status.RUNNING):
        return Job.objects.get(pk=job_id)
    job = Job.objects.select_related("user").get(pk=job_id)
    try:
        function = import_string(job.function)
        if not getattr(function, "background_job", False):
            raise ImportError(f"{job.function} is not a background job")
        result = function(user=job.user, progress=Progress(job), **job.params)
        if result.content is not None:
            job.result.save(f"{job.pk}/{result.filename}", ContentFile(result.content), save=False)
        job.status, job.result_name, job.message = Job.Status.DONE, result.filename, result.message
        job.result_url = result.url
    except ValidationError as refused:
        job.status, job.message = Job.Status.FAILED, " ".join(refused.messages)
        job.result_url = getattr(refused, "url", "")
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.function)
        job.status = Job.Status.FAILED
        job.message = "Terjadi kesalahan saat menyiapkan berkas. Coba lagi; bila berulang, hubungi Admin Provinsi."
    job.finished_at = timezone.now()
    job.done, job.total = Job.objects.values_list("done", "total").get(pk=job.pk)  # as progress() left them
    job.save()
    return job
