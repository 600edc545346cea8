from celery import shared_task

from jobs.services import job_run


@shared_task(name="jobs.run", acks_late=True)
def run(job_id: str) -> str:
    return job_run(job_id).status
