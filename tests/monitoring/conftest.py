import datetime

import pytest

from beneficiaries.models import MemberRole
from disbursements.models import Handover
from disbursements.services import allocations_create, package_lines
from tests.factories import (
    ApprovedItemFactory,
    CeilingFactory,
    KubeGroupFactory,
    KubeMemberFactory,
    PackageFactory,
    ProposalFactory,
    TrainingSessionFactory,
)
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite


def deliver(item, *, program="WRSE", handed_over_on=None, regency=None):
    """A BAST for `item` through the services (Bimtek attended first); its date moved to `handed_over_on`."""
    regency = regency or item.proposal.regency
    CeilingFactory(regency=regency, program=program)
    session = TrainingSessionFactory(program=program, regency=regency)
    for attendance in participants_invite(session=session, item_ids=[item.pk], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    [allocation] = allocations_create(
        item_ids=[item.pk], lines=package_lines(PackageFactory(program=program)), actor=None
    )
    handover = _handover(allocation)
    if handed_over_on:
        Handover.objects.filter(pk=handover.pk).update(handed_over_on=handed_over_on)
        handover.refresh_from_db()
    return handover


def kube_item(regency=None):
    group = KubeGroupFactory(**({"regency": regency} if regency else {}))
    for role in (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER, MemberRole.MEMBER):
        KubeMemberFactory(group=group, role=role)
    proposal = ProposalFactory(program="KUBE", **({"regency": regency} if regency else {}))
    return ApprovedItemFactory(proposal=proposal, person=None, group=group)


@pytest.fixture
def delivered():
    """A WRSE BAST handed over on 10 January 2025 (its 3-, 6- and 12-month visits: April, July 2025, January 2026)."""
    return deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))


@pytest.fixture
def kube_delivered():
    return deliver(kube_item(), program="KUBE", handed_over_on=datetime.date(2025, 1, 10))


@pytest.fixture
def graduating(delivered):
    """The delivered WRSE BAST visited at 3, 6 and 12 months, doing well, with Samarinda's turnover threshold."""
    from decimal import Decimal

    from monitoring.models import TurnoverThreshold
    from tests.monitoring.test_graduation import _visited

    TurnoverThreshold.objects.create(budget_year=delivered.budget_year, regency_id="64.72", amount=Decimal(2_000_000))
    _visited(delivered, 3, 6, 12)
    return delivered
