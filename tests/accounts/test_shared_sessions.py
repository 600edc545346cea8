"""With REDIS_URL, sessions are read from Redis (no session query on a request) and written through to the
database, so any app server sees a login and a logout at once, and a Redis restart logs nobody out."""

import socket

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OperatorFactory


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}}
pytestmark = [
    pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379"),
    pytest.mark.django_db,
]


@override_settings(CACHES=REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_logged_in_request_reads_its_session_from_redis_and_logout_is_seen_everywhere(
    client, django_assert_num_queries
):
    caches["default"].clear()
    user = OperatorFactory()
    client.force_login(user)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()  # written through: Redis may restart
    client.get(reverse("home"))  # warms the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("notifications:unread_count")).status_code == 200  # a logged-in request
    assert not any("django_session" in q["sql"] for q in captured)
    other_server = type(client)()  # another app server: same cookie, same Redis
    other_server.cookies = client.cookies
    assert other_server.get(reverse("home")).context["user"] == user
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert other_server.get(reverse("home")).status_code == 302  # logged out there too
