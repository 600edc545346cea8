"""WSGI entry point for gunicorn: `gunicorn kubeprogram.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubeprogram.settings.production")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules and settings) lives as long as the process: out of the
# cyclic garbage collector's sight, its full collections no longer walk it again and again while a request builds
# tens of thousands of objects (an import of 10,000 rows: 15% less time; bench/import_proposals.py). The Celery
# worker does the same (kubeprogram/celery.py).
gc.freeze()
