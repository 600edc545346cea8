from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Pemberitahuan"

    def ready(self):
        from notifications import receivers  # noqa: F401  (listens to the audit trail)
