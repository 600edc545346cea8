from celery import shared_task
from django.conf import settings

from jobs.models import Job
from jobs.services import job_run, jobs_sweep


@shared_task(name="jobs.run", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4)
def run(self, job_id: str) -> str:
    """Run a job. Delivered again while the job shows as running (its process was killed, or Redis handed the task
    out twice): look again once the lease has run out — then it is taken over, or it has ended."""
    job = job_run(job_id)
    if job.status == Job.Status.RUNNING:  # not taken: another runner has it, alive or not yet known dead
        raise self.retry(countdown=settings.JOB_LEASE_SECONDS)
    return job.status


@shared_task(name="jobs.sweep")
def sweep() -> int:
    return jobs_sweep()
