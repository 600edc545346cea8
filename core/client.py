"""The client's address, by one rule everywhere (login lockout, public rate limits, audit).

Behind `PROXY_COUNT` trusted reverse proxies, each proxy appends the address it saw to `X-Forwarded-For`
(nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`). What the client itself put in the header
stands to the left of those, so only the entries counted from the right are believed: with one proxy, the last
entry is the address nginx saw. With no proxy (PROXY_COUNT=0) the header is ignored and the address is the socket's
(REMOTE_ADDR). A header with fewer entries than proxies (a request that did not come through them) falls back to
REMOTE_ADDR, which is then the proxy's own or the caller's — never an address the client chose."""

import ipaddress

from django.conf import settings


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The address the first trusted proxy saw, or the socket's; "" when neither is a valid IP address."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or ""
    proxies = settings.PROXY_COUNT
    if not proxies:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    return _valid(entries[-proxies]) or remote
