from jobs.models import Job
from jobs.services import job_end_if_dead


def job_latest(*, function: str, **params) -> Job | None:
    """The latest job of this kind run on this input (e.g. the save of one upload), ended first if its runner is
    gone: so a page can follow its job ("being saved", "the save failed: …")."""
    lookups = {f"params__{key}": value for key, value in params.items()}
    job = Job.objects.filter(function=function, **lookups).order_by("-created_at").first()
    return job_end_if_dead(job) if job is not None else None
