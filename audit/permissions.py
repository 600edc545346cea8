"""Who may read the audit log."""

from accounts.roles import Role

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: ["audit.view_auditevent"],
    Role.AUDITOR: ["audit.view_auditevent"],
}


def can_view_audit_log(user) -> bool:
    return user.is_authenticated and user.has_perm("audit.view_auditevent")
