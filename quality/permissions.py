"""Who sees the scorecard (every role, each within its regencies) and who sets its thresholds (Admin Provinsi)."""

from accounts.roles import Role

ROLE_PERMISSIONS = {Role.ADMIN_PROVINSI: ["quality.view_threshold", "quality.change_threshold"]}


def can_view_scorecard(user) -> bool:
    return user.is_authenticated and (user.is_provincial or bool(user.regency_id))


def can_edit_thresholds(user) -> bool:
    return user.is_authenticated and user.has_perm("quality.change_threshold")
