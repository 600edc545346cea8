"""Redis is a cache, not a single point of failure (issue 29): with REDIS_URL set and Redis down, signing in and
every page still work (sessions from the database, the dashboard counted in the visit) and /healthz answers 200,
saying what is degraded."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.cache import SafeRedisCache
from tests.factories import PASSWORD, AdminProvinsiFactory, ApprovedItemFactory

pytestmark = pytest.mark.django_db
DOWN = {
    "default": {
        "BACKEND": "core.cache.SafeRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: Redis stopped
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DOWN
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.DASHBOARD_CACHE_SECONDS = 60
    SafeRedisCache._down_until = 0.0
    yield
    SafeRedisCache._down_until = 0.0


def test_with_redis_down_signing_in_and_every_page_work(redis_down):
    ApprovedItemFactory()
    admin = AdminProvinsiFactory()
    browser = Client()
    signed_in = browser.post(reverse("accounts:login"), {"username": admin.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    started = time.monotonic()
    for name in ("home", "reports:dashboard", "beneficiaries:person_list", "proposals:proposal_list",
                 "fieldwork:home", "notifications:notification_list"):  # fmt: skip
        assert browser.get(reverse(name)).status_code == 200, name
    assert time.monotonic() - started < 30  # no page waits on the dead Redis call after call
    assert browser.post(reverse("accounts:logout")).status_code == 302
    assert browser.get(reverse("home")).status_code == 302  # signed out: the session really went


def test_with_redis_down_healthz_answers_200_and_says_what_is_degraded(redis_down, client):
    response = client.get("/healthz")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith("degraded\n")
    assert "database: ok" in body and "cache: unavailable (Redis)" in body


def test_the_safe_cache_misses_and_forgets_quietly_and_comes_back(settings, caplog):
    settings.CACHES = DOWN
    SafeRedisCache._down_until = 0.0
    assert cache.get("x", "default") == "default" and cache.set("x", 1) is None and cache.add("x", 1) is False
    assert cache.get_or_set("y", lambda: 42) == 42
    assert sum("cache (Redis) unavailable" in r.message for r in caplog.records) == 1  # logged once per outage
    SafeRedisCache._down_until = 0.0
