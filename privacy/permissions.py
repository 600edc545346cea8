"""Who records, reads and answers a person's requests. The regency's officer records what her counter receives and
reads her regency's; the Petugas Pelindungan Data (Admin Provinsi, Art. 53) answers them and produces the person's
file; the Auditor reads them all."""

from accounts.roles import Role

_VIEW = ["privacy.view_subjectrequest"]
_RECORD = ["privacy.add_subjectrequest"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_RECORD, "privacy.handle_subjectrequest"],
    Role.OPERATOR: [*_VIEW, *_RECORD],
    Role.AUDITOR: _VIEW,
}


def can_view_requests(user) -> bool:
    return user.is_authenticated and user.has_perm("privacy.view_subjectrequest")


def can_record_requests(user) -> bool:
    return user.is_authenticated and user.has_perm("privacy.add_subjectrequest")


def can_handle_requests(user) -> bool:
    return user.is_authenticated and user.has_perm("privacy.handle_subjectrequest")
