import pytest


@pytest.fixture
def login(page, live_server):
    """Log in through the real form, as a person would."""

    def _login(username: str, password: str):
        page.goto(f"{live_server.url}/akun/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()

    return _login
