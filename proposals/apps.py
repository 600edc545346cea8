from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Usulan dan Verifikasi"

    def ready(self):
        from django.core import checks

        from proposals import signals  # noqa: F401 — connects the registry's merge signal

        checks.register(xml_defences, checks.Tags.security)
        # Uploaded workbooks are opened by openpyxl (the error workbook): refuse to start without the
        # XML defences rather than parse officers' files unguarded.
        if not _openpyxl_is_defused():
            raise ImproperlyConfigured(DEFUSED_MESSAGE)


DEFUSED_MESSAGE = (
    "defusedxml harus terpasang dan lxml tidak boleh terpasang: openpyxl membaca berkas unggahan dengan "
    "pengurai XML yang dilindungi defusedxml (pip install -r requirements.txt)."
)


def _openpyxl_is_defused() -> bool:
    import openpyxl

    # With lxml present openpyxl parses with lxml instead of defusedxml.
    return bool(openpyxl.DEFUSEDXML) and not bool(openpyxl.LXML)


def xml_defences(app_configs, **kwargs):
    from django.core.checks import Error

    if _openpyxl_is_defused():
        return []
    return [Error(DEFUSED_MESSAGE, id="proposals.E001")]
