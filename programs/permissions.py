"""Who may read and change budget years."""

from accounts.roles import Role

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: ["programs.view_budgetyear", "programs.add_budgetyear", "programs.change_budgetyear"],
    Role.VERIFIKATOR: ["programs.view_budgetyear"],
    Role.OPERATOR: ["programs.view_budgetyear"],
    Role.PIMPINAN: ["programs.view_budgetyear"],
    Role.AUDITOR: ["programs.view_budgetyear"],
}


def can_view_budget_years(user) -> bool:
    return user.is_authenticated and user.has_perm("programs.view_budgetyear")


def can_manage_budget_years(user) -> bool:
    return user.is_authenticated and user.has_perm("programs.change_budgetyear")
