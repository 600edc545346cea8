import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.access.matrix import ACCESS, ANONYMOUS, LOGIN, NAMESPACES, OTHER, OWN, undeclared_url_names, url_names
from tests.access.objects import Objects
from tests.factories import (
    OperatorFactory,
    factory_for_role,
)

ROLES = [ANONYMOUS, *[role.value for role in Role]]


def _cases():
    for name, access in ACCESS.items():
        scopes = [OWN, OTHER] if access.scoped else [None]
        for role in ROLES:
            for scope in scopes:
                yield pytest.param(name, access, role, scope, id=f"{name}-{role}{'-' + scope if scope else ''}")
    for namespace, (name, access) in NAMESPACES.items():
        for role in ROLES:
            yield pytest.param(name, access, role, None, id=f"{namespace}:*-{role}")


def test_every_url_is_declared():
    assert undeclared_url_names() == []


def test_declarations_name_real_urls():
    """A stale declaration (renamed or removed URL) is an error too."""
    names = set(url_names())
    assert set(ACCESS) - names == set()


def test_an_undeclared_url_fails_the_matrix(settings):
    settings.ROOT_URLCONF = "tests.access.throwaway_urls"
    assert undeclared_url_names("tests.access.throwaway_urls") == ["throwaway"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "access", "role", "scope"), list(_cases()))
def test_access(client, samarinda, balikpapan, name, access, role, scope):
    ctx = Objects({OWN: samarinda, OTHER: balikpapan})
    if role != ANONYMOUS:
        role = Role(role)
        factory = factory_for_role(role)
        user = factory(regency=samarinda) if factory is OperatorFactory else factory()
        client.force_login(user)
    url = reverse(name, kwargs=access.kwargs(ctx, scope) if access.kwargs else None)

    data = access.data(ctx, scope) if callable(access.data) else access.data
    response = getattr(client, access.method)(url, data)

    expected = access.expected(role, scope)
    if expected == LOGIN:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, f"{role} {scope or ''} {url}: {response.status_code}"
