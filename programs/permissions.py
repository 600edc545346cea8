"""Who may read and change budget years and their ceilings (pagu)."""

from accounts.roles import Role

_VIEW = ["programs.view_budgetyear", "programs.view_businesstype", "programs.view_ceiling"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [
        *_VIEW,
        "programs.add_budgetyear",
        "programs.change_budgetyear",
        "programs.add_businesstype",
        "programs.change_businesstype",
        "programs.add_ceiling",
        "programs.change_ceiling",
    ],
    Role.VERIFIKATOR: _VIEW,
    Role.OPERATOR: _VIEW,
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_budget_years(user) -> bool:
    return user.is_authenticated and user.has_perm("programs.view_budgetyear")


def can_manage_budget_years(user) -> bool:
    return user.is_authenticated and user.has_perm("programs.change_budgetyear")


def can_view_ceilings(user) -> bool:
    return user.is_authenticated and user.has_perm("programs.view_ceiling")


def can_set_ceilings(user) -> bool:
    return user.is_authenticated and user.has_perm("programs.change_ceiling")
