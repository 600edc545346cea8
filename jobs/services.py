"""Starting and running background jobs. One code path: the same job function runs in a Celery worker when a
broker is configured (CELERY_BROKER_URL) and inline, in the request that started it, when not.

A job function is a plain function marked with @background_job, called with the user who asked, a `progress`
callback and its JSON parameters; it does its own scoping and auditing (through the same services as the
synchronous path) and returns a JobResult (the file for the user).

A job never stays "running" for ever: its runner proves it lives (Heartbeat); a job silent for JOB_LEASE_SECONDS
(its worker process was killed, the server restarted) is taken over once by the task Celery delivers again, or
ended as failed with its reason by jobs_sweep (every minute) and whenever its page is looked at. Its outcome is
written on a fresh connection, retried while the database comes back (a PostgreSQL restart)."""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
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


def background_job(function: Callable | None = None, *, retry: bool = True) -> Callable:
    """Mark a function as one a job may run (a job names it by its dotted path; nothing else is run).
    retry=False: a failed job of this kind cannot simply be run again ("Coba lagi"): its input is gone (a staged
    upload), the user starts over from its page."""

    def mark(f):
        f.background_job, f.retryable = True, retry
        return f

    return mark(function) if function is not None else mark


class BrokerUnavailable(ValidationError):
    """The broker (Redis) refused the job: nothing was recorded; the user is told to try again shortly."""

    def __init__(self):
        super().__init__("Layanan latar sedang tidak tersedia; coba lagi sebentar lagi.")


DB_GONE = "Basis data sempat tidak dapat dihubungi; tidak ada yang tersimpan dari pekerjaan ini. Tekan Coba lagi."
RUNNER_GONE = (
    "Pemroses pekerjaan ini berhenti di tengah jalan (server dimulai ulang); tidak ada yang tersimpan dari pekerjaan "
    "ini. Tekan Coba lagi."
)
NEVER_PICKED = (
    "Pekerjaan ini tidak pernah diambil oleh pemroses latar. Tekan Coba lagi; bila berulang, hubungi Admin Provinsi."
)
DISK_FULL = (
    "Berkas tidak dapat disimpan di server (ruang penyimpanan); tidak ada yang tersimpan. Hubungi Admin Provinsi."
)
FAILED = "Terjadi kesalahan saat menyiapkan berkas. Coba lagi; bila berulang, hubungi Admin Provinsi."


def broker_configured() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def job_start(
    *, user, title: str, function: str, params: dict, back_url: str = "", inline_if_broker_down: bool = False
) -> Job:
    """Record the job and hand it to the worker after the commit (inline when there is no broker). When the broker
    refuses it, the job row goes again and BrokerUnavailable is raised — or, for work small enough to be done in
    the request (`inline_if_broker_down`), it runs inline."""
    job = Job.objects.create(user=user, title=title, function=function, params=params, back_url=back_url)
    if broker_configured():
        transaction.on_commit(lambda: _enqueue(job, inline_if_broker_down))
    else:
        transaction.on_commit(lambda: job_run(job.pk))
    return job


def publish(job_id: str) -> None:
    """Hand a job to the worker through the broker, by the task's name (jobs.tasks imports this module, never the
    other way round); retried briefly, then the broker's error is raised."""
    from celery import current_app

    current_app.send_task("jobs.run", args=[job_id], retry=True,
                          retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.3})  # fmt: skip


def _enqueue(job: Job, inline_if_broker_down: bool) -> None:
    try:
        publish(str(job.pk))
    except Exception:  # noqa: BLE001 — kombu's and redis's connection errors alike: the broker is not there
        logger.warning("broker refused job %s (%s)", job.pk, job.function, exc_info=True)
        if inline_if_broker_down:
            job_run(job.pk)
            return
        _remove_staged(job)  # its staged upload goes with it: no file without its row
        Job.objects.filter(pk=job.pk).delete()
        raise BrokerUnavailable() from None


class Progress:
    """`progress(done, total)`: kept on the job row at most twice a second (and always at the end); it counts as a
    heartbeat too."""

    def __init__(self, job: Job):
        self.job, self.last = job, 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done != total:
            return
        self.last = now
        changes = {"done": done, "heartbeat_at": timezone.now()} | ({"total": total} if total is not None else {})
        Job.objects.filter(pk=self.job.pk).update(**changes)


class Heartbeat:
    """While a job runs, a thread of its own marks it alive every JOB_HEARTBEAT_SECONDS on a connection of its own
    (the job's may sit inside a long transaction). PostgreSQL only: SQLite (make run, inline jobs) has one writer."""

    def __init__(self, job_id):
        self.job_id, self.stop = job_id, threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"job-heartbeat-{job_id}")

    def __enter__(self):
        if connection.vendor == "postgresql":
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def _beat(self):
        try:
            while not self.stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    connection.close()  # a new connection next beat (the database restarted)
        finally:
            connection.close()


def _stale() -> timezone.datetime:
    return timezone.now() - timezone.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def job_claim(job_id) -> Job | None:
    """Take the job to run it: a waiting one, or a running one whose runner has been silent past the lease (its
    process died) while attempts remain. None when someone else has it or it has ended."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        taken_over = job.status == Job.Status.RUNNING and (job.heartbeat_at or job.created_at) < _stale()
        if job.status == Job.Status.WAITING or (taken_over and job.attempts < settings.JOB_MAX_ATTEMPTS):
            job.status, job.heartbeat_at, job.attempts = Job.Status.RUNNING, now, job.attempts + 1
            if taken_over:
                job.message = (f"Pemroses sebelumnya berhenti; diulang dari awal (percobaan {job.attempts} dari "
                               f"{settings.JOB_MAX_ATTEMPTS}).")  # fmt: skip
                job.done = 0
            job.save(update_fields=["status", "heartbeat_at", "attempts", "message", "done"])
            return job
    return None


def job_run(job_id) -> Job:
    """Run a job once (a task delivered twice finds it taken and does nothing) and record how it ended."""
    job = job_claim(job_id)
    if job is None:
        return Job.objects.get(pk=job_id)
    job = Job.objects.select_related("user").get(pk=job.pk)
    outcome = {"message": ""}
    with Heartbeat(job.pk):
        try:
            function = import_string(job.function)
            if not getattr(function, "background_job", False):
                raise ImportError(f"{job.function} is not a background job")
            result = function(user=job.user, progress=Progress(job), **job.params)
            if result.content is not None:
                job.result.save(f"{job.pk}/{result.filename}", ContentFile(result.content), save=False)
                outcome["result"] = job.result.name
            outcome |= {"status": Job.Status.DONE, "result_name": result.filename, "message": result.message,
                        "result_url": result.url}  # fmt: skip
        except ValidationError as refused:
            outcome |= {"status": Job.Status.FAILED, "message": " ".join(refused.messages),
                        "result_url": getattr(refused, "url", "")}  # fmt: skip
        except (OperationalError, InterfaceError):
            logger.exception("job %s (%s): the database went away", job.pk, job.function)
            outcome |= {"status": Job.Status.FAILED, "message": DB_GONE}
        except OSError:
            logger.exception("job %s (%s): a file could not be written", job.pk, job.function)
            outcome |= {"status": Job.Status.FAILED, "message": DISK_FULL}
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.function)
            outcome |= {"status": Job.Status.FAILED, "message": FAILED}
    _finish(job, outcome)
    return Job.objects.get(pk=job.pk)


def _finish(job: Job, outcome: dict) -> None:
    """Write how the job ended — on a fresh connection, retried for up to a minute while the database comes back —
    and remove its staged input, whatever the outcome."""
    outcome = {"finished_at": timezone.now(), **outcome}
    for attempt in range(12):
        try:
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            Job.objects.filter(pk=job.pk).update(**outcome)
            break
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block:
                raise  # inside a caller's transaction (a test's): nothing to reconnect
            connection.close()
            time.sleep(min(0.5 * 2**attempt, 10))
    else:
        logger.error("job %s: its outcome could not be written; the sweep will end it", job.pk)
    _remove_staged(job)


def _remove_staged(job: Job) -> None:
    """A job's staged upload goes when the job ends (a forged path, refused by the job, is not touched)."""
    from django.core.exceptions import SuspiciousFileOperation

    staged = (job.params or {}).get("staged")
    if staged and isinstance(staged, str) and staged.startswith("jobs/") and ".." not in staged:
        try:
            default_storage.delete(staged)
        except (OSError, SuspiciousFileOperation):
            logger.warning("job %s: staged file %s could not be removed", job.pk, staged)


def job_end_if_dead(job: Job) -> Job:
    """A job whose runner is gone ends as failed with its reason: running and silent past the lease with no
    attempt left (or with no broker to deliver it again), or waiting past JOB_WAITING_MINUTES."""
    if job.finished:
        return job
    if job.status == Job.Status.RUNNING:
        silent = (job.heartbeat_at or job.created_at) < _stale() - timezone.timedelta(
            seconds=settings.JOB_LEASE_SECONDS if broker_configured() and job.attempts < settings.JOB_MAX_ATTEMPTS
            else 0
        )  # fmt: skip
        message = RUNNER_GONE
    else:
        silent = job.created_at < timezone.now() - timezone.timedelta(minutes=settings.JOB_WAITING_MINUTES)
        message = NEVER_PICKED
    if not silent:
        return job
    ended = Job.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
        status=Job.Status.FAILED, message=message, finished_at=timezone.now()
    )
    if ended:
        logger.warning("job %s (%s) ended: %s", job.pk, job.function, message)
        _remove_staged(job)
    job.refresh_from_db()
    return job


def jobs_sweep() -> int:
    """End every job whose runner is gone (the beat runs it every minute). Answers how many were ended."""
    candidates = Job.objects.filter(status__in=[Job.Status.WAITING, Job.Status.RUNNING])
    return sum(job_end_if_dead(job).status == Job.Status.FAILED for job in candidates)


def job_retryable(job: Job) -> bool:
    """Whether "Coba lagi" may run a job's work again: it failed, and its function keeps its input (retry=True)."""
    if job.status != Job.Status.FAILED:
        return False
    try:
        return getattr(import_string(job.function), "retryable", False)
    except ImportError:
        return False


def job_retry(*, job: Job, user) -> Job:
    """ "Coba lagi": the same work, as a new job of the same user (a failed job stays as it ended)."""
    if not job_retryable(job):
        raise ValidationError("Pekerjaan ini tidak dapat diulang; mulai lagi dari halamannya.")
    return job_start(user=user, title=job.title, function=job.function, params=job.params, back_url=job.back_url)
