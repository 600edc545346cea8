"""Who may read and import the register. An officer imports their own regency's extract; Admin Provinsi the
province's or any regency's."""

from accounts.roles import Role

_VIEW = ["dtsen.view_snapshot"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, "dtsen.import_snapshot"],
    Role.VERIFIKATOR: _VIEW,
    Role.OPERATOR: [*_VIEW, "dtsen.import_snapshot"],
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_register(user) -> bool:
    return user.is_authenticated and user.has_perm("dtsen.view_snapshot")


def can_import_register(user) -> bool:
    return user.is_authenticated and user.has_perm("dtsen.import_snapshot")
