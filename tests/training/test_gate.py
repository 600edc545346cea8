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


# Who must attend, and when the rule holds ------------------------------------------------------------------


def _present(item, person, *, status="present", **session):
    """`person` marked at a session (default: the item's year and program, ending 16 July 2024)."""
    from training.models import Attendance

    session.setdefault("program", item.proposal.program)
    session.setdefault("budget_year", item.proposal.budget_year)
    Attendance.objects.create(session=TrainingSessionFactory(**session), item=item, person=person, status=status)


def _officers(item):
    return {m.role: m.person for m in item.group.members.select_related("person")}


def _wrse_item():
    return ProposalItemFactory(status="approved")


def _row(item):
    """The tuple `attended` takes: (item id, person id, group id, budget year id, program)."""
    return (item.pk, item.person_id, item.group_id, item.proposal.budget_year_id, item.proposal.program)


def test_the_required_people_are_the_woman_or_this_groups_three_officers(django_assert_num_queries):
    from training.selectors import required_people

    wrse = _wrse_item()
    assert required_people(wrse) == {wrse.person_id: wrse.person.full_name}
    kube = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER])
    _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER])  # another group's officers
    officers = _officers(kube)
    with django_assert_num_queries(1):  # the officers with their names, in one query
        required = required_people(kube)
    assert required == {
        officers["ketua"].pk: f"{officers['ketua'].full_name} (ketua)",
        officers["sekretaris"].pk: f"{officers['sekretaris'].full_name} (sekretaris)",
        officers["bendahara"].pk: f"{officers['bendahara'].full_name} (bendahara)",
    }


def test_the_gate_names_each_officer_still_missing():
    item = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER])
    officers = _officers(item)
    _present(item, officers["ketua"])
    _present(item, officers["sekretaris"], status="excused")  # izin is not attendance
    assert training_gate(item) == [
        f"{officers['sekretaris'].full_name} (sekretaris) belum tercatat hadir pada Bimtek.",
        f"{officers['bendahara'].full_name} (bendahara) belum tercatat hadir pada Bimtek.",
    ]
    assert trained_on(item) is None  # two of three are not enough


def test_only_attendance_of_the_items_year_and_program_counts():
    import datetime

    from tests.factories import BudgetYearFactory

    item = _wrse_item()
    _present(item, item.person, program="KUBE")
    _present(item, item.person, budget_year=BudgetYearFactory(year=2023))
    _present(item, item.person, status="absent")
    assert training_gate(item) == [f"{item.person.full_name} belum tercatat hadir pada Bimtek."]
    assert trained_on(item) is None
    _present(item, item.person, start_date=datetime.date(2024, 8, 1), end_date=datetime.date(2024, 8, 3))
    assert training_gate(item) == []
    assert trained_on(item) == datetime.date(2024, 8, 3)


def test_trained_on_is_the_day_the_last_officer_finished_a_first_session():
    import datetime

    item = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER])
    officers = _officers(item)
    day = lambda d: {"start_date": datetime.date(2024, 7, d), "end_date": datetime.date(2024, 7, d)}  # noqa: E731
    _present(item, officers["ketua"], **day(10))
    _present(item, officers["ketua"], **day(25))  # a second session does not move the ketua's first
    _present(item, officers["sekretaris"], **day(12))
    _present(item, officers["bendahara"], **day(20))
    other = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER])
    _present(other, _officers(other)["ketua"], **day(30))  # someone else's later session is not theirs
    assert trained_on(item) == datetime.date(2024, 7, 20)


def test_attended_in_bulk_follows_the_same_rule():
    from tests.factories import BudgetYearFactory
    from training.selectors import attended

    wrse_present, wrse_absent = _wrse_item(), _wrse_item()
    _present(wrse_present, wrse_present.person)
    _present(wrse_absent, wrse_absent.person, status="absent")
    wrse_other_year = _wrse_item()
    _present(wrse_other_year, wrse_other_year.person, budget_year=BudgetYearFactory(year=2023))
    wrse_other_program = _wrse_item()
    _present(wrse_other_program, wrse_other_program.person, program="KUBE")

    complete = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER])
    for person in _officers(complete).values():
        _present(complete, person)
    partial = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER])
    officers = _officers(partial)
    _present(partial, officers["ketua"])
    _present(partial, officers["sekretaris"])
    incomplete = _kube_item([MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER])  # no bendahara
    for person in _officers(incomplete).values():
        _present(incomplete, person)

    no_officers = _kube_item([MemberRole.MEMBER] * 5)  # nobody holds an office: nobody can have attended for it
    _present(no_officers, no_officers.group.members.first().person)

    items = [wrse_present, wrse_absent, wrse_other_year, wrse_other_program, complete, partial, incomplete, no_officers]
    assert attended(_row(i) for i in items) == {wrse_present.pk, complete.pk}
    # the same rule kept by the database on each allocation (disbursements.trained; the dashboard counts with it)
    from disbursements.models import Allocation
    from tests.disbursements.test_trained_mark import _allocate

    for item in items:
        _allocate(item)
    assert set(Allocation.objects.filter(trained=True).values_list("item", flat=True)) == {wrse_present.pk, complete.pk}
    assert attended([]) == set()
