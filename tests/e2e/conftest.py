import pytest

from programs.services import business_types_load_defaults
from regions.services import reference_data_load


@pytest.fixture
def reference_data(transactional_db):
    """Browser tests run against a live server, so their database is emptied after each test,
    reference data included: load it again (idempotent). The role groups come back by themselves
    (accounts re-syncs them after every flush). Serialized rollback would do this too, but it is
    skipped once Playwright's event loop runs (Django then hands out another connection object)."""
    reference_data_load()
    business_types_load_defaults()


@pytest.fixture
def login(page, live_server):
    """Log in through the real form, as a person would."""

    def _login(username: str, password: str):
        page.goto(f"{live_server.url}/akun/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()

    return _login
