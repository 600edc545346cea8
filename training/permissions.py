"""Who may see and run Bimtek. Sessions are scoped by regency in the selectors."""

from accounts.roles import Role

_VIEW = ["training.view_trainingsession", "training.view_attendance"]
_RUN = [
    "training.add_trainingsession",
    "training.change_trainingsession",
    "training.add_attendance",
    "training.change_attendance",
]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_RUN],
    Role.VERIFIKATOR: [*_VIEW, *_RUN],
    Role.OPERATOR: _VIEW,
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_training(user) -> bool:
    return user.is_authenticated and user.has_perm("training.view_trainingsession")


def can_run_training(user) -> bool:
    """Create sessions, invite participants and record attendance (Verifikator and Admin Provinsi)."""
    return user.is_authenticated and user.has_perm("training.change_attendance")
