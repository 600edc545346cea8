"""Admin Provinsi manages accounts in Indonesian pages: create with role and regency, change, deactivate, reset a
password, end a lockout; every change is audited."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import PASSWORD, AdminProvinsiFactory, OperatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = AdminProvinsiFactory()
    client.force_login(admin)
    client.admin = admin
    return client


def test_create_an_operator_with_role_and_regency_up_front(admin_client, samarinda):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "role": Role.OPERATOR,
            "regency": samarinda.pk,
            "username": "operator.samarinda2",
            "first_name": "Dewi",
            "last_name": "Lestari",
            "nip": "199001012015032001",
            "position": "Pengelola Data",
        },  # fmt: skip
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="new-password"' in page
    user = User.objects.get(username="operator.samarinda2")
    assert user.role == Role.OPERATOR and user.regency == samarinda and user.has_usable_password()
    event = AuditEvent.objects.get(action="user.create")
    assert event.actor == admin_client.admin and event.after["role"] == "Operator Kab/Kota"
    assert event.regency_id == samarinda.pk and "password" not in event.after


def test_an_operator_needs_a_regency_and_a_provincial_role_has_none(admin_client, samarinda):
    url = reverse("accounts:user_create")
    page = admin_client.post(url, {"role": Role.OPERATOR, "username": "x", "first_name": "X"}).content.decode()
    assert "Operator Kab/Kota wajib memiliki kabupaten/kota." in page
    page = admin_client.post(
        url, {"role": Role.PIMPINAN, "regency": samarinda.pk, "username": "y", "first_name": "Y"}
    ).content.decode()
    assert "Peran provinsi tidak terikat" in page and not User.objects.filter(username__in=["x", "y"]).exists()


def test_change_role_deactivate_and_reactivate(admin_client, samarinda):
    operator = OperatorFactory()
    admin_client.post(
        reverse("accounts:user_update", args=[operator.pk]),
        {"role": Role.VERIFIKATOR, "regency": "", "username": operator.username, "first_name": "Rina"},
    )
    operator = User.objects.get(pk=operator.pk)
    assert operator.role == Role.VERIFIKATOR and operator.regency is None and operator.first_name == "Rina"
    admin_client.post(reverse("accounts:user_set_active", args=[operator.pk]), {"aktif": "0"})
    assert not User.objects.get(pk=operator.pk).is_active
    assert admin_client.get(reverse("accounts:user_list")).content.decode().count("Nonaktif") >= 1
    admin_client.post(reverse("accounts:user_set_active", args=[operator.pk]), {"aktif": "1"})
    assert User.objects.get(pk=operator.pk).is_active
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(operator.pk)).order_by("id")] == [
        "user.update", "user.deactivate", "user.activate"
    ]  # fmt: skip


def test_nobody_deactivates_their_own_account(admin_client):
    page = admin_client.post(
        reverse("accounts:user_set_active", args=[admin_client.admin.pk]), {"aktif": "0"}, follow=True
    ).content.decode()
    assert (
        "Akun Anda sendiri tidak dapat dinonaktifkan." in page and User.objects.get(pk=admin_client.admin.pk).is_active
    )


def test_a_locked_out_account_is_shown_and_unlocked_and_a_reset_password_works(admin_client, settings, client):
    from django.test import Client

    operator = OperatorFactory()
    other = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        other.post(reverse("accounts:login"), {"username": operator.username, "password": "salah"})
    assert 'data-testid="locked"' in admin_client.get(reverse("accounts:user_list")).content.decode()
    admin_client.post(reverse("accounts:user_unlock", args=[operator.pk]))
    assert 'data-testid="locked"' not in admin_client.get(reverse("accounts:user_list")).content.decode()
    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(operator.pk)).exists()

    page = admin_client.post(reverse("accounts:user_reset_password", args=[operator.pk])).content.decode()
    new_password = page.split('data-testid="new-password">')[1].split("<")[0]
    assert new_password != PASSWORD
    fresh = Client()
    assert (
        fresh.post(reverse("accounts:login"), {"username": operator.username, "password": new_password}).status_code
        == 302
    )
    assert AuditEvent.objects.filter(action="user.reset_password").count() == 1


def test_the_user_menu_leads_admin_provinsi_to_the_user_management(admin_client):
    assert reverse("accounts:user_list") in admin_client.get(reverse("home")).content.decode()


def test_deactivating_or_moving_an_account_ends_its_sessions_and_the_admin_can_end_them(client, settings):
    """A deactivated account's session is not revived by activating it again; a new role or regency ends the
    sessions opened under the old one; "Akhiri sesi" ends them on request (a lost phone). Each audited."""
    from django.test import Client

    from accounts import services
    from audit.models import AuditEvent
    from regions.models import Regency

    admin = AdminProvinsiFactory()
    operator = OperatorFactory()
    phone = Client()
    phone.force_login(operator)
    home = reverse("home")
    assert phone.get(home).status_code == 200
    services.user_set_active(user=operator, active=False, actor=admin)
    services.user_set_active(user=operator, active=True, actor=admin)
    assert phone.get(home).status_code == 302  # back to the login page: the old session is gone
    operator.refresh_from_db()
    phone.force_login(operator)
    services.user_update(
        user=operator, role=operator.role, regency=Regency.objects.get(code="64.71"), data={}, actor=admin
    )
    assert phone.get(home).status_code == 302
    operator.refresh_from_db()
    phone.force_login(operator)
    services.user_update(user=operator, role=operator.role, regency=operator.regency, data={"nip": "1"}, actor=admin)
    assert phone.get(home).status_code == 200  # a new NIP changes no rights: the session stays
    client.force_login(admin)
    assert client.post(reverse("accounts:user_end_sessions", args=[operator.pk])).status_code == 302
    assert phone.get(home).status_code == 302
    assert AuditEvent.objects.filter(action="user.end_sessions", object_id=str(operator.pk)).count() == 1
    assert "Akhiri sesi" in client.get(reverse("accounts:user_list")).content.decode()
