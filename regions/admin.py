from django.contrib import admin

from regions.models import District, Regency, Village


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "bps_code", "name", "kind", "population_total"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False  # reference data comes from regions/data/, not from hand entry

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(District)
class DistrictAdmin(RegencyAdmin):
    list_display = ["code", "name", "regency"]
    list_filter = ["regency"]
    list_select_related = ["regency"]


@admin.register(Village)
class VillageAdmin(RegencyAdmin):
    list_display = ["code", "name", "kind", "district"]
    list_filter = ["kind"]
    list_select_related = ["district"]
