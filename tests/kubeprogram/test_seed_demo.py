import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from programs.models import BudgetYear

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    budget_year = BudgetYear.objects.get()
    assert (budget_year.year, budget_year.total_ceiling) == (2024, 6500000000)
    assert budget_year.funding_source == "APBD Provinsi Kalimantan Timur"
    assert AuditEvent.objects.filter(action="budget_year.create").count() == 1
    users = {u.username: u for u in User.objects.all()}
    assert len(users) == 6
    assert {u.role for u in users.values()} == set(Role)
    assert users["operator.samarinda"].regency.name == "Samarinda"
    assert users["operator.balikpapan"].regency.name == "Balikpapan"
    assert users["admin"].is_staff
    assert all(u.check_password("demo-kaltim-2024") for u in users.values())
    printed = capsys.readouterr().out
    assert "operator.samarinda" in printed and "demo-kaltim-2024" in printed


def test_seed_demo_refuses_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="produksi"):
        call_command("seed_demo")
    assert not User.objects.exists()


def _reload(name):
    """Re-read a settings module (and its base) under the current environment."""
    importlib.reload(importlib.import_module("kubeprogram.settings.base"))
    return importlib.reload(importlib.import_module(name))


@pytest.fixture
def fresh_settings_modules(monkeypatch):
    yield
    monkeypatch.undo()
    importlib.reload(importlib.import_module("kubeprogram.settings.base"))


@pytest.mark.usefixtures("fresh_settings_modules")
def test_production_settings_refuse_to_start_without_secrets(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.go.id")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _reload("kubeprogram.settings.production")


@pytest.mark.usefixtures("fresh_settings_modules")
def test_production_settings_turn_demo_data_off(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.go.id")
    production = _reload("kubeprogram.settings.production")
    assert production.DEMO_DATA_ALLOWED is False and production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE


@pytest.mark.usefixtures("fresh_settings_modules")
def test_sqlite_default_takes_the_write_lock_at_begin(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    base = _reload("kubeprogram.settings.base")
    assert base.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert base.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/kube")
    base = _reload("kubeprogram.settings.base")
    assert base.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in base.DATABASES["default"].get("OPTIONS", {})


@pytest.mark.usefixtures("fresh_settings_modules")
def test_healthz_answers_over_plain_http_under_production_settings(monkeypatch, client, settings):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.go.id")
    production = _reload("kubeprogram.settings.production")
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    assert client.get("/healthz").status_code == 200
    home = client.get("/")
    assert home.status_code == 301 and home["Location"].startswith("https://")
