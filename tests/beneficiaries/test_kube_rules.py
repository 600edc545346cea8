"""The KUBE composition rule at its edges: the year's size bounds, exactly one of each officer, and the
membership services that keep a saved group within them."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from beneficiaries import services
from beneficiaries.models import KubeGroup, KubeMember, MemberRole
from beneficiaries.selectors import group_problems
from tests.factories import (
    BudgetYearFactory,
    KubeGroupFactory,
    KubeMemberFactory,
    OperatorFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

OFFICERS = ["ketua", "sekretaris", "bendahara"]


def _members(*roles):
    """Members of a group in an uploaded workbook: only their role is known."""
    return [SimpleNamespace(role=role) for role in roles]


def _unsaved_group():
    return KubeGroup(name="KUBE dari berkas")


@pytest.mark.parametrize(
    ("size", "problems"),
    [
        (4, ["Anggota baru 4 orang; minimal 5."]),
        (5, []),
        (10, []),
        (11, ["Anggota 11 orang; maksimal 10."]),
    ],
)
def test_size_at_and_beyond_the_bounds(size, problems):
    members = _members(*OFFICERS, *["anggota"] * (size - 3))
    assert group_problems(group=_unsaved_group(), members=members, bounds=(5, 10)) == problems


@pytest.mark.parametrize(
    ("roles", "problems"),
    [
        (["ketua", "ketua", "sekretaris", "bendahara", "anggota"], ["Ada 2 ketua; harus tepat satu."]),
        (["ketua", "sekretaris", "sekretaris", "sekretaris", "bendahara"], ["Ada 3 sekretaris; harus tepat satu."]),
        (["ketua", "sekretaris", "anggota", "anggota", "anggota"], ["Belum ada bendahara."]),
        (["anggota"] * 5, ["Belum ada ketua.", "Belum ada sekretaris.", "Belum ada bendahara."]),
    ],
)
def test_exactly_one_of_each_officer(roles, problems):
    assert group_problems(group=_unsaved_group(), members=_members(*roles), bounds=(5, 10)) == problems


def test_the_members_given_are_judged_not_the_saved_ones():
    """An uploaded workbook's members are judged as written, even when the group exists with other members."""
    saved = KubeMemberFactory(role=MemberRole.CHAIR).group
    assert group_problems(group=saved, members=_members(*OFFICERS, "anggota", "anggota"), bounds=(5, 10)) == []


def test_the_current_years_bounds_apply_by_default():
    BudgetYearFactory(kube_min_members=3, kube_max_members=4)
    group = KubeGroupFactory()
    for role in OFFICERS:
        KubeMemberFactory(group=group, role=role)
    assert group_problems(group=group) == []
    KubeMemberFactory(group=group)
    KubeMemberFactory(group=group)
    assert group_problems(group=group) == ["Anggota 5 orang; maksimal 4."]


def test_adding_up_to_the_maximum_and_not_beyond():
    BudgetYearFactory(kube_min_members=3, kube_max_members=4)
    group = KubeGroupFactory()
    operator = OperatorFactory()
    for _ in range(4):
        services.kube_member_add(group=group, person=PersonFactory(), role="anggota", actor=operator)
    assert group.members.count() == 4
    with pytest.raises(ValidationError) as refused:
        services.kube_member_add(group=group, person=PersonFactory(), role="anggota", actor=operator)
    assert refused.value.messages == ["Kelompok sudah berisi 4 anggota (batas maksimum)."]


def test_an_inactive_group_takes_no_members():
    group = KubeGroupFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.kube_member_add(group=group, person=PersonFactory(), role="anggota", actor=OperatorFactory())
    assert refused.value.messages == ["Kelompok ini tidak aktif."]
    assert not KubeMember.objects.exists()


def test_a_merged_person_cannot_join():
    survivor = PersonFactory()
    merged = PersonFactory(merged_into=survivor)
    with pytest.raises(ValidationError) as refused:
        services.kube_member_add(group=KubeGroupFactory(), person=merged, role="anggota", actor=OperatorFactory())
    assert refused.value.messages == ["Data penduduk ini sudah digabungkan ke data lain."]


def test_an_added_member_is_audited_with_its_role():
    group = KubeGroupFactory()
    person = PersonFactory()
    member = services.kube_member_add(group=group, person=person, role="bendahara", actor=(actor := OperatorFactory()))
    assert (member.group, member.person, member.role, member.group_active) == (group, person, "bendahara", True)
    event = AuditEvent.objects.get(action="kube_member.add")
    assert (event.actor, event.object_id, event.regency_id) == (actor, str(member.pk), group.regency_id)
    assert event.after["role"] == "bendahara" and event.after["nik"] == person.nik


def test_changing_to_the_same_role_changes_nothing():
    member = KubeMemberFactory(role=MemberRole.CHAIR)
    services.kube_member_change_role(member=member, role=MemberRole.CHAIR, actor=OperatorFactory())
    assert not AuditEvent.objects.exists()


def test_an_unknown_role_is_refused():
    member = KubeMemberFactory()
    with pytest.raises(ValidationError) as refused:
        services.kube_member_change_role(member=member, role="bupati", actor=OperatorFactory())
    assert refused.value.messages == ["Jabatan tidak dikenal."]


def test_an_officer_role_nobody_holds_is_simply_given():
    member = KubeMemberFactory()
    services.kube_member_change_role(member=member, role=MemberRole.TREASURER, actor=OperatorFactory())
    member.refresh_from_db()
    assert member.role == MemberRole.TREASURER
    event = AuditEvent.objects.get(action="kube_member.change_role")
    assert (event.before["role"], event.after["role"]) == ("anggota", "bendahara")


def test_the_swapped_officer_takes_the_former_role_audited():
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    member = KubeMemberFactory(group=chair.group)
    services.kube_member_change_role(member=member, role=MemberRole.CHAIR, actor=OperatorFactory())
    chair.refresh_from_db()
    assert chair.role == MemberRole.MEMBER
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="kube_member.change_role")}
    assert (events[str(chair.pk)].before["role"], events[str(chair.pk)].after["role"]) == ("ketua", "anggota")
    assert (events[str(member.pk)].before["role"], events[str(member.pk)].after["role"]) == ("anggota", "ketua")


def test_an_officer_role_already_held_is_refused_with_what_to_do():
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    with pytest.raises(ValidationError) as refused:
        services.kube_member_add(group=chair.group, person=PersonFactory(), role="ketua", actor=OperatorFactory())
    assert refused.value.messages == [
        f"Jabatan ketua sudah dipegang {chair.person.full_name}. Tambahkan sebagai anggota, lalu ubah jabatannya."
    ]


def test_a_concurrent_add_is_refused_with_a_reload_hint():
    from unittest import mock

    from django.db import IntegrityError

    group, person = KubeGroupFactory(), PersonFactory()
    with (
        mock.patch.object(KubeMember.objects, "create", side_effect=IntegrityError),
        pytest.raises(ValidationError) as e,
    ):
        services.kube_member_add(group=group, person=person, role="anggota", actor=OperatorFactory())
    assert e.value.messages == [f"{person.full_name} tidak dapat ditambahkan: data berubah, muat ulang halaman."]


def test_another_regencys_operator_cannot_change_or_remove_members(balikpapan):
    member = KubeMemberFactory()
    outsider = OperatorFactory(regency=balikpapan)
    with pytest.raises(ValidationError, match="di luar wilayah kerja Anda"):
        services.kube_member_change_role(member=member, role=MemberRole.CHAIR, actor=outsider)
    with pytest.raises(ValidationError, match="di luar wilayah kerja Anda"):
        services.kube_member_remove(member=member, actor=outsider)
    member.refresh_from_db()
    assert member.role == MemberRole.MEMBER and not AuditEvent.objects.exists()


def test_membership_events_carry_the_actor_and_the_groups_regency(django_assert_num_queries):
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    member = KubeMemberFactory(group=chair.group)
    actor = OperatorFactory()
    actor.has_perm("x")  # load the permissions cache outside the counted block
    services.kube_member_change_role(member=member, role=MemberRole.CHAIR, actor=actor)
    events = list(AuditEvent.objects.filter(action="kube_member.change_role"))
    assert len(events) == 2
    assert {(e.actor, e.regency_id) for e in events} == {(actor, chair.group.regency_id)}
    leaving = KubeMemberFactory(group=chair.group)
    with django_assert_num_queries(7):  # savepoint, lock with group and person, village, scope, event, delete, release
        services.kube_member_remove(member=leaving, actor=actor)
    removed = AuditEvent.objects.get(action="kube_member.remove")
    assert (removed.actor, removed.regency_id) == (actor, chair.group.regency_id)


def test_adding_and_swapping_take_a_fixed_number_of_queries(django_assert_num_queries):
    """The refusal texts name the other group and the holder: read with the member, not one query each."""
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    elsewhere = KubeMemberFactory()
    actor = OperatorFactory()
    with (
        django_assert_num_queries(8),
        pytest.raises(ValidationError),
    ):  # lock, scope, existing membership with its group
        services.kube_member_add(group=chair.group, person=elsewhere.person, role="anggota", actor=actor)
    with django_assert_num_queries(15), pytest.raises(ValidationError):  # … the year's size, count, holder with name
        services.kube_member_add(group=chair.group, person=PersonFactory(), role="ketua", actor=actor)
    member = KubeMemberFactory(group=chair.group)
    with django_assert_num_queries(11):
        services.kube_member_change_role(member=member, role=MemberRole.CHAIR, actor=actor)
