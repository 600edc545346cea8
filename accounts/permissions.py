"""Who may do what with user accounts, and the model permissions each role holds for them."""

from accounts.roles import Role

# Everyone reads the reference regions (regions sits above accounts, so its grants live here).
_REGIONS_VIEW = ["regions.view_regency", "regions.view_district", "regions.view_village"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [
        *_REGIONS_VIEW,
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
    ],
    Role.VERIFIKATOR: _REGIONS_VIEW,
    Role.OPERATOR: _REGIONS_VIEW,
    Role.PIMPINAN: _REGIONS_VIEW,
    Role.AUDITOR: [*_REGIONS_VIEW, "accounts.view_user", "auth.view_group"],
}


def has_role(user, *roles: Role) -> bool:
    """True when the (logged-in) user holds one of `roles`."""
    return bool(user.is_authenticated and user.role in roles)


def can_manage_users(user) -> bool:
    """Create accounts, change their role, deactivate, reset passwords, end lockouts: Admin Provinsi."""
    return user.is_authenticated and user.has_perm("accounts.change_user")
