"""The "trained" mark of an allocation (disbursements.trained), kept by the database, says what the Bimtek rule
(training.selectors.attended) says — after every kind of write that can change it: attendance marked, corrected,
applied from a sheet, deleted, bulk-updated in SQL; KUBE officers added, removed, demoted, promoted; people merged;
a session moved to another year or program; an item given another person; an allocation made after the training."""

import pytest
from django.db import connection

from beneficiaries.models import MemberRole
from beneficiaries.services import kube_member_add, kube_member_change_role, kube_member_remove, person_merge
from disbursements.models import Allocation
from tests.factories import BudgetYearFactory, CeilingFactory, PersonFactory, ProposalItemFactory
from tests.factories.training import TrainingSessionFactory
from tests.training.test_gate import _kube_item
from training.models import Attendance
from training.selectors import attended
from training.services import attendance_apply, attendance_mark, participants_invite

pytestmark = pytest.mark.django_db


def _allocate(item) -> Allocation:
    proposal = item.proposal
    ceiling = CeilingFactory(budget_year=proposal.budget_year, regency=proposal.regency, program=proposal.program)
    return Allocation.objects.create(item=item, ceiling=ceiling, budget_year=proposal.budget_year,
                                     regency=proposal.regency, program=proposal.program, total=0)  # fmt: skip


def _agrees() -> dict[int, bool]:
    """{allocation: mark} after checking that every mark is what the rule says."""
    allocations = list(Allocation.objects.select_related("item__proposal"))
    rows = [(a.item_id, a.item.person_id, a.item.group_id, a.budget_year_id, a.program) for a in allocations]
    done = attended(rows)
    marks = {a.pk: a.trained for a in allocations}
    assert marks == {a.pk: a.item_id in done for a in allocations}
    return marks


def test_the_mark_follows_a_womans_attendance_through_every_write():
    item = ProposalItemFactory(status="approved")
    allocation = _allocate(item)
    session = TrainingSessionFactory(program="WRSE", budget_year=item.proposal.budget_year)
    [attendance] = participants_invite(session=session, item_ids=[item.pk], actor=None)
    assert _agrees() == {allocation.pk: False}
    attendance_mark(attendance=attendance, status="present", actor=None)
    assert _agrees() == {allocation.pk: True}
    attendance_mark(attendance=attendance, status="absent", actor=None)  # a correction
    assert _agrees() == {allocation.pk: False}
    attendance_apply(session=session, statuses={attendance.pk: "present"}, actor=None)  # the uploaded sheet
    assert _agrees() == {allocation.pk: True}
    with connection.cursor() as cursor:  # a writer outside the ORM
        cursor.execute("UPDATE training_attendance SET status = 'excused' WHERE id = %s", [attendance.pk])
    assert _agrees() == {allocation.pk: False}
    Attendance.objects.filter(pk=attendance.pk).update(status="present")
    assert _agrees() == {allocation.pk: True}
    other_year = BudgetYearFactory(year=item.proposal.budget_year.year + 1)
    type(session).objects.filter(pk=session.pk).update(budget_year=other_year)  # the session moved: not this year's
    assert _agrees() == {allocation.pk: False}
    type(session).objects.filter(pk=session.pk).update(budget_year=item.proposal.budget_year, program="KUBE")
    assert _agrees() == {allocation.pk: False}
    type(session).objects.filter(pk=session.pk).update(program="WRSE")
    assert _agrees() == {allocation.pk: True}
    Attendance.objects.filter(pk=attendance.pk).delete()
    assert _agrees() == {allocation.pk: False}


def test_a_merge_an_item_changed_and_an_allocation_made_after_the_training():
    item = ProposalItemFactory(status="approved")
    twin, duplicate = (PersonFactory(regency=item.person.regency) for _ in range(2))
    session = TrainingSessionFactory(program="WRSE", budget_year=item.proposal.budget_year)
    [attendance] = participants_invite(session=session, item_ids=[item.pk], actor=None)
    attendance_mark(attendance=attendance, status="present", actor=None)
    allocation = _allocate(item)  # made after she attended: marked on insert
    assert _agrees() == {allocation.pk: True}
    type(item).objects.filter(pk=item.pk).update(person=twin)  # the item now names someone who did not attend
    assert _agrees() == {allocation.pk: False}
    Attendance.objects.create(session=session, item=item, person=duplicate, status="present")
    assert _agrees() == {allocation.pk: False}
    person_merge(keep=twin, duplicate=duplicate, actor=None)  # a merge moves memberships, not attendances
    assert _agrees() == {allocation.pk: False}
    type(item).objects.filter(pk=item.pk).update(person=duplicate)
    assert _agrees() == {allocation.pk: True}


def test_the_mark_of_a_kube_follows_its_three_officers():
    item = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER,
                       MemberRole.MEMBER])  # fmt: skip
    allocation = _allocate(item)
    session = TrainingSessionFactory(program="KUBE", budget_year=item.proposal.budget_year)
    invited = {a.person_id: a for a in participants_invite(session=session, item_ids=[item.pk], actor=None)}
    members = {m.role: m for m in item.group.members.select_related("person") if m.role != MemberRole.MEMBER}
    plain = item.group.members.filter(role=MemberRole.MEMBER).first()
    for role in (MemberRole.CHAIR, MemberRole.SECRETARY):
        attendance_mark(attendance=invited[members[role].person_id], status="present", actor=None)
    attendance_mark(attendance=invited[plain.person_id], status="present", actor=None)
    assert _agrees() == {allocation.pk: False}  # the bendahara has not come
    attendance_mark(attendance=invited[members[MemberRole.TREASURER].person_id], status="present", actor=None)
    assert _agrees() == {allocation.pk: True}
    kube_member_change_role(member=members[MemberRole.TREASURER], role=MemberRole.MEMBER, actor=None)
    assert _agrees() == {allocation.pk: False}  # no bendahara
    kube_member_change_role(member=plain, role=MemberRole.TREASURER, actor=None)  # one who attended
    assert _agrees() == {allocation.pk: True}
    kube_member_remove(member=members[MemberRole.CHAIR], actor=None)
    assert _agrees() == {allocation.pk: False}
    newcomer = PersonFactory(regency=item.group.regency, village=item.group.village)
    kube_member_add(group=item.group, person=newcomer, role=MemberRole.CHAIR, actor=None)
    assert _agrees() == {allocation.pk: False}  # the new ketua has not attended
    Attendance.objects.create(session=session, item=item, person=newcomer, status="present")
    assert _agrees() == {allocation.pk: True}
    kept = PersonFactory(regency=item.group.regency, village=item.group.village)
    person_merge(keep=kept, duplicate=newcomer, actor=None)  # the ketua's membership moves to a record not trained
    assert _agrees() == {allocation.pk: False}
