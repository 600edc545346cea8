from django.contrib import admin
from django.forms.models import model_to_dict

from programs import services
from programs.models import BudgetYear, BusinessType


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = ["year", "total_ceiling", "funding_source", "status"]
    list_filter = ["status"]

    def save_model(self, request, obj, form, change):
        # Through the services, so an edit in the admin is audited like one on the pages.
        data = {name: form.cleaned_data[name] for name in form.changed_data} if change else model_to_dict(obj)
        data.pop("id", None)
        if change:
            updated = services.budget_year_update(budget_year=obj, data=data, actor=request.user)
        else:
            updated = services.budget_year_create(data=data, actor=request.user)
        obj.pk = updated.pk

    def has_delete_permission(self, request, obj=None):
        return False  # later years' ceilings and allocations hang on a budget year


@admin.register(BusinessType)
class BusinessTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # groups and packages refer to it; deactivate instead
