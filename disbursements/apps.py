from django.apps import AppConfig


class DisbursementsConfig(AppConfig):
    name = "disbursements"
    verbose_name = "Barang Bantuan dan Alokasi"

    def ready(self):
        from django.core import checks

        from disbursements.checks import handed_over_yet_voided

        checks.register(handed_over_yet_voided, checks.Tags.database)
