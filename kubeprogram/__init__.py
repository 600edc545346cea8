# The Celery app is loaded with Django, so @shared_task functions bind to it (kubeprogram/celery.py).
from kubeprogram.celery import app as celery_app

__all__ = ["celery_app"]
