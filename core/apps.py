from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: domain-free tools and the template tags `indonesia` and `filters_ui`. No models."""

    name = "core"
    verbose_name = "core"

    def ready(self):
        from django.db.models import CharField

        from core.lookups import AnyOf

        CharField.register_lookup(AnyOf)

        # Files whose transaction did not commit go when the request or the task that wrote them ends.
        from celery.signals import task_postrun
        from django.core.signals import request_finished

        from core.media import discard_uncommitted

        request_finished.connect(discard_uncommitted, dispatch_uid="core.media.request")
        task_postrun.connect(discard_uncommitted, dispatch_uid="core.media.task", weak=False)
