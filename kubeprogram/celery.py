"""The Celery application: background jobs on a Redis broker (CELERY_BROKER_URL). Without a broker every job
runs inline in the request that started it (jobs.services.job_start), so `make run` needs nothing else.

Worker in production (a systemd unit beside gunicorn's, see README):
    .venv/bin/celery -A kubeprogram worker --concurrency 2 --loglevel INFO
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubeprogram.settings.production")  # as gunicorn (wsgi.py)

app = Celery("kubeprogram")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
