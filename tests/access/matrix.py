"""The access matrix: every URL of the project, and what each role gets from it.

A URL pattern without a declaration here fails `test_every_url_is_declared`, so no page can be added
without saying who may open it. Roles: "anonymous" plus the five of accounts.roles.Role (by value).
"Own" and "other" regency: the operator under test belongs to Kota Samarinda (64.72); "other" objects
belong to Kota Balikpapan (64.71). Out-of-scope objects answer 404, never 403 (DESIGN.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import Role

ANONYMOUS = "anonymous"
ALL_ROLES = frozenset(role.value for role in Role)
PROVINCIAL = frozenset({Role.ADMIN_PROVINSI, Role.VERIFIKATOR, Role.PIMPINAN, Role.AUDITOR})
OWN, OTHER = "own", "other"
LOGIN = "login"  # expected: a redirect to the login page


@dataclass(frozen=True)
class Access:
    """Who may open a URL.

    allowed: roles that get `ok`; every other logged-in role gets `denied`.
    kwargs: builds the URL kwargs from the test context and the scope (OWN/OTHER).
    scoped: the object belongs to a regency; an operator asking for another regency's gets 404.
    anonymous: what an anonymous visitor gets (LOGIN = redirect to the login page).
    """

    allowed: frozenset = ALL_ROLES
    ok: int = 200
    denied: int = 403
    method: str = "get"
    kwargs: Callable[[dict, str], dict] | None = None
    scoped: bool = False
    anonymous: int | str = LOGIN
    data: dict = field(default_factory=dict)

    def expected(self, role: str, scope: str | None) -> int | str:
        if role == ANONYMOUS:
            return self.anonymous
        if role not in self.allowed:
            return self.denied
        if self.scoped and role == Role.OPERATOR and scope == OTHER:
            return 404
        return self.ok


def _regency_code(ctx, scope):
    return {"code": ctx["regency"][scope].code}


def _year(ctx, scope):
    return {"year": ctx["budget_year"].year}


ACCESS: dict[str, Access] = {
    "home": Access(),
    "healthz": Access(anonymous=200),
    # Logged-in users are sent on from the login page; anonymous visitors see it.
    "accounts:login": Access(ok=302, anonymous=200),
    "accounts:logout": Access(method="post", ok=302, anonymous=302),
    "accounts:password_change": Access(),
    "accounts:password_change_done": Access(),
    "regions:regency_list": Access(),
    "regions:regency_detail": Access(kwargs=_regency_code, scoped=True),
    "programs:budgetyear_list": Access(),
    "programs:budgetyear_detail": Access(kwargs=_year),
    "programs:budgetyear_create": Access(allowed=frozenset({Role.ADMIN_PROVINSI})),
    "programs:budgetyear_update": Access(allowed=frozenset({Role.ADMIN_PROVINSI}), kwargs=_year),
    "audit:event_list": Access(allowed=frozenset({Role.ADMIN_PROVINSI, Role.AUDITOR})),
}

# Whole namespaces declared at once: Django's admin site is for staff (the Admin Provinsi) only;
# everyone else is sent to the admin's own login page. Checked on its index page.
NAMESPACES: dict[str, tuple[str, Access]] = {
    "admin": ("admin:index", Access(allowed=frozenset({Role.ADMIN_PROVINSI}), denied=302, anonymous=302)),
}


def url_names(urlconf=None) -> list[str]:
    """Every URL pattern of the project as 'namespace:name' ('' for an unnamed pattern)."""
    found: list[str] = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern):
                found.append(f"{prefix}{pattern.name or ''}")

    walk(get_resolver(urlconf).url_patterns, "")
    return found


def undeclared_url_names(urlconf=None) -> list[str]:
    """URL patterns that neither ACCESS nor NAMESPACES declares (an unnamed one shows as '' or 'ns:')."""

    def declared(name: str) -> bool:
        return name in ACCESS or (":" in name and name.split(":", 1)[0] in NAMESPACES)

    return [name for name in url_names(urlconf) if not declared(name)]
