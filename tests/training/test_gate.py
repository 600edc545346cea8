"""The Bimtek gate at its edges: a KUBE passes only when its ketua, sekretaris and bendahara attended."""

import pytest

from beneficiaries.models import MemberRole
from beneficiaries.selectors import group_problems
from tests.factories import KubeGroupFactory, KubeMemberFactory, ProposalFactory, ProposalItemFactory
from tests.factories.training import TrainingSessionFactory
from training.selectors import trained_on, training_gate
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db


def _kube_item(roles):
    group = KubeGroupFactory()
    for role in roles:
        KubeMemberFactory(group=group, role=role)
    proposal = ProposalFactory(program="KUBE")
    return ProposalItemFactory(proposal=proposal, person=None, group=group, status="approved")


def _everyone_attends(item):
    session = TrainingSessionFactory(program="KUBE")
    for attendance in participants_invite(session=session, item_ids=[item.pk], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)


def test_a_kube_without_a_bendahara_never_passes_whoever_attended():
    item = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, *[MemberRole.MEMBER] * 4])
    _everyone_attends(item)
    assert training_gate(item) == ["KUBE ini belum lengkap ketua, sekretaris dan bendaharanya."]
    assert trained_on(item) is None


def test_a_complete_kube_passes_once_its_three_officers_attended():
    item = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER])
    assert len(training_gate(item)) == 3
    _everyone_attends(item)
    assert training_gate(item) == [] and trained_on(item) is not None


@pytest.mark.parametrize(("size", "problem"), [(10, None), (11, "Anggota 11 orang; maksimal 10."), (5, None),
                                               (4, "Anggota baru 4 orang; minimal 5.")])  # fmt: skip
def test_kube_size_at_and_beyond_the_bounds(size, problem):
    roles = [MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER] + [MemberRole.MEMBER] * (size - 3)
    members = [type("M", (), {"role": role})() for role in roles]
    found = group_problems(group=None, members=members, bounds=(5, 10))
    assert found == ([problem] if problem else [])
