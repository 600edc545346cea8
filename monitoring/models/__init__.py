"""The models of monitoring, one module per use case: visits, graduation, post-distribution verification. Every
model and choice is importable from here (monitoring.models.Visit); the choices live in monitoring.choices."""

from monitoring.choices import (
    FINDING_CONDITIONS,
    KEPT_CONDITIONS,
    RUNNING_STATUSES,
    BusinessStatus,
    GoodsCondition,
    KubeStage,
    Measure,
    Recommendation,
)
from monitoring.models.graduation import (
    VISIT_MEASURES,
    Assessment,
    AssessmentQuerySet,
    GraduationCriterion,
    TurnoverThreshold,
)
from monitoring.models.verification import (
    DISCREPANCIES,
    Outcome,
    SampleMethod,
    UnitFinding,
    VerificationResult,
    VerificationSample,
)
from monitoring.models.visits import (
    GOODS_COUNT_FIELDS,
    KUBE_STAGE_HELP,
    MONEY,
    Visit,
    VisitGoods,
    VisitMode,
    VisitPhoto,
    VisitQuerySet,
    VisitTally,
)

__all__ = [
    "VisitMode",
    "BusinessStatus",
    "GoodsCondition",
    "KubeStage",
    "VisitQuerySet",
    "VisitTally",
    "Visit",
    "VisitGoods",
    "VisitPhoto",
    "MONEY",
    "RUNNING_STATUSES",
    "GOODS_COUNT_FIELDS",
    "FINDING_CONDITIONS",
    "KEPT_CONDITIONS",
    "KUBE_STAGE_HELP",
    "Measure",
    "GraduationCriterion",
    "TurnoverThreshold",
    "Recommendation",
    "AssessmentQuerySet",
    "Assessment",
    "VISIT_MEASURES",
    "SampleMethod",
    "VerificationSample",
    "Outcome",
    "UnitFinding",
    "VerificationResult",
    "DISCREPANCIES",
]
