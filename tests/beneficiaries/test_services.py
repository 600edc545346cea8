import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from beneficiaries import duplicates, services
from beneficiaries.identity import make_nik
from beneficiaries.models import KubeMember, MemberRole, Person
from beneficiaries.selectors import group_problems, possible_duplicates
from programs.models import BusinessType
from regions.models import Village
from tests.factories import (
    AdminProvinsiFactory,
    BudgetYearFactory,
    KubeGroupFactory,
    KubeMemberFactory,
    OperatorFactory,
    PersonFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db


def _data(village, **changes):
    born = changes.pop("birth_date", datetime.date(1982, 3, 14))
    sex = changes.pop("sex", "P")
    data = {
        "nik": make_nik(village.district_id.replace(".", ""), born, sex, 11),
        "kk_number": "6472030101200001",
        "full_name": "Sitti Rahmah",
        "sex": sex,
        "birth_place": "Samarinda",
        "birth_date": born,
        "marital_status": "cerai_mati",
        "address": "Jl. Kenanga No. 4",
        "rt": "004",
        "rw": "002",
        "village": village,
        "phone": "+62 812 5555 1234",
        "dtks_id": "DTKS123",
        "desil": 1,
    }
    data.update(changes)
    return data


@pytest.fixture
def village(samarinda):
    return Village.objects.filter(district__regency=samarinda).order_by("code").first()


def test_register_a_person(village):
    operator = OperatorFactory()
    person = services.person_create(data=_data(village), actor=operator)
    assert person.regency_id == "64.72" and person.district_id == village.district_id
    assert person.phone == "081255551234"
    assert person.created_by == operator
    event = AuditEvent.objects.get(action="person.create")
    assert event.actor == operator and event.regency_id == "64.72" and event.after["nik"] == person.nik


def test_errors_are_per_field_and_in_indonesian(village):
    data = _data(village, phone="12")  # the NIK is a woman's
    data["sex"] = "L"
    with pytest.raises(ValidationError) as error:
        services.person_create(data=data, actor=OperatorFactory())
    errors = error.value.message_dict
    assert errors["sex"] == ["Jenis kelamin tidak sesuai NIK: NIK ini milik seorang perempuan."]
    assert errors["phone"] == ["Nomor HP tidak valid: tulis seperti 081234567890 atau +6281234567890."]
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_each_problem_is_reported(village):
    data = _data(village, kk_number="12345")
    data["birth_date"] = datetime.date(1982, 3, 15)
    with pytest.raises(ValidationError) as error:
        services.person_create(data=data, actor=OperatorFactory())
    errors = error.value.message_dict
    assert errors["birth_date"] == ["Tanggal lahir tidak sesuai NIK: NIK menunjukkan 14-03-..82."]
    assert errors["kk_number"] == ["No. KK harus 16 digit (tertulis 5 digit)."]


def test_nik_registered_elsewhere_is_refused_without_saying_where(village, balikpapan):
    other = PersonFactory(regency=balikpapan)
    with pytest.raises(ValidationError) as error:
        services.person_create(
            data=_data(village, nik=other.nik, sex=other.sex, birth_date=other.birth_date), actor=OperatorFactory()
        )
    message = error.value.message_dict["nik"][0]
    assert "sudah terdaftar" in message and "Balikpapan" not in message


def test_unique_nik_is_a_database_constraint():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(nik=person.nik)


@pytest.mark.parametrize("field", ["district", "regency"])
def test_the_database_holds_a_persons_district_and_regency_to_their_village(balikpapan, field):
    """They are copies of the village's (no foreign key of their own, docs/decisions/0011): a district or regency
    that exists but is not the village's is refused, by any writer."""
    person = PersonFactory()
    elsewhere = Village.objects.filter(district__regency=balikpapan).first()
    wrong = {"district": elsewhere.district_id, "regency": balikpapan.pk}[field]
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(**{f"{field}_id": wrong})
    Person.objects.filter(pk=person.pk).update(  # all three moved together stay right
        village=elsewhere, district=elsewhere.district_id, regency=balikpapan.pk
    )
    assert Person.objects.get(pk=person.pk).regency_id == balikpapan.pk


def test_operator_cannot_register_in_another_regency(balikpapan):
    village = Village.objects.filter(district__regency=balikpapan).first()
    with pytest.raises(ValidationError) as error:
        services.person_create(data=_data(village), actor=OperatorFactory())
    assert "di luar wilayah kerja Anda" in error.value.message_dict["village"][0]
    assert services.person_create(data=_data(village), actor=AdminProvinsiFactory()).regency == balikpapan


def test_update_is_audited_with_before_and_after(village):
    operator = OperatorFactory()
    person = services.person_create(data=_data(village), actor=operator)
    services.person_update(person=person, data={"desil": 2, "phone": "0812 5555 1234"}, actor=operator)
    event = AuditEvent.objects.get(action="person.update")
    assert event.changed_fields == [("desil", 1, 2)]  # the phone is the same once normalised
    services.person_update(person=person, data={"desil": 2}, actor=operator)
    assert AuditEvent.objects.filter(action="person.update").count() == 1


def test_outside_kaltim_nik_saves_with_a_warning(village):
    person = services.person_create(
        data=_data(village, nik="7371015408820003", birth_date=datetime.date(1982, 8, 14)), actor=OperatorFactory()
    )
    assert "di luar Kalimantan Timur" in services.person_warnings(person)[0]


# KUBE ---------------------------------------------------------------------------------------------


def _five(group):
    return [PersonFactory(regency=group.regency) for _ in range(5)]


def test_form_a_complete_group():
    BudgetYearFactory()
    operator = OperatorFactory()
    group = services.kube_group_create(
        data={
            "name": "KUBE Mawar",
            "business_type": BusinessType.objects.first(),
            "village": Village.objects.get(code="64.72.01.1001"),
        },
        actor=operator,
    )
    people = _five(group)
    assert "Anggota baru 0 orang; minimal 5." in group_problems(group=group)
    roles = [MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER, MemberRole.MEMBER]
    for person, role in zip(people, roles, strict=True):
        services.kube_member_add(group=group, person=person, role=role, actor=operator)
    assert group_problems(group=group) == []
    assert AuditEvent.objects.filter(action="kube_member.add", regency_id="64.72").count() == 5


def test_group_problems_name_what_is_missing():
    member = KubeMemberFactory(role=MemberRole.CHAIR)
    problems = group_problems(group=member.group)
    assert problems == ["Anggota baru 1 orang; minimal 5.", "Belum ada sekretaris.", "Belum ada bendahara."]


def test_size_bounds_follow_the_budget_year():
    BudgetYearFactory(kube_min_members=3, kube_max_members=6)
    group = KubeGroupFactory()
    operator = OperatorFactory()
    for _ in range(6):
        services.kube_member_add(group=group, person=PersonFactory(), role="anggota", actor=operator)
    with pytest.raises(ValidationError, match="sudah berisi 6 anggota"):
        services.kube_member_add(group=group, person=PersonFactory(), role="anggota", actor=operator)


def test_one_chair_only():
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    with pytest.raises(ValidationError, match="Jabatan ketua sudah dipegang"):
        services.kube_member_add(group=chair.group, person=PersonFactory(), role="ketua", actor=OperatorFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        KubeMemberFactory(group=chair.group, role=MemberRole.CHAIR)


def test_a_person_is_in_one_active_group_only():
    membership = KubeMemberFactory()
    other_group = KubeGroupFactory()
    with pytest.raises(ValidationError, match="sudah menjadi anggota KUBE aktif"):
        services.kube_member_add(group=other_group, person=membership.person, role="anggota", actor=OperatorFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        KubeMember.objects.create(group=other_group, person=membership.person)
    # an inactive group's old membership does not count
    KubeMember.objects.filter(pk=membership.pk).update(group_active=False)
    services.kube_member_add(group=other_group, person=membership.person, role="anggota", actor=OperatorFactory())


def test_members_come_from_the_groups_regency(balikpapan):
    group = KubeGroupFactory()
    with pytest.raises(ValidationError, match="kabupaten/kota lain"):
        services.kube_member_add(
            group=group, person=PersonFactory(regency=balikpapan), role="anggota", actor=AdminProvinsiFactory()
        )


def test_operator_cannot_touch_another_regencys_group(balikpapan):
    group = KubeGroupFactory(regency=balikpapan)
    with pytest.raises(ValidationError):
        services.kube_member_add(
            group=group, person=PersonFactory(regency=balikpapan), role="anggota", actor=OperatorFactory()
        )


def test_giving_an_officer_role_swaps_it():
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    secretary = KubeMemberFactory(group=chair.group, role=MemberRole.SECRETARY)
    services.kube_member_change_role(member=secretary, role=MemberRole.CHAIR, actor=OperatorFactory())
    chair.refresh_from_db()
    secretary.refresh_from_db()
    assert (secretary.role, chair.role) == (MemberRole.CHAIR, MemberRole.SECRETARY)
    assert AuditEvent.objects.filter(action="kube_member.change_role").count() == 2


def test_remove_member_is_audited():
    member = KubeMemberFactory()
    services.kube_member_remove(member=member, actor=OperatorFactory())
    assert not KubeMember.objects.exists()
    event = AuditEvent.objects.get(action="kube_member.remove")
    assert event.before["nik"] == member.person.nik and event.regency_id == "64.72"


# Duplicates ---------------------------------------------------------------------------------------


def test_possible_duplicates_find_both_kinds(samarinda):
    village = Village.objects.filter(district__regency=samarinda).first()
    born = datetime.date(1980, 1, 2)
    a = PersonFactory(full_name="Siti Noerhaliza", kk_number="6472030101200009", birth_date=born, village=village)
    b = PersonFactory(full_name="SITI NURHALIZA", kk_number="6472030101200009", birth_date=born, village=village)
    c = PersonFactory(full_name="Djoko Santoso", village=village)
    d = PersonFactory(full_name="Joko Santoso", village=village)
    PersonFactory(full_name="Rina Marlina", village=village)
    assert possible_duplicates(user=VerifikatorFactory()) == []  # not scanned yet
    duplicates.scan()
    pairs = possible_duplicates(user=VerifikatorFactory())
    found = {(p.first.pk, p.second.pk): p.reason for p in pairs}
    assert set(found) == {(a.pk, b.pk), (c.pk, d.pk)}
    assert found[(a.pk, b.pk)].startswith("No. KK, nama, dan tanggal lahir sama")
    assert possible_duplicates(user=OperatorFactory()) == []  # provincial staff only


def test_people_matching_two_groups_halfway_are_in_neither(samarinda):
    """The page reads the groups' people by their keys' lists; one with the family card of one group and the name of
    another (or the village of one group and the name of another) belongs to neither."""
    villages = list(Village.objects.filter(district__regency=samarinda)[:2])
    born = datetime.date(1980, 1, 2)
    kk_a, kk_b = "6472030101200009", "6472030101200010"
    pairs = ((kk_a, "Siti Noerhaliza"), (kk_a, "SITI NURHALIZA"), (kk_b, "Dewi Lestari"), (kk_b, "Dewi Lestarri"))
    for kk, name in pairs:
        PersonFactory(full_name=name, kk_number=kk, birth_date=born, village=villages[0])
    PersonFactory(full_name="Dewi Lestary", kk_number=kk_a, birth_date=born, village=villages[1])  # A's kk, B's name
    PersonFactory(full_name="Rahmawati", village=villages[1])
    PersonFactory(full_name="Rahmawaty", village=villages[1])
    PersonFactory(full_name="Sri Wahyuni", village=villages[0])
    PersonFactory(full_name="Sri Wahyunni", village=villages[0])
    PersonFactory(full_name="Rahmawatty", village=villages[0])  # a name of villages[1]'s group, in villages[0]
    duplicates.scan()
    shown = {person.full_name for pair in possible_duplicates(user=VerifikatorFactory()) for person in pair.people}
    assert shown == {
        "Siti Noerhaliza", "SITI NURHALIZA", "Dewi Lestari", "Dewi Lestarri", "Rahmawati", "Rahmawaty",
        "Sri Wahyuni", "Sri Wahyunni",
    }  # fmt: skip


def test_the_page_reads_the_last_scan_and_the_people_afresh(samarinda):
    """A duplicate made after the scan waits for the next one (nightly, or on demand); a person corrected or merged
    since drops out at once; the scan replaces the groups whole."""
    village = Village.objects.filter(district__regency=samarinda).first()
    a = PersonFactory(full_name="Siti Aminah", village=village)
    b = PersonFactory(full_name="Siti Aminnah", village=village)
    reviewer = VerifikatorFactory()
    first = duplicates.scan(actor=reviewer)
    assert (first.groups, first.started_by) == (1, reviewer)
    c = PersonFactory(full_name="Dewi Lestari", village=village)
    PersonFactory(full_name="Dewi Lestarri", village=village)
    assert [(p.first, p.second) for p in possible_duplicates(user=reviewer)] == [(a, b)]
    Person.objects.filter(pk=b.pk).update(name_key="SITI ROHANAH")  # corrected (services keep name_key in step)
    assert possible_duplicates(user=reviewer) == []
    assert duplicates.scan().groups == 1 and duplicates.last_scan().started_by is None
    assert [p.first for p in possible_duplicates(user=reviewer)] == [c]


def test_the_nightly_scan_is_scheduled_and_runs_the_same_scan(settings, samarinda):
    from celery.schedules import crontab

    from beneficiaries.tasks import scan_duplicates

    entry = settings.CELERY_BEAT_SCHEDULE["duplicates-scan-every-night"]
    assert (entry["task"], entry["schedule"]) == (scan_duplicates.name, crontab(hour=2, minute=0))
    village = Village.objects.filter(district__regency=samarinda).first()
    PersonFactory(full_name="Rusmini", village=village)
    PersonFactory(full_name="Rusminni", village=village)
    assert scan_duplicates() == 1 and duplicates.last_scan().groups == 1


def test_dismissed_pairs_disappear(samarinda):
    village = Village.objects.filter(district__regency=samarinda).first()
    a = PersonFactory(full_name="Rahmawati", village=village)
    b = PersonFactory(full_name="Rahmawaty", village=village)
    verifier = VerifikatorFactory()
    duplicates.scan()
    assert len(possible_duplicates(user=verifier)) == 1
    services.duplicate_dismiss(person_a=b, person_b=a, actor=verifier)
    services.duplicate_dismiss(person_a=a, person_b=b, actor=verifier)  # idempotent
    assert possible_duplicates(user=verifier) == []
    assert AuditEvent.objects.filter(action="person.not_duplicate").count() == 1


def test_merge_moves_memberships_and_hides_the_duplicate():
    keep = PersonFactory(phone="")
    duplicate = PersonFactory(phone="081200001111", last_assisted_year=2022)
    membership = KubeMemberFactory(person=duplicate)
    verifier = VerifikatorFactory()
    services.person_merge(keep=keep, duplicate=duplicate, actor=verifier)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    membership.refresh_from_db()
    assert membership.person == keep
    assert duplicate.merged_into == keep
    assert (keep.phone, keep.last_assisted_year) == ("081200001111", 2022)
    assert list(Person.objects.current()) == [keep]
    assert {e.action for e in AuditEvent.objects.all()} == {"person.merge", "person.merged_into"}
    with pytest.raises(ValidationError):
        services.person_merge(keep=keep, duplicate=duplicate, actor=verifier)


def test_merge_refuses_two_active_groups():
    a, b = KubeMemberFactory(), KubeMemberFactory()
    with pytest.raises(ValidationError, match="KUBE aktif yang berbeda"):
        services.person_merge(keep=a.person, duplicate=b.person, actor=VerifikatorFactory())
    assert Person.objects.current().count() == 2


def test_small_synthetic_loads_stay_in_the_callers_transaction():
    from beneficiaries import synthetic

    with pytest.raises(RuntimeError), transaction.atomic():
        synthetic.insert(50, seed=3)
        assert Person.objects.count() == 50
        raise RuntimeError("roll back")
    assert Person.objects.count() == 0
