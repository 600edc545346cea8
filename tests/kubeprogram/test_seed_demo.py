import importlib
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from complaints.models import Complaint
from complaints.selectors import running_deadline
from disbursements.models import Handover
from monitoring import schedule
from monitoring.models import DISCREPANCIES, Assessment, VerificationResult
from monitoring.selectors import worklist
from programs.models import BudgetYear
from proposals.models import Proposal
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    budget_year = BudgetYear.objects.get(year=2024)
    assert budget_year.total_ceiling == 6500000000 and budget_year.status == BudgetYear.Status.CLOSED
    assert budget_year.funding_source == "APBD Provinsi Kalimantan Timur"
    current = BudgetYear.objects.get(year=timezone.localdate().year)
    assert current.status == BudgetYear.Status.OPEN
    assert AuditEvent.objects.filter(action="budget_year.create").count() == 2
    users = {u.username: u for u in User.objects.all()}
    assert len(users) == 6
    assert {u.role for u in users.values()} == set(Role)
    assert users["operator.samarinda"].regency.name == "Samarinda"
    assert users["operator.balikpapan"].regency.name == "Balikpapan"
    assert users["admin"].is_staff
    assert all(u.check_password("demo-kaltim-2024") for u in users.values())
    printed = capsys.readouterr().out
    assert "operator.samarinda" in printed and "demo-kaltim-2024" in printed


def test_seed_demo_plays_a_whole_season_for_samarinda():
    """operator.samarinda sees the second half of the season: Bimtek, BASTs with and without scans, visits done and
    overdue, a sample with a discrepancy, a returned assessment, complaints open and late; the verifier has a
    proposal of the current year waiting."""
    call_command("seed_demo")
    year = BudgetYear.objects.get(year=timezone.localdate().year)
    samarinda = Handover.objects.filter(budget_year=year, regency="64.72")
    assert samarinda.exclude(signed_scan="").exists() and samarinda.filter(signed_scan="").exists()
    assert TrainingSession.objects.filter(budget_year=year, regency="64.72").exists()
    operator = User.objects.get(username="operator.samarinda")
    states = {row.state for row in worklist(user=operator, budget_year=year, states=None)}
    assert {schedule.DONE, schedule.OVERDUE, schedule.UPCOMING} <= states, states
    assert Assessment.objects.filter(handover__regency="64.72", status=Assessment.Status.RETURNED).exists()
    assert VerificationResult.objects.filter(handover__regency="64.72", outcome__in=DISCREPANCIES).exists()
    open_complaints = Complaint.objects.filter(regency="64.72").exclude(status="selesai")
    assert any(running_deadline(c)[1] < timezone.localdate() for c in open_complaints)
    assert Proposal.objects.filter(budget_year=year, status=Proposal.Status.SUBMITTED).exists()
    assert not Handover.objects.filter(lines__goods__name__startswith="Mesin Jahit", regency="64.72").exists()


def test_seed_demo_ships_two_quarters_of_a_synthetic_register_with_samarindas_rechecks():
    from dtsen.models import Snapshot
    from rechecks.selectors import worklist as rechecks

    call_command("seed_demo")
    call_command("seed_demo")
    snapshots = Snapshot.objects.filter(status=Snapshot.Status.READY)
    assert snapshots.count() == 2 and all(s.source.startswith("Data sintetis demo") for s in snapshots)
    work = rechecks("64.72")
    rows = sorted((flag.desil_before is not None, flag.desil_now or 0) for flag in work.flags.values())
    assert rows == [(True, 0), (True, 7), (True, 7), (True, 7)]  # one left the register, three rose to desil 7


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
def test_production_settings_refuse_to_start_on_the_sqlite_default(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.go.id")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        _reload("kubeprogram.settings.production")


@pytest.mark.usefixtures("fresh_settings_modules")
def test_production_settings_turn_demo_data_off_unless_a_training_server_says_so(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.go.id")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/kube")
    production = _reload("kubeprogram.settings.production")
    assert production.DEMO_DATA_ALLOWED is False and production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    monkeypatch.setenv("DEMO_DATA_ALLOWED", "1")  # a training server
    assert _reload("kubeprogram.settings.production").DEMO_DATA_ALLOWED is True


def test_manage_py_on_a_server_refuses_without_the_servers_settings(tmp_path):
    import subprocess
    import sys

    env_file = tmp_path / "kubeprogram.env"
    env_file.write_text("SECRET_KEY=x\n")
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment["KUBEPROGRAM_ENV"] = str(env_file)
    result = subprocess.run([sys.executable, "manage.py", "check"], env=environment, capture_output=True, text=True,
                            cwd=settings_dir())  # fmt: skip
    assert result.returncode == 2 and "ops/manage" in result.stderr


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


def settings_dir():
    from django.conf import settings as django_settings

    return django_settings.BASE_DIR


@pytest.mark.usefixtures("fresh_settings_modules")
def test_healthz_answers_over_plain_http_under_production_settings(monkeypatch, client, settings):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/kube")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.go.id")
    production = _reload("kubeprogram.settings.production")
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    assert client.get("/healthz").status_code == 200
    home = client.get("/")
    assert home.status_code == 301 and home["Location"].startswith("https://")
