from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Pengaduan"

    def ready(self):
        from complaints import receivers  # noqa: F401  (connects the signal receivers)
