"""gunicorn's and the Celery worker's processes put what they loaded out of the cyclic garbage collector's sight
(gc.freeze), so that a large import or export does not make it walk the whole app again and again."""

import gc
import importlib

from celery.signals import worker_process_init


def _frozen_after(load) -> int:
    gc.unfreeze()
    try:
        load()
        return gc.get_freeze_count()
    finally:
        gc.unfreeze()


def test_the_wsgi_application_freezes_what_it_loaded():
    import kubeprogram.wsgi

    assert _frozen_after(lambda: importlib.reload(kubeprogram.wsgi)) > 1000


def test_each_celery_worker_process_freezes_what_it_loaded():
    from kubeprogram import celery

    assert celery.freeze_loaded_objects in [receiver() for _, receiver in worker_process_init.receivers]
    assert _frozen_after(lambda: worker_process_init.send(sender=None)) > 1000
