"""Who records, reads and answers a person's requests. The regency's officer records what her counter receives and
reads her regency's; the Petugas Pelindungan Data (Admin Provinsi, Art. 53) answers them and produces the person's
file; the Auditor reads them all."""

from accounts.roles import Role

_VIEW = ["privacy.view_subjectrequest"]
_RECORD = ["privacy.add_subjectrequest"]

_BREACH = ["privacy.view_breach", "privacy.add_breach", "privacy.change_breach"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_RECORD, "privacy.handle_subjectrequest", *_BREACH],
    Role.OPERATOR: [*_VIEW, *_RECORD],
    Role.AUDITOR: [*_VIEW, "privacy.view_breach"],
}


def can_view_requests(user) -> bool:
    return user.is_authenticated and user.has_perm("privacy.view_subjectrequest")


def can_record_requests(user) -> bool:
    return user.is_authenticated and user.has_perm("privacy.add_subjectrequest")


def can_handle_requests(user) -> bool:
    return user.is_authenticated and user.has_perm("privacy.handle_subjectrequest")


def can_handle_breaches(user) -> bool:
    """The breach register: the Petugas Pelindungan Data records and notifies; the Auditor reads."""
    return user.is_authenticated and user.has_perm("privacy.add_breach")


def can_view_breaches(user) -> bool:
    return user.is_authenticated and user.has_perm("privacy.view_breach")
