from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Pelindungan Data Pribadi (UU 27/2022)"
