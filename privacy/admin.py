from django.contrib import admin

from privacy.models import ProcessingActivity


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    """The record of processing, kept current by the Petugas Pelindungan Data."""

    list_display = ["order", "name", "legal_basis", "retention"]
    list_display_links = ["name"]
