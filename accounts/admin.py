from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "regency", "is_active", "last_login"]
    list_filter = ["groups", "regency", "is_active"]
    list_select_related = ["regency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Penempatan", {"fields": ["regency", "nip", "position"]}),
    ]
