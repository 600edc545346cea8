from tests.factories.beneficiaries import KubeGroupFactory, KubeMemberFactory, PersonFactory
from tests.factories.disbursements import ApprovedItemFactory, GoodsItemFactory, HandoverFactory, PackageFactory
from tests.factories.programs import BudgetYearFactory, CeilingFactory
from tests.factories.proposals import ProposalFactory, ProposalItemFactory, UploadFactory
from tests.factories.training import TrainingSessionFactory
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
    "ApprovedItemFactory",
    "CeilingFactory",
    "GoodsItemFactory",
    "HandoverFactory",
    "TrainingSessionFactory",
    "PackageFactory",
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
