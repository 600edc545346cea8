"""The dashboard and the reports hold no data of their own: each shows what its source pages show, to the
roles that may read those (an Operator Kab/Kota sees their own regency only)."""

ROLE_PERMISSIONS: dict = {}


def can_view_dashboard(user) -> bool:
    return user.is_authenticated and user.has_perm("programs.view_ceiling")


def can_view_reports(user) -> bool:
    return user.is_authenticated and user.has_perm("proposals.view_proposalitem")
