"""A KUBE role change holds its group (two changes in one group wait for each other, so it never has two chairs),
not its members' registry rows (PostgreSQL, real threads): proposing one of those people meanwhile does not wait."""

import pytest

from beneficiaries.models import MemberRole
from beneficiaries.services import kube_member_change_role
from tests.concurrency import held_open, within
from tests.factories import KubeMemberFactory, ProposalFactory, ProposalItemFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_role_change_holds_its_group_not_its_people():
    member = KubeMemberFactory()
    other = KubeMemberFactory(group=member.group)
    proposal = ProposalFactory()

    with held_open(lambda: kube_member_change_role(member=member, role=MemberRole.CHAIR, actor=None)):
        item = within(3, lambda: ProposalItemFactory(proposal=proposal, person=member.person))
        second = within(1, lambda: kube_member_change_role(member=other, role=MemberRole.TREASURER, actor=None))
    assert getattr(item, "person_id", item) == member.person_id  # the person's row was not held
    assert "lock timeout" in str(second)  # the group's was
