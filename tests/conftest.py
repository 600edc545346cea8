import os
import shutil

import pytest

from regions.models import Regency

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config, items):
    """Browser tests skip (with the reason) where Chromium is missing, unless REQUIRE_E2E=1."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """With REQUIRE_E2E=1 (CI) a skipped browser test is a failure, so CI cannot pass without them."""
    report = yield
    if REQUIRE_E2E and report.skipped and "e2e" in item.keywords:
        report.outcome = "failed"
        report.longrepr = f"browser test skipped but REQUIRE_E2E=1: {report.longrepr}"
    return report


@pytest.fixture
def samarinda(db) -> Regency:
    """Kota Samarinda (64.72), the demo operator's regency (reference data comes from a migration)."""
    return Regency.objects.get(code="64.72")


@pytest.fixture
def balikpapan(db) -> Regency:
    """Kota Balikpapan (64.71): 'another regency' in scoping tests."""
    return Regency.objects.get(code="64.71")
