from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Jejak Audit"

    def ready(self):
        from accounts.signals import user_changed
        from audit.receivers import record_user_change

        user_changed.connect(record_user_change, dispatch_uid="audit.user_changed")
