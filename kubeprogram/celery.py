"""The Celery application: background jobs on a Redis broker (CELERY_BROKER_URL). Without a broker every job
runs inline in the request that started it (jobs.services.job_start), so `make run` needs nothing else.

Worker in production (a systemd unit beside gunicorn's, see docs/operations.md):
    .venv/bin/celery -A kubeprogram worker --concurrency 2 --loglevel INFO
"""

import gc
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubeprogram.settings.production")  # as gunicorn (wsgi.py)

app = Celery("kubeprogram")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def freeze_loaded_objects(**kwargs):
    """As gunicorn's workers do (kubeprogram/wsgi.py): what each worker process has loaded stays out of the cyclic
    garbage collector's full collections, which the large jobs (imports, exports) would otherwise trigger often."""
    gc.freeze()
