"""Who may see and record monitoring visits. Visits are scoped by regency in the selectors: an Operator Kab/Kota
records the visits of their own regency, provincial staff any."""

from accounts.roles import Role

_VIEW = ["monitoring.view_visit"]
_RECORD = ["monitoring.add_visit", "monitoring.change_visit"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_RECORD],
    Role.VERIFIKATOR: [*_VIEW, *_RECORD],
    Role.OPERATOR: [*_VIEW, *_RECORD],
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_visits(user) -> bool:
    return user.is_authenticated and user.has_perm("monitoring.view_visit")


def can_record_visits(user) -> bool:
    """Record, edit and void monitoring visits (of the regencies the user sees)."""
    return user.is_authenticated and user.has_perm("monitoring.add_visit")
