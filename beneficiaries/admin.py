from django.contrib import admin

from beneficiaries.models import DuplicateDismissal, KubeGroup, KubeMember, Person


class ReadOnlyAdmin(admin.ModelAdmin):
    """Registry changes go through the pages (services: checks and audit); the admin only shows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "nik", "sex", "birth_date", "village", "regency", "desil"]
    list_filter = ["regency", "sex", "desil"]
    list_select_related = ["village", "regency"]
    search_fields = ["full_name", "=nik"]


class KubeMemberInline(admin.TabularInline):
    model = KubeMember
    fields = ["person", "role"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KubeGroup)
class KubeGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "business_type", "village", "regency", "is_active"]
    list_filter = ["regency", "is_active"]
    list_select_related = ["business_type", "village", "regency"]
    search_fields = ["name"]
    inlines = [KubeMemberInline]


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(ReadOnlyAdmin):
    list_display = ["person_low", "person_high", "dismissed_by", "dismissed_at"]
