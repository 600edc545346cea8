from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: domain-free tools and the template tags `indonesia` and `filters_ui`. No models."""

    name = "core"
    verbose_name = "core"

    def ready(self):
        from django.db.models import CharField

        from core.lookups import AnyOf

        CharField.register_lookup(AnyOf)
