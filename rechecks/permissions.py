"""Who reads the re-check worklist and who records the field outcome: the regency's officer (their regency only) and
Admin Provinsi; the province's verifiers, leadership and auditors read it."""

from accounts.roles import Role

_VIEW = ["rechecks.view_recheck"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, "rechecks.record_recheck"],
    Role.VERIFIKATOR: _VIEW,
    Role.OPERATOR: [*_VIEW, "rechecks.record_recheck"],
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_rechecks(user) -> bool:
    return user.is_authenticated and user.has_perm("rechecks.view_recheck")


def can_record_rechecks(user) -> bool:
    return user.is_authenticated and user.has_perm("rechecks.record_recheck")
