"""The five roles (docs/architecture.md). Each is a Django group of the same (Indonesian) name.

Which model permissions a role holds is declared by each app in `<app>/permissions.py` as
`ROLE_PERMISSIONS = {Role.X: ["app_label.codename", ...]}` and applied by `sync_role_permissions`
after every migrate (also after a test flush), so the groups always match the code.
"""

from django.db import models


class Role(models.TextChoices):
    ADMIN_PROVINSI = "admin_provinsi", "Admin Provinsi"
    VERIFIKATOR = "verifikator", "Verifikator Provinsi"
    OPERATOR = "operator", "Operator Kab/Kota"
    PIMPINAN = "pimpinan", "Pimpinan"
    AUDITOR = "auditor", "Auditor"


# Roles that see every regency. The Operator Kab/Kota sees only their own regency.
PROVINCIAL_ROLES = frozenset({Role.ADMIN_PROVINSI, Role.VERIFIKATOR, Role.PIMPINAN, Role.AUDITOR})
