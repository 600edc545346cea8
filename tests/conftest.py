import os
import shutil

import pytest
from django.test import Client

from programs.services import business_types_load_defaults
from regions.models import Regency
from regions.services import reference_data_load

# pytest-playwright runs an event loop in the test thread; Django refuses sync ORM calls there otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRE_E2E = os.environ.get("REQUIRE_E2E", "").strip().lower() in {"1", "true", "yes"}
# CI runs on PostgreSQL: there a test marked `postgres` (row locks, real threads) must run, not skip.
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes"}
REQUIRE_LIBREOFFICE = os.environ.get("REQUIRE_LIBREOFFICE", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every browser test runs as Indonesian phones and office browsers do: the browser sends
    `Accept-Language: id-ID` (pages vary on it; the offline pages once broke on that alone) in WITA."""
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Makassar"}


def pytest_collection_modifyitems(config, items):
    """Browser tests skip (with the reason) where Chromium is missing, PostgreSQL tests on SQLite."""
    from django.db import connection

    from core.replica import replica_configured

    chromium = shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)
    postgres = connection.vendor == "postgresql"
    for item in items:
        if "e2e" in item.keywords and not chromium:
            item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)"))
        if "postgres" in item.keywords and not postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)"))
        if "replica" in item.keywords and not replica_configured():
            item.add_marker(pytest.mark.skip(reason="needs REPLICA_DATABASE_URL (CI sets it)"))


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber + " (" + (e.sample || "") + ")");
});
"""


@pytest.fixture(autouse=True)
def _csp_violations_fail(request):
    """A browser test fails when any page it opens breaks the Content-Security-Policy (an inline handler, an
    inline style, an eval): the browser reports each violation as an event, turned here into a console error."""
    if "e2e" not in request.keywords or "context" not in request.fixturenames:
        yield
        return
    context = request.getfixturevalue("context")
    violations = []
    context.add_init_script(CSP_LISTENER)
    context.on("console", lambda message: violations.append(message.text) if "CSP violation" in message.text else None)
    yield
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """With REQUIRE_E2E=1 / REQUIRE_POSTGRES=1 (CI) a skipped browser / PostgreSQL test is a failure, so
    CI cannot pass without them."""
    report = yield
    for marker, required in (
        ("e2e", REQUIRE_E2E),
        ("postgres", REQUIRE_POSTGRES),
        ("libreoffice", REQUIRE_LIBREOFFICE),
    ):
        if required and report.skipped and marker in item.keywords:
            report.outcome = "failed"
            report.longrepr = f"{marker} test skipped but REQUIRE_{marker.upper()}=1: {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def _no_uncommitted_files_from_earlier_tests():
    """core.media remembers files until their transaction commits; a test's own transaction never does, so what an
    earlier test left is forgotten here (it would otherwise be deleted by a later request of another test)."""
    from core import media

    media._local.pending = []
    yield
    media._local.pending = []


@pytest.fixture
def samarinda(db) -> Regency:
    """Kota Samarinda (64.72), the demo operator's regency (reference data comes from a migration)."""
    return Regency.objects.get(code="64.72")


@pytest.fixture
def balikpapan(db) -> Regency:
    """Kota Balikpapan (64.71): 'another regency' in scoping tests."""
    return Regency.objects.get(code="64.71")


@pytest.fixture
def reference_data(transactional_db):
    """Browser tests and tests with real threads run with transactional_db, so their database is emptied
    after each test, reference data included: load it again (idempotent). The role groups come back by themselves
    (accounts re-syncs them after every flush). Serialized rollback would do this too, but it is
    skipped once Playwright's event loop runs (Django then hands out another connection object)."""
    reference_data_load()
    business_types_load_defaults()


class _ClosingClient(Client):
    """Django's test client, closing every response at the end of the test: a download (FileResponse) keeps its
    file open until closed, as the WSGI server would close it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = []

    def request(self, **request):
        response = super().request(**request)
        self.responses.append(response)
        return response


@pytest.fixture
def client():
    test_client = _ClosingClient()
    yield test_client
    for response in test_client.responses:
        response.close()


def pytest_sessionfinish(session, exitstatus):
    """The test run's uploaded files live in a throwaway folder (settings.test); remove it."""
    from django.conf import settings

    media = str(getattr(settings, "MEDIA_ROOT", ""))
    if os.path.basename(media).startswith("kubeprogram-test-media-"):
        shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_rule_caches():
    """Each test sees the rules computed afresh: a NIK's facts are cached for the length of an import, and a
    result cached by an earlier test (or by the unmutated code, under `make mutation`) must not stand in; nor may
    the cache (an import's kept plans are keyed by an upload id, which SQLite hands out again after a rollback)."""
    from django.core.cache import cache

    from beneficiaries.identity import _nik_facts, _place_and_date_error, _registration_place_known
    from core.workdays import _holidays

    cache.clear()

    _nik_facts.cache_clear()
    _place_and_date_error.cache_clear()
    _registration_place_known.cache_clear()
    _holidays.cache_clear()


@pytest.fixture(autouse=True)
def _replica_routing_off(monkeypatch):
    """Reads stay on the test database's own connection; tests/reports/test_replica.py turns the routing on."""
    from core import replica

    monkeypatch.setitem(replica.routing, "enabled", False)
