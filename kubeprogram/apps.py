from django.apps import AppConfig


class KubeprogramConfig(AppConfig):
    """The roof: settings, URLs, WSGI, the home page, the navbar and `seed_demo`. No models; no app imports it."""

    name = "kubeprogram"
    verbose_name = "kubeprogram"
