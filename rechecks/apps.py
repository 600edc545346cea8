from django.apps import AppConfig


class RechecksConfig(AppConfig):
    name = "rechecks"
    verbose_name = "Verifikasi lapangan DTSEN"
