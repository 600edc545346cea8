"""Who may see and handle complaints. Scoped by regency in the selectors; a sensitive complaint (extortion, or
marked so) is seen only by the Admin Provinsi and the Auditor, never by the regency named in it."""

from accounts.roles import Role

_VIEW = ["complaints.view_complaint"]
_HANDLE = ["complaints.add_complaint", "complaints.change_complaint"]
_SENSITIVE = ["complaints.view_sensitive_complaint"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_HANDLE, *_SENSITIVE],
    Role.VERIFIKATOR: [*_VIEW, *_HANDLE],
    Role.OPERATOR: [*_VIEW, *_HANDLE],
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: [*_VIEW, *_SENSITIVE],
}


def can_view_complaints(user) -> bool:
    return user.is_authenticated and user.has_perm("complaints.view_complaint")


def can_handle_complaints(user) -> bool:
    """Record complaints and take them through their steps (in the regencies the user sees)."""
    return user.is_authenticated and user.has_perm("complaints.change_complaint")


def can_see_sensitive(user) -> bool:
    return user.is_authenticated and user.has_perm("complaints.view_sensitive_complaint")
