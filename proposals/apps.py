from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Usulan dan Verifikasi"

    def ready(self):
        from proposals import signals  # noqa: F401 — connects the registry's merge signal
