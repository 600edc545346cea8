import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, OperatorFactory, PimpinanFactory

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_indonesian(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'lang="id"' in content
    assert "Nama pengguna" in content and "Kata sandi" in content and "Masuk" in content


def test_correct_login_reaches_home(client):
    user = OperatorFactory()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Operator Kab/Kota" in client.get(reverse("home")).content.decode()


def test_pimpinan_lands_on_the_dashboard_unless_asked_for_a_page(client):
    user = PimpinanFactory()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("reports:dashboard")
    client.logout()
    asked = client.post(
        reverse("accounts:login") + "?next=" + reverse("reports:report_index"),
        {"username": user.username, "password": PASSWORD},
    )
    assert asked["Location"] == reverse("reports:report_index")


def test_wrong_password_shows_indonesian_error(client):
    user = PimpinanFactory()
    response = _login(client, user.username, "salah")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_five_failures_lock_the_username_from_that_address(client, settings):
    user = OperatorFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.username, "salah").status_code == 200
    locked = _login(client, user.username, "salah")
    assert locked.status_code == 429
    assert "Akun dikunci sementara" in locked.content.decode()
    assert "15 menit" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _login(client, user.username, PASSWORD).status_code == 429


def test_lockout_is_keyed_on_username_and_address(client, settings):
    user, colleague = OperatorFactory(), OperatorFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "salah", ip="10.1.1.1")
    # The same user from another computer, and a colleague at the same computer, can still log in.
    assert _login(client, user.username, PASSWORD, ip="10.2.2.2").status_code == 302
    client.logout()
    assert _login(client, colleague.username, PASSWORD, ip="10.1.1.1").status_code == 302


def test_idle_session_expires(client):
    user = PimpinanFactory()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_working_extends_the_session(client, settings):
    client.force_login(PimpinanFactory())
    session = client.session
    session["_refreshed_at"] = 0  # last renewed long ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(seconds=30))
    client.get(reverse("home"))
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining.total_seconds() > settings.SESSION_COOKIE_AGE - 60


def test_session_is_not_rewritten_on_every_page(client, django_assert_max_num_queries):
    client.force_login(PimpinanFactory())
    client.get(reverse("home"))  # renews once
    with django_assert_max_num_queries(20) as queries:
        client.get(reverse("regions:regency_list"))
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_logout_ends_session(client):
    client.force_login(PimpinanFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client):
    user = PimpinanFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Samarinda-tepian-2024", "new_password2": "Samarinda-tepian-2024"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Samarinda-tepian-2024")


def test_password_change_errors_are_indonesian(client):
    client.force_login(PimpinanFactory())
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": "abc", "new_password2": "abd"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sandi lama Anda yang dimasukkan salah" in content
