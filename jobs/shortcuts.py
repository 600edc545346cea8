"""What a view does to start a job: the job's page, or — when the broker (Redis) refuses it — back where the user
came from with the message (jobs.services.BrokerUnavailable); nothing was recorded."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from jobs.services import BrokerUnavailable, job_start


def start_job(request, *, title: str, function: str, params: dict, back_url: str, rows: int | None = None):
    """Work of at most BACKGROUND_INLINE_MAX_ROWS rows (`rows`) runs inline, in this request, when the broker is
    down: slower for the user, but done."""
    small = rows is not None and rows <= settings.BACKGROUND_INLINE_MAX_ROWS
    try:
        job = job_start(user=request.user, title=title, function=function, params=params, back_url=back_url,
                        inline_if_broker_down=small)  # fmt: skip
    except BrokerUnavailable as refused:
        messages.error(request, refused.messages[0])
        return redirect(back_url or "home")
    return redirect("jobs:job_detail", pk=job.pk)
