"""Checks run through nginx by ops/drills/nginx: what an office browser, a load balancer and an attacker meet on a
deployment made as docs/operations.md says. Exits 1 naming each check that failed."""

import functools
import http.client
import os
import re
import secrets
import ssl
import sys

import requests
import urllib3
from requests.adapters import HTTPAdapter

urllib3.disable_warnings()  # the drill's certificate is self-signed
TIMEOUT = 30
HOST = os.environ["DRILL_HOST"]
HTTP = os.environ["DRILL_HTTP"]
HTTPS = os.environ["DRILL_HTTPS"]
PASSWORD = os.environ["DRILL_PASSWORD"]
ORIGIN = f"https://{HOST}"
failures: list[str] = []


def check(what: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}{'' if ok else ' — ' + detail}")
    if not ok:
        failures.append(what)


class FromAddress(HTTPAdapter):
    """Requests leaving from another local address (127.0.0.2): another client, as nginx sees it."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser(address: str = "127.0.0.1") -> requests.Session:
    session = requests.Session()
    session.verify = False
    # verify=False on each request: a REQUESTS_CA_BUNDLE in the environment would win over session.verify
    session.request = functools.partial(session.request, timeout=TIMEOUT, verify=False)
    session.headers.update({"Host": HOST, "Accept-Language": "id-ID,id;q=0.9", "Origin": ORIGIN,
                            "Referer": ORIGIN + "/"})  # fmt: skip
    if address != "127.0.0.1":
        session.mount("https://", FromAddress(address))
        session.mount("http://", FromAddress(address))
    return session


def token(session: requests.Session, path: str) -> str:
    page = session.get(HTTPS + path, allow_redirects=False)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return found.group(1) if found else ""


def login(session: requests.Session, username: str, password: str, spoof: str | None = None):
    headers = {"X-Forwarded-For": spoof} if spoof else {}
    data = {"csrfmiddlewaretoken": token(session, "/akun/masuk/"), "username": username, "password": password}
    return session.post(HTTPS + "/akun/masuk/", data=data, headers=headers, allow_redirects=False)


def spoofed() -> str:
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"


# A load balancer and a browser on plain HTTP ----------------------------------------------------------------------
for name, headers in (("by name", {"Host": HOST}), ("by address", {})):
    health = requests.get(HTTP + "/healthz", headers=headers, allow_redirects=False, timeout=TIMEOUT)
    check(f"/healthz over HTTP ({name}) answers 200", health.status_code == 200, f"{health.status_code}")
plain = requests.get(HTTP + "/akun/masuk/", headers={"Host": HOST}, allow_redirects=False, timeout=TIMEOUT)
check("HTTP is sent to HTTPS", plain.status_code == 301 and plain.headers.get("Location", "").startswith(ORIGIN),
      f"{plain.status_code} {plain.headers.get('Location')}")  # fmt: skip

# An office browser over HTTPS -------------------------------------------------------------------------------------
office = browser()
page = office.get(HTTPS + "/akun/masuk/")
headers = page.headers
check("the login page answers 200", page.status_code == 200, str(page.status_code))
check("HSTS is sent", "max-age=" in headers.get("Strict-Transport-Security", ""))
csp = headers.get("Content-Security-Policy", "")
check("the Content-Security-Policy is enforced, with a nonce", "'nonce-" in csp and "object-src 'none'" in csp, csp)
nonce = re.search(r"'nonce-([^']+)'", csp)
check("the page's scripts carry that nonce", nonce is not None and f'nonce="{nonce.group(1)}"' in page.text)
check("no type sniffing, no framing", headers.get("X-Content-Type-Options") == "nosniff"
      and headers.get("X-Frame-Options") == "DENY")  # fmt: skip
signed_in = login(office, "admin_drill", PASSWORD)
check("Admin Provinsi signs in over HTTPS", signed_in.status_code == 302, f"{signed_in.status_code}")
cookie = next((c for c in office.cookies if c.name == "sessionid"), None)
check("the session cookie is Secure and HttpOnly", cookie is not None and cookie.secure
      and cookie.has_nonstandard_attr("HttpOnly"))  # fmt: skip
for path in ("/", "/dasbor/", "/usulan/", "/penduduk/", "/lapangan/", "/monev/", "/pengaduan/", "/audit/"):
    response = office.get(HTTPS + path, allow_redirects=False)
    check(f"{path} answers 200 behind nginx", response.status_code == 200, str(response.status_code))
home = office.get(HTTPS + "/")
check("a signed-in page is not stored by caches", "no-store" in home.headers.get("Cache-Control", ""))
export = office.get(HTTPS + "/penduduk/unduh/", stream=True)
body = b"".join(export.iter_content(65536))
check("a streamed export arrives whole (xlsx)", export.status_code == 200 and body[:2] == b"PK"
      and "spreadsheetml" in export.headers.get("Content-Type", ""), f"{export.status_code} {body[:20]!r}")  # fmt: skip

# An upload above nginx's limit: refused by nginx itself, with a page in Indonesian --------------------------------
connection = http.client.HTTPSConnection(HTTPS.split("//")[1].split(":")[0], int(HTTPS.rsplit(":", 1)[1]),
                                         context=ssl._create_unverified_context())  # fmt: skip
connection.putrequest("POST", "/pengaduan/lapor/", skip_host=True)
connection.putheader("Host", HOST)
connection.putheader("Content-Type", "multipart/form-data; boundary=x")
connection.putheader("Content-Length", str(50 * 1024 * 1024))
connection.endheaders()
too_large = connection.getresponse()
text = too_large.read().decode("utf-8", "replace")
check("an upload above 40 MB is refused by nginx (413) with a page in Indonesian",
      too_large.status == 413 and "Berkas terlalu besar" in text, f"{too_large.status} {text[:120]}")  # fmt: skip

# The login lockout behind the proxy: a header the client writes does not choose the address -----------------------
attacker = browser()
for _ in range(6):
    login(attacker, "pimpinan_drill", "salah-" + secrets.token_hex(4), spoof=spoofed())
locked = login(attacker, "pimpinan_drill", PASSWORD, spoof=spoofed())
check("after 6 wrong passwords, each with a new X-Forwarded-For, the right one is refused (locked)",
      locked.status_code != 302, f"{locked.status_code}")  # fmt: skip
elsewhere = login(browser("127.0.0.2"), "pimpinan_drill", PASSWORD)
check("the same account signs in from another address (the lock is that address's)",
      elsewhere.status_code == 302, f"{elsewhere.status_code}")  # fmt: skip

# The public complaint limit behind the proxy ------------------------------------------------------------------------
citizen = browser()
answers = []
for n in range(6):
    data = {"csrfmiddlewaretoken": token(citizen, "/pengaduan/lapor/"), "regency": "64.72", "category": "lainnya",
            "description": f"Pertanyaan uji nomor {n} {secrets.token_hex(3)}"}  # fmt: skip
    answers.append(citizen.post(HTTPS + "/pengaduan/lapor/", data=data, headers={"X-Forwarded-For": spoofed()},
                                allow_redirects=False).status_code)  # fmt: skip
check("5 complaints an hour from one address, whatever X-Forwarded-For says; the 6th refused",
      answers[:5] == [302] * 5 and answers[5] == 429, str(answers))  # fmt: skip
neighbour = browser("127.0.0.2")
data = {"csrfmiddlewaretoken": token(neighbour, "/pengaduan/lapor/"), "regency": "64.72", "category": "lainnya",
        "description": "Pertanyaan dari alamat lain"}  # fmt: skip
other = neighbour.post(HTTPS + "/pengaduan/lapor/", data=data, allow_redirects=False)
check("a citizen at another address is not blocked by them", other.status_code == 302, str(other.status_code))

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
