"""Every page reachable from each role's home, fetched through a live server outside any test transaction.

Requests made by Django's test client inside a test's transaction hide code that needs a transaction of its own
(an audit event written outside `atomic` answered 500 on every real server while every test passed: the
monitoring worklist's "Unduh lembar kerja"). Here the demo season is seeded, each demo user logs in through the
real form, and the pages are followed link by link, as a person clicking around would, over HTTP to a server in
autocommit mode. No answer may be a 5xx.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, deque
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from kubeprogram.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS

# Links a person would not follow while looking around: leaving, the Django admin (its own tested code), static
# files, and the service worker's scripts.
SKIP = re.compile(r"^/(akun/keluar/|admin/|static/|sw\.js|manifest\.webmanifest)")
PER_SHAPE = 3  # pages of one shape (/orang/<n>/, /usulan/<n>/?page=…) fetched per role
MAX_PAGES = 400  # per role: a bound, so a link loop cannot run away


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "hx-get"):
            if attrs.get(name) and (tag == "a" or name == "hx-get"):
                self.links.append(attrs[name])


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = ",".join(sorted(k for k, _ in urllib.parse.parse_qsl(query, keep_blank_values=True)))
    return re.sub(r"/\d+(?=/|$)", "/<n>", re.sub(r"/[0-9a-f-]{32,36}(?=/|$)", "/<uuid>", path)) + "?" + keys


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _session(base: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.addheaders = [("Accept-Language", "id-ID,id;q=0.9")]
    opener.open(f"{base}/akun/masuk/").read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    body = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{base}/akun/masuk/", data=body, headers={"Referer": f"{base}/akun/masuk/"})
    try:
        opener.open(request)
    except urllib.error.HTTPError as redirect:  # 302 to the home page: logged in
        assert redirect.code == 302, f"{username}: login answered {redirect.code}"
    else:
        pytest.fail(f"{username}: the login form did not log in")
    return opener


def crawl(base: str, username: str) -> tuple[dict[str, int], list[str]]:
    """(status by URL, URLs that answered 5xx), following every same-site link from the home page."""
    opener = _session(base, username)
    seen, statuses, failures = {"/"}, {}, []
    shapes = Counter()
    queue = deque(["/"])
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        try:
            response = opener.open(base + url, timeout=60)
            status, body = response.status, response.read()
            kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, body, kind = error.code, error.read(), error.headers.get("Content-Type", "")
            if status in (301, 302, 303) and error.headers.get("Location"):
                body, kind = f'<a href="{error.headers["Location"]}">'.encode(), "text/html"
        statuses[url] = status
        if status >= 500:
            failures.append(f"{status} {url}")
            continue
        if "text/html" not in kind:
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        for link in parser.links:
            absolute = urllib.parse.urljoin(base + url, link)
            parts = urllib.parse.urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != base:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIP.match(parts.path):
                continue
            seen.add(target)
            shape = _shape(target)
            if shapes[shape] >= PER_SHAPE:
                continue
            shapes[shape] += 1
            queue.append(target)
    return statuses, failures


@pytest.mark.django_db(transaction=True)
def test_no_page_of_any_role_answers_5xx_on_a_live_server(live_server, reference_data, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reached = {}
    failures = []
    for username, *_ in DEMO_USERS:
        statuses, failed = crawl(live_server.url, username)
        reached[username] = statuses
        failures += [f"{username}: {line}" for line in failed]
    assert not failures, "\n".join(failures)
    # The crawl went where the season lives (so a crawl that stopped at the home page cannot pass).
    operator = reached["operator.samarinda"]
    assert any(url.startswith("/monev/unduh/") for url in operator), sorted(operator)
    assert any(url.startswith("/usulan/") for url in operator)
    for username, statuses in reached.items():
        assert len(statuses) > 20, f"{username} reached only {sorted(statuses)}"
