"""Who may do what with proposals. Reads are scoped by regency in the selectors."""

from accounts.roles import Role
from beneficiaries.permissions import can_see_full_nik
from proposals.models import Proposal

_VIEW = ["proposals.view_proposal", "proposals.view_proposalitem"]
_EDIT = [
    "proposals.add_proposal",
    "proposals.change_proposal",
    "proposals.add_proposalitem",
    "proposals.delete_proposalitem",
]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_EDIT, "proposals.decide_proposalitem"],
    Role.VERIFIKATOR: [*_VIEW, "proposals.decide_proposalitem"],
    Role.OPERATOR: [*_VIEW, *_EDIT],
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_proposals(user) -> bool:
    return user.is_authenticated and user.has_perm("proposals.view_proposal")


def can_prepare_proposals(user) -> bool:
    """Build, upload and submit a regency's proposals (Operator Kab/Kota; Admin Provinsi on their behalf)."""
    return user.is_authenticated and user.has_perm("proposals.change_proposal")


def can_edit_proposal(user, proposal: Proposal) -> bool:
    return can_prepare_proposals(user) and proposal.status == Proposal.Status.DRAFT


def can_verify(user) -> bool:
    return user.is_authenticated and user.has_perm("proposals.decide_proposalitem")


def can_decide(user, proposal: Proposal) -> bool:
    return can_verify(user) and proposal.status in (Proposal.Status.SUBMITTED, Proposal.Status.IN_REVIEW)


def can_download_upload(user) -> bool:
    """An uploaded workbook holds whole NIKs and KKs: only the roles that work with them (the regency's Operator,
    Verifikator and Admin Provinsi) may take it back, never Pimpinan or Auditor (UU 27/2022)."""
    return can_see_full_nik(user)
