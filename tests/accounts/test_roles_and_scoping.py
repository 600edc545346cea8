import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.services import roles_sync, user_create
from regions.models import Regency
from regions.selectors import regencies_visible_to
from tests.factories import (
    AdminProvinsiFactory,
    AuditorFactory,
    OperatorFactory,
    PimpinanFactory,
    UserFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db


def test_the_five_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Admin Provinsi",
        "Verifikator Provinsi",
        "Operator Kab/Kota",
        "Pimpinan",
        "Auditor",
    }


@pytest.mark.parametrize(
    ("factory", "may_change_budget", "may_read_audit"),
    [
        (AdminProvinsiFactory, True, True),
        (VerifikatorFactory, False, False),
        (OperatorFactory, False, False),
        (PimpinanFactory, False, False),
        (AuditorFactory, False, True),
    ],
)
def test_roles_carry_model_permissions(factory, may_change_budget, may_read_audit):
    user = factory()
    assert user.has_perm("programs.view_budgetyear")
    assert user.has_perm("regions.view_regency")
    assert user.has_perm("programs.change_budgetyear") is may_change_budget
    assert user.has_perm("audit.view_auditevent") is may_read_audit


def test_roles_sync_restores_removed_permissions_and_groups():
    Group.objects.filter(name="Auditor").delete()
    Group.objects.get(name="Admin Provinsi").permissions.clear()

    roles_sync()

    assert Group.objects.get(name="Auditor").permissions.filter(codename="view_auditevent").exists()
    assert Group.objects.get(name="Admin Provinsi").permissions.filter(codename="change_budgetyear").exists()


def test_user_role_is_read_from_group():
    assert VerifikatorFactory().role == Role.VERIFIKATOR
    assert UserFactory().role is None
    assert UserFactory(is_superuser=True).role == Role.ADMIN_PROVINSI


@pytest.mark.parametrize("factory", [AdminProvinsiFactory, VerifikatorFactory, PimpinanFactory, AuditorFactory])
def test_provincial_roles_see_every_regency(factory):
    assert regencies_visible_to(factory()).count() == 10


def test_operator_sees_only_own_regency(balikpapan):
    operator = OperatorFactory(regency=balikpapan)
    assert list(regencies_visible_to(operator)) == [balikpapan]


def test_operator_without_regency_sees_nothing():
    operator = OperatorFactory(regency=None)
    assert regencies_visible_to(operator).count() == 0


def test_user_without_role_and_anonymous_see_nothing():
    assert regencies_visible_to(UserFactory()).count() == 0
    assert regencies_visible_to(AnonymousUser()).count() == 0


def test_user_create_requires_regency_for_operator():
    with pytest.raises(ValidationError) as error:
        user_create(username="op", password="x-very-long-1", role=Role.OPERATOR)
    assert "regency" in error.value.message_dict


def test_user_create_refuses_regency_for_provincial_roles(samarinda):
    with pytest.raises(ValidationError):
        user_create(username="pim", password="x-very-long-1", role=Role.PIMPINAN, regency=samarinda)


def test_user_create_puts_user_in_one_role(samarinda):
    user = user_create(username="op", password="x-very-long-1", role=Role.OPERATOR, regency=samarinda)
    assert user.role == Role.OPERATOR
    assert user.check_password("x-very-long-1")
    assert Regency.objects.filter(users=user).get() == samarinda
