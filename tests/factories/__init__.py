from tests.factories.beneficiaries import KubeGroupFactory, KubeMemberFactory, PersonFactory
from tests.factories.programs import BudgetYearFactory
from tests.factories.proposals import ProposalFactory, ProposalItemFactory, UploadFactory
from tests.factories.users import (
    PASSWORD,
    AdminProvinsiFactory,
    AuditorFactory,
    OperatorFactory,
    PimpinanFactory,
    UserFactory,
    VerifikatorFactory,
    factory_for_role,
)

__all__ = [
    "PASSWORD",
    "AdminProvinsiFactory",
    "AuditorFactory",
    "BudgetYearFactory",
    "KubeGroupFactory",
    "KubeMemberFactory",
    "PersonFactory",
    "ProposalFactory",
    "ProposalItemFactory",
    "UploadFactory",
    "OperatorFactory",
    "PimpinanFactory",
    "UserFactory",
    "VerifikatorFactory",
    "factory_for_role",
]
