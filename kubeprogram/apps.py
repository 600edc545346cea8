from django.apps import AppConfig


class KubeprogramConfig(AppConfig):
    """The project shell: layout, home page, formatting helpers and demo data. No models."""

    name = "kubeprogram"
    verbose_name = "kubeprogram"
