"""Who may read and change budget years."""

from accounts.roles import Role

_VIEW = ["programs.view_budgetyear", "programs.view_businesstype"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [
        *_VIEW,
        "programs.add_budgetyear",
        "programs.change_budgetyear",
        "programs.add_businesstype",
        "programs.change_businesstype",
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
