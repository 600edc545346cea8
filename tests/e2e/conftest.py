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


@pytest.fixture
def navigate(page):
    """Click through the navbar as a person would: navigate("Penyaluran", "Alokasi") opens the menu first."""

    def _go(*labels: str):
        nav = page.get_by_test_id("nav")
        *menus, label = labels
        for menu in menus:
            nav.get_by_role("button", name=menu).click()
        nav.get_by_role("link", name=label, exact=True).click()

    return _go
