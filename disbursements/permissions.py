"""Who may do what with goods, packages and allocations. Reads of allocations are scoped by regency in
the selectors; the catalogue and packages are province-wide reference data that every role may read."""

from accounts.roles import Role

_VIEW = [
    "disbursements.view_goodsitem",
    "disbursements.view_package",
    "disbursements.view_allocation",
    "disbursements.view_handover",
]
_HANDOVER = ["disbursements.add_handover", "disbursements.change_handover", "disbursements.attach_handover"]
_CATALOGUE = [
    "disbursements.add_goodsitem",
    "disbursements.change_goodsitem",
    "disbursements.add_package",
    "disbursements.change_package",
]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [
        *_VIEW,
        *_CATALOGUE,
        *_HANDOVER,
        "disbursements.add_allocation",
        "disbursements.change_allocation",
    ],
    Role.VERIFIKATOR: [*_VIEW, *_HANDOVER],
    Role.OPERATOR: [*_VIEW, "disbursements.attach_handover"],  # their regency's BASTs (handovers_visible_to)
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_catalogue(user) -> bool:
    return user.is_authenticated and user.has_perm("disbursements.view_goodsitem")


def can_manage_catalogue(user) -> bool:
    return user.is_authenticated and user.has_perm("disbursements.change_goodsitem")


def can_view_allocations(user) -> bool:
    return user.is_authenticated and user.has_perm("disbursements.view_allocation")


def can_allocate(user) -> bool:
    """Allocate goods to approved recipients and void allocations (Admin Provinsi)."""
    return user.is_authenticated and user.has_perm("disbursements.add_allocation")


def can_view_handovers(user) -> bool:
    return user.is_authenticated and user.has_perm("disbursements.view_handover")


def can_hand_over(user) -> bool:
    """Record handovers (BAST), attach their photo and scan, void them (Verifikator and Admin Provinsi)."""
    return user.is_authenticated and user.has_perm("disbursements.add_handover")


def can_attach_handover(user) -> bool:
    """Attach a BAST's photo and signed scan, at the handover or later from a phone (the regency's operator too,
    for the BASTs of their regency)."""
    return user.is_authenticated and user.has_perm("disbursements.attach_handover")
