"""Who may see and run Bimtek. Sessions are scoped by regency in the selectors."""

from accounts.roles import Role

_VIEW = ["training.view_trainingsession", "training.view_attendance"]
_RUN = [
    "training.add_trainingsession",
    "training.change_trainingsession",
    "training.add_attendance",
    "training.change_attendance",
]
_MARK = ["training.mark_attendance"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_RUN, *_MARK],
    Role.VERIFIKATOR: [*_VIEW, *_RUN, *_MARK],
    Role.OPERATOR: [*_VIEW, *_MARK],  # their regency's sessions (scoped by sessions_visible_to)
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_training(user) -> bool:
    return user.is_authenticated and user.has_perm("training.view_trainingsession")


def can_run_training(user) -> bool:
    """Create sessions, invite participants and record attendance (Verifikator and Admin Provinsi)."""
    return user.is_authenticated and user.has_perm("training.change_attendance")


def can_mark_attendance(user) -> bool:
    """Tick participants present or absent, at the session or later from a phone (the regency's operator too, in
    the sessions of their regency)."""
    return user.is_authenticated and user.has_perm("training.mark_attendance")
