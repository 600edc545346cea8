"""Who may read and change the registry. Reads are scoped by regency in the selectors."""

from accounts.roles import Role

_VIEW = ["beneficiaries.view_person", "beneficiaries.view_kubegroup", "beneficiaries.view_kubemember"]
_EDIT = [
    "beneficiaries.add_person",
    "beneficiaries.change_person",
    "beneficiaries.add_kubegroup",
    "beneficiaries.change_kubegroup",
    "beneficiaries.add_kubemember",
    "beneficiaries.change_kubemember",
    "beneficiaries.delete_kubemember",
]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_EDIT, "beneficiaries.view_full_nik", "beneficiaries.merge_person"],
    Role.VERIFIKATOR: [*_VIEW, "beneficiaries.view_full_nik", "beneficiaries.merge_person"],
    Role.OPERATOR: [*_VIEW, *_EDIT, "beneficiaries.view_full_nik"],
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_registry(user) -> bool:
    return user.is_authenticated and user.has_perm("beneficiaries.view_person")


def can_edit_registry(user) -> bool:
    """Register and edit people and KUBE groups (of the regencies the user may see)."""
    return user.is_authenticated and user.has_perm("beneficiaries.change_person")


def can_see_full_nik(user) -> bool:
    """Lists always mask the NIK; the detail page shows it whole only to roles that work with it."""
    return user.is_authenticated and user.has_perm("beneficiaries.view_full_nik")


def can_review_duplicates(user) -> bool:
    return user.is_authenticated and user.has_perm("beneficiaries.merge_person")


def can_seed_synthetic(user) -> bool:
    """Synthetic people for a training or test server: Admin Provinsi only, never where real data lives (the
    production settings turn DEMO_DATA_ALLOWED off)."""
    from django.conf import settings

    return user.is_authenticated and user.role == Role.ADMIN_PROVINSI and settings.DEMO_DATA_ALLOWED
