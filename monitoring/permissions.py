"""Who may see and record monitoring visits. Visits are scoped by regency in the selectors: an Operator Kab/Kota
records the visits of their own regency, provincial staff any."""

from accounts.roles import Role

_VIEW = [
    "monitoring.view_visit",
    "monitoring.view_assessment",
    "monitoring.view_graduationcriterion",
    "monitoring.view_verificationsample",
]
_VERIFY = ["monitoring.add_verificationsample", "monitoring.change_verificationresult"]
_RECORD = [
    "monitoring.add_visit",
    "monitoring.change_visit",
    "monitoring.add_assessment",
    "monitoring.change_assessment",
]
_REVIEW = ["monitoring.review_assessment"]
_SETTINGS = ["monitoring.change_graduationcriterion", "monitoring.change_turnoverthreshold"]

ROLE_PERMISSIONS = {
    Role.ADMIN_PROVINSI: [*_VIEW, *_RECORD, *_REVIEW, *_SETTINGS, *_VERIFY],
    Role.VERIFIKATOR: [*_VIEW, *_RECORD, *_REVIEW, *_VERIFY],
    Role.OPERATOR: [*_VIEW, *_RECORD],
    Role.PIMPINAN: _VIEW,
    Role.AUDITOR: _VIEW,
}


def can_view_visits(user) -> bool:
    return user.is_authenticated and user.has_perm("monitoring.view_visit")


def can_record_visits(user) -> bool:
    """Record, edit and void monitoring visits (of the regencies the user sees)."""
    return user.is_authenticated and user.has_perm("monitoring.add_visit")


def can_assess(user) -> bool:
    """Propose graduation assessments (of the regencies the user sees)."""
    return user.is_authenticated and user.has_perm("monitoring.add_assessment")


def can_review_assessments(user) -> bool:
    """Approve or return submitted graduation assessments (Verifikator and Admin Provinsi)."""
    return user.is_authenticated and user.has_perm("monitoring.review_assessment")


def can_set_graduation_criteria(user) -> bool:
    return user.is_authenticated and user.has_perm("monitoring.change_graduationcriterion")


def can_verify(user) -> bool:
    """Draw post-distribution verification samples and record their results (Verifikator and Admin Provinsi)."""
    return user.is_authenticated and user.has_perm("monitoring.add_verificationsample")
