import pytest

from regions.services import reference_data_load


@pytest.fixture
def reference_data(transactional_db):
    """Browser tests run against a live server, so their database is flushed after each test,
    reference regions included; load them again (idempotent). The role groups come back by
    themselves: accounts re-syncs them after every flush."""
    reference_data_load()


@pytest.fixture
def login(page, live_server):
    """Log in through the real form, as a person would."""

    def _login(username: str, password: str):
        page.goto(f"{live_server.url}/akun/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()

    return _login
