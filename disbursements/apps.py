from django.apps import AppConfig


class DisbursementsConfig(AppConfig):
    name = "disbursements"
    verbose_name = "Barang Bantuan dan Alokasi"
