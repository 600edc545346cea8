"""The proposal rules at their edges (proposals.checks.person_checks): what a verifier relies on."""

import datetime
from types import SimpleNamespace

import pytest

from beneficiaries.identity import make_nik
from proposals.checks import ERROR, WARNING, person_checks
from tests.factories import BudgetYearFactory

pytestmark = pytest.mark.django_db


def _woman(born: datetime.date, **changes):
    values = {"nik": make_nik("647203", born, "P", 11), "sex": "P", "birth_date": born, "full_name": "Siti",
              "dtks_id": "DTKS1", "last_assisted_year": None, "graduated_year": None, **changes}  # fmt: skip
    return SimpleNamespace(**values)


def _codes(person) -> list[tuple[str, str]]:
    return [(c["code"], c["level"]) for c in person_checks(person, BudgetYearFactory(), wrse=True)]


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (datetime.date(2006, 1, 1), True),  # 18 on 1 January 2024: the birthday on the reference day counts
        (datetime.date(2006, 1, 2), False),  # 17 on 1 January 2024
        (datetime.date(1964, 1, 2), True),  # 59
        (datetime.date(1964, 1, 1), False),  # 60 on the reference day
    ],
)
def test_wrse_age_bounds_at_their_edges(born, eligible):
    assert (("wrse_age", ERROR) not in _codes(_woman(born))) is eligible


def test_a_nik_that_contradicts_the_sex_or_birth_date_is_an_error():
    born = datetime.date(1985, 8, 17)
    assert ("nik", ERROR) in _codes(_woman(born, birth_date=datetime.date(1985, 8, 18)))
    assert ("nik", ERROR) in _codes(_woman(born, nik=make_nik("647203", born, "L", 11)))


def test_a_nik_from_outside_kaltim_is_a_warning_only():
    born = datetime.date(1985, 8, 17)
    assert _codes(_woman(born, nik=make_nik("737101", born, "P", 11))) == [("nik_outside", WARNING)]


def test_a_man_is_not_a_wrse_recipient():
    born = datetime.date(1985, 8, 17)
    man = _woman(born, sex="L", nik=make_nik("647203", born, "L", 11))
    assert _codes(man) == [("wrse_woman", ERROR)]
    assert person_checks(man, BudgetYearFactory(), wrse=True)[0]["message"] == "WRSE hanya untuk perempuan."


def test_the_age_message_names_the_age_the_day_and_the_bounds():
    [check] = person_checks(_woman(datetime.date(2006, 1, 2)), BudgetYearFactory(), wrse=True)
    assert check["message"] == "Usia 17 tahun pada 1 Januari 2024; WRSE untuk usia 18–59 tahun."


def test_kube_members_are_not_judged_by_the_wrse_rules():
    born = datetime.date(2010, 5, 5)  # 13, a man: both wrong for WRSE, neither a KUBE rule
    boy = _woman(born, sex="L", nik=make_nik("647203", born, "L", 11))
    assert person_checks(boy, BudgetYearFactory(), wrse=False) == []


def test_missing_dtks_and_earlier_assistance_are_warnings():
    person = _woman(datetime.date(1985, 8, 17), dtks_id="", last_assisted_year=2023)
    assert person_checks(person, BudgetYearFactory(), wrse=True) == [
        {"code": "dtks", "level": WARNING, "message": "Siti: belum ada ID DTKS/DTSEN."},
        {"code": "assisted", "level": WARNING, "message": "Siti pernah menerima bantuan tahun 2023."},
    ]
    # assistance of this very year is the proposal itself, not an earlier one
    assert _codes(_woman(datetime.date(1985, 8, 17), last_assisted_year=2024)) == []


# Checks across items (compute / assign / apply) ----------------------------------------------------------


def _item(**kwargs):
    from tests.factories import ProposalItemFactory

    return ProposalItemFactory(**kwargs)


def _compute(items):
    from proposals.checks import compute

    return compute(items, items[0].proposal.budget_year)


def test_a_person_proposed_by_another_regency_or_program_is_flagged(balikpapan):
    """The first proposal holds the person for the year; another regency's proposal of them is an error."""
    from tests.factories import PersonFactory, ProposalFactory

    person = PersonFactory(dtks_id="DTKS1")
    first = _item(person=person)
    elsewhere = _item(person=person, proposal=ProposalFactory(regency=balikpapan))
    [checks_first, checks_elsewhere] = _compute([first, elsewhere])
    assert checks_first == []  # not against itself
    assert checks_elsewhere == [
        {"code": "proposed_elsewhere", "level": ERROR,
         "message": f"{person.full_name} sudah diusulkan tahun ini ({first.proposal.regency.name})."},
    ]  # fmt: skip


def test_a_kube_member_proposed_as_wrse_too_is_in_another_program():
    from beneficiaries.models import MemberRole
    from proposals.models import ProposedPerson
    from tests.factories import KubeGroupFactory, KubeMemberFactory, ProposalFactory

    group = KubeGroupFactory()
    members = [KubeMemberFactory(group=group, role=r).person for r in ("ketua", "sekretaris", "bendahara")]
    members += [KubeMemberFactory(group=group, role=MemberRole.MEMBER).person for _ in range(2)]
    kube = _item(proposal=ProposalFactory(program="KUBE"), person=None, group=group)
    for person in members:
        ProposedPerson.objects.create(budget_year=kube.proposal.budget_year, person=person, item=kube)
    wrse = _item(person=members[0])
    [kube_checks] = _compute([kube])
    assert [c for c in kube_checks if c["level"] == ERROR] == []
    assert [c for c in _compute([wrse])[0] if c["level"] == ERROR] == [
        {"code": "proposed_elsewhere", "level": ERROR,
         "message": f"{members[0].full_name} sudah diusulkan tahun ini (program lain)."},
    ]  # fmt: skip


def test_an_incomplete_kube_is_an_error_under_the_items_year_bounds():
    from tests.factories import KubeGroupFactory, KubeMemberFactory, ProposalFactory

    year = BudgetYearFactory(kube_min_members=3, kube_max_members=3)
    group = KubeGroupFactory()
    for role in ("ketua", "sekretaris", "bendahara", "anggota"):
        KubeMemberFactory(group=group, role=role)
    item = _item(proposal=ProposalFactory(program="KUBE", budget_year=year), person=None, group=group)
    assert [c for c in _compute([item])[0] if c["code"] == "kube_composition"] == [
        {"code": "kube_composition", "level": ERROR, "message": "Anggota 4 orang; maksimal 3."}
    ]


def test_a_family_card_shared_with_another_recipient_is_a_warning():
    from tests.factories import PersonFactory

    first = _item(person=PersonFactory(kk_number="6472030101200001", dtks_id="D1"))
    second = _item(person=PersonFactory(kk_number="6472030101200001", dtks_id="D2"))
    third = _item(person=PersonFactory(kk_number="6472030101209999", dtks_id="D3"))
    checks = _compute([first, second, third])
    shared = [[c for c in found if c["code"] == "shared_kk"] for found in checks]
    assert shared[0] == [
        {"code": "shared_kk", "level": WARNING,
         "message": f"{first.person.full_name}: satu KK dengan penerima lain yang diusulkan tahun ini."},
    ]  # fmt: skip
    assert len(shared[1]) == 1 and shared[2] == []
    # A new (unsaved) item sharing the card with an already proposed one is flagged before it is saved.
    from proposals.models import ProposalItem

    new = ProposalItem(proposal=third.proposal, person=PersonFactory(kk_number="6472030101209999"))
    assert [c["code"] for c in _compute([new])[0] if c["code"] == "shared_kk"] == ["shared_kk"]


def test_assign_sets_the_flags_and_apply_stores_them():
    from proposals.checks import apply, assign
    from proposals.models import ProposalItem
    from tests.factories import PersonFactory

    clean = _item(person=PersonFactory(dtks_id="D1"))
    warned = _item(person=PersonFactory(dtks_id=""))
    born = datetime.date(2010, 1, 1)  # 14: too young for WRSE
    wrong = _item(person=PersonFactory(birth_date=born, dtks_id="D3"))
    year = clean.proposal.budget_year
    assign([clean, warned, wrong], year)
    assert [(i.has_errors, i.has_warnings) for i in (clean, warned, wrong)] == [
        (False, False),
        (False, True),
        (True, False),
    ]
    ProposalItem.objects.filter(pk__in=[clean.pk, warned.pk, wrong.pk]).update(checks=[], has_errors=False)
    apply([clean, warned, wrong], year)
    stored = {i.pk: (i.has_errors, i.has_warnings, [c["code"] for c in i.checks]) for i in ProposalItem.objects.all()}
    assert stored[wrong.pk] == (True, False, ["wrse_age"])
    assert stored[warned.pk] == (False, True, ["dtks"])
    assert stored[clean.pk] == (False, False, [])


def test_nik_messages_name_the_person():
    born = datetime.date(1985, 8, 17)
    wrong = person_checks(_woman(born, birth_date=datetime.date(1985, 8, 18)), BudgetYearFactory(), wrse=True)
    assert wrong == [
        {"code": "nik", "level": ERROR,
         "message": "Siti: Tanggal lahir tidak sesuai NIK: NIK menunjukkan 17-08-..85."},
    ]  # fmt: skip
    outside = person_checks(_woman(born, nik=make_nik("737101", born, "P", 11)), BudgetYearFactory(), wrse=True)
    assert outside[0]["message"] == "Siti: NIK terdaftar di luar Kalimantan Timur (pindahan?). Periksa KTP/KK."


def test_other_years_do_not_count_as_proposed_or_sharing_a_card(balikpapan):
    """Last year's proposal of the same person, or of someone on the same family card, is no conflict this year."""
    from proposals.models import ProposedPerson
    from tests.factories import PersonFactory, ProposalFactory

    person = PersonFactory(dtks_id="D1", kk_number="6472030101200077")
    relative = PersonFactory(dtks_id="D2", kk_number="6472030101200077")
    last_year = ProposalFactory(budget_year=BudgetYearFactory(year=2023), regency=balikpapan)
    _item(person=person, proposal=last_year)
    _item(person=relative, proposal=last_year)
    assert ProposedPerson.objects.filter(budget_year__year=2023).count() == 2
    this_year = _item(person=person)
    assert _compute([this_year]) == [[]]


def test_a_kube_is_judged_by_its_own_years_size_bounds_not_the_current_years():
    from tests.factories import KubeGroupFactory, KubeMemberFactory, ProposalFactory

    old = BudgetYearFactory(year=2024, kube_min_members=3, kube_max_members=3, status="closed")
    BudgetYearFactory(year=2025, kube_min_members=5, kube_max_members=10)  # the current (open) year
    group = KubeGroupFactory()
    for role in ("ketua", "sekretaris", "bendahara"):
        KubeMemberFactory(group=group, role=role)
    item = _item(proposal=ProposalFactory(program="KUBE", budget_year=old), person=None, group=group)
    assert [c for c in _compute([item])[0] if c["code"] == "kube_composition"] == []


def test_a_kube_member_already_proposed_as_wrse_is_in_another_program():
    from beneficiaries.models import MemberRole
    from tests.factories import KubeGroupFactory, KubeMemberFactory, PersonFactory, ProposalFactory

    group = KubeGroupFactory()
    chair = PersonFactory(dtks_id="D9")
    KubeMemberFactory(group=group, person=chair, role=MemberRole.CHAIR)
    for role in ("sekretaris", "bendahara", "anggota", "anggota"):
        KubeMemberFactory(group=group, role=role, person__dtks_id="D")
    _item(person=chair)  # proposed as WRSE first: that proposal holds her for the year
    kube = _item(proposal=ProposalFactory(program="KUBE"), person=None, group=group)
    assert [c["message"] for c in _compute([kube])[0] if c["code"] == "proposed_elsewhere"] == [
        f"{chair.full_name} sudah diusulkan tahun ini (program lain)."
    ]


def test_the_checks_of_many_kube_items_take_a_fixed_number_of_queries(django_assert_num_queries):
    from tests.factories import KubeGroupFactory, KubeMemberFactory, ProposalFactory

    proposal = ProposalFactory(program="KUBE")
    items = []
    for _ in range(3):
        group = KubeGroupFactory()
        for role in ("ketua", "sekretaris", "bendahara", "anggota", "anggota"):
            KubeMemberFactory(group=group, role=role)
        items.append(_item(proposal=proposal, person=None, group=group))
    items = list(type(items[0]).objects.filter(pk__in=[i.pk for i in items]).select_related("group"))
    from proposals.checks import compute

    year = proposal.budget_year
    with django_assert_num_queries(5):  # members with their people, proposed elsewhere, family cards, the
        # proposals' regencies, the DTSEN snapshots covering them (none here: no entries read)
        compute(items, year)


def test_the_shared_card_warning():
    from proposals.checks import shared_kk_check

    assert shared_kk_check(SimpleNamespace(full_name="Siti")) == {
        "code": "shared_kk",
        "level": WARNING,
        "message": "Siti: satu KK dengan penerima lain yang diusulkan tahun ini.",
    }


@pytest.mark.parametrize(("setting", "level"), [("warning", WARNING), ("error", ERROR)])
def test_a_graduate_proposed_again_is_flagged_as_the_year_sets(setting, level):
    year = BudgetYearFactory(graduated_proposal_level=setting)
    [check] = person_checks(_woman(datetime.date(1985, 8, 17), graduated_year=2025), year, wrse=True)
    assert check == {
        "code": "graduated",
        "level": level,
        "message": "Siti sudah lulus (graduasi) tahun 2025: tidak lagi memerlukan bantuan.",
    }


def test_a_graduated_kube_group_proposed_again_is_flagged_by_name():
    from tests.factories import KubeGroupFactory, KubeMemberFactory, ProposalFactory

    year = BudgetYearFactory(graduated_proposal_level="error")
    group = KubeGroupFactory(name="KUBE Mawar Sejahtera")
    for role in ("ketua", "sekretaris", "bendahara", "anggota", "anggota"):
        KubeMemberFactory(group=group, role=role, person__dtks_id="D")
    type(group).objects.filter(pk=group.pk).update(graduated_year=2023)
    group.refresh_from_db()
    item = _item(proposal=ProposalFactory(program="KUBE", budget_year=year), person=None, group=group)
    assert [c for c in _compute([item])[0] if c["code"] == "graduated"] == [
        {"code": "graduated", "level": ERROR,
         "message": "KUBE Mawar Sejahtera sudah lulus (graduasi) tahun 2023: tidak lagi memerlukan bantuan."},
    ]  # fmt: skip
