"""One rule for the client's address (lockout, public rate limit, audit): behind PROXY_COUNT trusted proxies only
the entries they appended to X-Forwarded-For count, from the right; whatever the client writes there itself is
never believed. These requests carry the headers nginx (ops/nginx-kubeprogram.conf) would pass on:
`$proxy_add_x_forwarded_for` is the client's own header, if any, then the address nginx saw."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from complaints import services as complaint_services
from complaints.models import Complaint
from core.client import client_address
from tests.factories import PASSWORD, PimpinanFactory

LOGIN = "/akun/masuk/"
NGINX = "127.0.0.1"  # nginx on the same machine: the socket's address gunicorn sees


def _request(remote=NGINX, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def _behind_nginx(client_header, real):
    """The X-Forwarded-For nginx sends: the client's own header (if any), then the address nginx saw."""
    return f"{client_header}, {real}" if client_header else real


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy: the header is the client's own, ignored
        (1, NGINX, "203.0.113.7", "203.0.113.7"),  # an honest citizen behind nginx
        (1, NGINX, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # a spoofed entry to the left is passed over
        (1, NGINX, "1.1.1.1, 2.2.2.2, 203.0.113.7", "203.0.113.7"),
        (1, NGINX, None, NGINX),  # not through nginx: the socket's address, never a chosen one
        (1, NGINX, "bukan-alamat", NGINX),
        (2, NGINX, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # a load balancer, then nginx
        (2, NGINX, "203.0.113.7", NGINX),  # fewer entries than proxies: not believed
        (1, NGINX, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_address_is_counted_from_the_right_by_the_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.PROXY_COUNT = proxies
    assert client_address(_request(remote, forwarded)) == expected


@pytest.mark.django_db
def test_a_spoofed_header_does_not_escape_the_lockout_behind_nginx(client, settings):
    """15 wrong passwords, each with a new X-Forwarded-For of the attacker's choosing: locked after the limit, and
    the right password is refused too. An honest colleague at another address is not locked with them."""
    settings.PROXY_COUNT = 1
    user = PimpinanFactory()
    attacker = "203.0.113.66"
    answers = []
    for n in range(15):
        forwarded = _behind_nginx(f"10.9.{n}.{n}", attacker)
        response = client.post(
            LOGIN, {"username": user.username, "password": "salah"}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded
        )
        answers.append(response.status_code)
    assert answers[settings.AXES_FAILURE_LIMIT - 1 :] == [429] * (15 - settings.AXES_FAILURE_LIMIT + 1)
    right = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=_behind_nginx("10.200.0.1", attacker),
    )  # fmt: skip
    assert right.status_code == 429
    honest = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert honest.status_code == 302  # keyed on username and the real address: another office logs in


@pytest.mark.django_db
def test_the_public_rate_limit_holds_against_a_spoofed_header_and_spares_other_citizens(client, settings):
    settings.PROXY_COUNT = 1
    url = reverse("complaints:public_submit")
    data = {"regency": "64.72", "category": "lainnya"}
    flooder = "203.0.113.66"
    for n in range(complaint_services.PUBLIC_PER_HOUR + 5):
        client.post(
            url, data | {"description": f"Banjir {n}"}, REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=_behind_nginx(f"10.0.0.{n}", flooder),
        )  # fmt: skip
    assert Complaint.objects.count() == complaint_services.PUBLIC_PER_HOUR
    client.cookies.clear()
    citizen = client.post(
        url, data | {"description": "Bantuan belum diterima"}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.23"
    )
    assert citizen.status_code == 302 and Complaint.objects.count() == complaint_services.PUBLIC_PER_HOUR + 1
