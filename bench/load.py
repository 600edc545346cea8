"""Load test: gunicorn (2 workers, as on the office server) with the production settings (DEBUG off, hashed static
files, sessions and cache in Redis, the dashboard's figures kept a minute) on 127.0.0.1 against the bench
database, each request marked as nginx marks it (X-Forwarded-Proto: https); clients logged in as each role drive a
mix of pages for a bounded time — home, filtered and searched people lists, the person page, proposals and a
proposal page, the dashboard, the monitoring and field worklists; beside it, in the same run, the floor: the same
clients asking only a minimal logged-in view (the unread-notification count). The median of each page is printed,
so the slowest is named.

    .venv/bin/python bench/load.py                          # 8 and 32 clients, 20 s each, sessions in Redis
    .venv/bin/python bench/load.py --no-redis --seconds 10  # database sessions (one query more per request)

Needs PostgreSQL (DATABASE_URL, default the bench database) with people and a season in it (bench/worklists.py
seeds 100,000 recipients with their visits in 2097; bench/people_list.py fills the registry to 1,000,000) and, for
--redis, Redis on 127.0.0.1:6379. Only ever talks to 127.0.0.1. Prints req/s, p50 / p95 / p99 latency and errors
per phase.
"""

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.production"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("STATIC_ROOT", "/tmp/kube-bench-static")  # collected first: the pages link hashed files
PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = f"https://127.0.0.1:{PORT}"  # as the browser sees the site behind nginx
HEADERS = {"X-Forwarded-Proto": "https"}  # what nginx adds (ops/nginx-kubeprogram.conf)
YEAR = 2097  # the season of bench/worklists.py
PASSWORD = "Bench-load-2026!"
ROLES = {  # username: (role, regency, weight of the clients)
    "load.admin": ("admin_provinsi", None, 2),
    "load.verifikator": ("verifikator", None, 2),
    "load.operator": ("operator", "64.72", 3),
    "load.pimpinan": ("pimpinan", None, 1),
}
# The mix each role drives (path, weight). {person} and {proposal} are drawn for each request from the role's own
# people and proposals (ensure_targets).
MIX = {
    "admin_provinsi": [("/", 2), ("/penduduk/", 2), ("/penduduk/?q=siti", 1), ("/penduduk/?sex=P&age=40-49", 1),
                       ("/penduduk/{person}/", 2), ("/dasbor/", 1), ("/usulan/", 1), ("/usulan/{proposal}/", 1),
                       ("/monev/", 1), ("/lapangan/", 1)],
    "verifikator": [("/", 2), ("/usulan/", 3), ("/usulan/{proposal}/", 2), ("/penduduk/?q=6472", 2),
                    ("/penduduk/{person}/", 1), ("/dasbor/", 1)],
    "operator": [("/", 2), ("/penduduk/", 2), ("/penduduk/?q=dewi", 1), ("/penduduk/?desil=1", 1),
                 ("/penduduk/{person}/", 2), ("/usulan/", 1), ("/usulan/{proposal}/", 1), ("/monev/", 2),
                 ("/lapangan/", 2)],
    "pimpinan": [("/dasbor/", 4), ("/", 1), ("/monev/", 1)],
}  # fmt: skip
TARGETS: dict[str, dict[str, list[int]]] = {}  # role -> {"person": [...], "proposal": [...]}
FLOOR = "/pemberitahuan/jumlah/"


def ensure_users():
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import roles_sync

    roles_sync()
    for username, (role, regency, _) in ROLES.items():
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": username})
        user.set_password(PASSWORD)
        user.regency_id = regency
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=Role(role).label)])
    ensure_targets()


def ensure_targets():
    """The season's year open (the worklists show it), and for each role the people and proposals it may open: the
    year's recipients (Samarinda's for the operator) and the year's proposals."""
    from disbursements.models import Handover
    from programs.models import BudgetYear
    from proposals.models import Proposal

    BudgetYear.objects.exclude(year=YEAR).filter(status="open").update(status="planning")
    BudgetYear.objects.filter(year=YEAR).update(status="open")
    for role, regency in {r: g for r, g, _ in ROLES.values()}.items():
        handovers = Handover.objects.filter(budget_year__year=YEAR, allocation__item__person__isnull=False)
        proposals = Proposal.objects.filter(budget_year__year=YEAR)
        if regency:
            handovers, proposals = handovers.filter(regency=regency), proposals.filter(regency=regency)
        people = list(handovers.values_list("allocation__item__person", flat=True)[:500])
        TARGETS[role] = {"person": people, "proposal": list(proposals.values_list("pk", flat=True)[:50])}
        if not people or not TARGETS[role]["proposal"]:
            raise SystemExit(f"no recipients or proposals of {YEAR} for {role}: run bench/worklists.py first")


def start_server(redis: bool) -> subprocess.Popen:
    # As on a server: the dashboard's figures kept for a minute, so it is counted afresh once a minute.
    env = os.environ | {"REDIS_URL": "redis://127.0.0.1:6379/7" if redis else "", "DASHBOARD_CACHE_SECONDS": "60"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "kubeprogram.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--env", "DJANGO_SETTINGS_MODULE=kubeprogram.settings.production", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
            return server
        except (urllib.error.URLError, OSError):  # not listening yet, or a worker still starting (a timeout)
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class SecureOverPlainHttp(http.cookiejar.DefaultCookiePolicy):
    """The cookies are marked Secure (the site is HTTPS behind nginx); the bench talks plain HTTP to gunicorn."""

    def return_ok_secure(self, cookie, request):
        return True


class Client:
    def __init__(self, username: str):
        self.jar = http.cookiejar.CookieJar(SecureOverPlainHttp())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = list(HEADERS.items())
        page = self.opener.open(f"{BASE}/akun/masuk/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        request = urllib.request.Request(f"{BASE}/akun/masuk/", data=data.encode(), headers={"Referer": ORIGIN + "/"})
        response = self.opener.open(request, timeout=30)
        if "/akun/masuk/" in response.geturl():
            raise SystemExit(f"{username} could not log in")

    def get(self, path: str) -> bool:
        try:
            with self.opener.open(BASE + path, timeout=30) as response:
                response.read()
                return response.status == 200 and "/akun/masuk/" not in response.geturl()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False


def phase(clients: int, seconds: float, *, floor: bool) -> dict:
    users = [u for u, (_, _, weight) in ROLES.items() for _ in range(weight)]
    sessions = [(Client(users[i % len(users)]), ROLES[users[i % len(users)]][0]) for i in range(clients)]
    latencies: list[float] = []
    by_path: dict[str, list[float]] = {}
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def drive(client: Client, role: str, seed: int):
        pick = random.Random(seed)
        paths, weights = zip(*MIX[role], strict=True)
        while time.monotonic() < stop:
            page = FLOOR if floor else pick.choices(paths, weights)[0]
            path = page.format(**{kind: pick.choice(ids) for kind, ids in TARGETS[role].items()})
            started = time.perf_counter()
            ok = client.get(path)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                by_path.setdefault(page, []).append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=drive, args=(c, r, n)) for n, (c, r) in enumerate(sessions)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - began
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "clients": clients,
        "requests": len(latencies),
        "rps": len(latencies) / took,
        "p50": statistics.median(latencies) * 1000,
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": errors[0],
        "paths": {path: statistics.median(times) * 1000 for path, times in sorted(by_path.items())},
    }


WRK_SCRIPT = """
local seat_count = 0
function setup(thread)
  thread:set("seat", seat_count % #COOKIES + 1)
  seat_count = seat_count + 1
  table.insert(THREADS, thread)
end
function init(args)
  errors = 0
  math.randomseed(seat * 7919)
end
function request()
  local paths = PATHS[seat]
  return wrk.format("GET", paths[math.random(#paths)], {["Cookie"] = COOKIES[seat], ["X-Forwarded-Proto"] = "https"})
end
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
function done(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(THREADS) do failed = failed + thread:get("errors") end
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, failed))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_phase(clients: int, seconds: float, *, floor: bool) -> dict:
    """The same seats, mix and floor driven by wrk (C, one thread per seat), so the client's own CPU stays small
    beside the server's; wrk's latencies are of every request, its errors every answer other than 200."""
    users = [u for u, (_, _, weight) in ROLES.items() for _ in range(weight)]
    cookies, paths = [], []
    for seat, username in enumerate(users):
        client, role = Client(username), ROLES[username][0]
        cookies.append("; ".join(f"{c.name}={c.value}" for c in client.jar))
        pick = random.Random(seat)
        mix, weights = zip(*MIX[role], strict=True)
        drawn = [FLOOR] if floor else [pick.choices(mix, weights)[0] for _ in range(2000)]
        paths.append([p.format(**{k: pick.choice(ids) for k, ids in TARGETS[role].items()}) for p in drawn])
    tables = (
        "THREADS = {}\nCOOKIES = {"
        + ", ".join(map(lua_string, cookies))
        + "}\nPATHS = {"
        + ", ".join("{" + ", ".join(map(lua_string, seat)) + "}" for seat in paths)
        + "}\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(tables + WRK_SCRIPT)
    try:
        threads = min(len(users), clients)
        out = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:.0f}s", "--timeout", "30s", "-s",
             script.name, BASE + "/"], capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    requests, micros, p50, p95, p99, errors = re.search(r"RESULT (.+)", out).group(1).split()
    return {"clients": clients, "requests": int(requests), "rps": int(requests) / (int(micros) / 1e6),
            "p50": float(p50), "p95": float(p95), "p99": float(p99), "errors": int(errors)}  # fmt: skip


def page_medians(repeat: int = 5) -> dict:
    """Each page of the mix asked alone, one after another (no queueing), as each role that has it: its median."""
    medians = {}
    for username, (role, _, _) in ROLES.items():
        client = Client(username)
        for page, _ in MIX[role]:
            path = page.format(**{kind: ids[0] for kind, ids in TARGETS[role].items()})
            client.get(path)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - started)
            medians[f"{page} ({role})"] = statistics.median(times) * 1000
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--no-redis", action="store_true", help="database sessions instead of Redis")
    parser.add_argument(
        "--driver", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python",
        help="wrk (apt-get install wrk; the default where it is installed) or Python threads",
    )  # fmt: skip
    args = parser.parse_args()
    ensure_users()
    # Fresh statistics and visibility maps, as autovacuum leaves them on a server (it is off on this machine; the
    # catalogs are not ours to vacuum, hence the warnings silenced).
    quiet, analyze = "SET client_min_messages = error", "VACUUM (ANALYZE)"  # VACUUM: a statement of its own
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-q", "-c", quiet, "-c", analyze], check=True)
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
    )
    server = start_server(redis=not args.no_redis)
    try:
        print(f"gunicorn 2 workers, production settings, sessions in "
              f"{'the database' if args.no_redis else 'Redis (cached_db)'}; clients: {args.driver}")  # fmt: skip
        medians = sorted(page_medians().items(), key=lambda item: -item[1])
        print("median per page, asked alone: " + ", ".join(f"{p} {ms:.0f} ms" for p, ms in medians))
        drive = wrk_phase if args.driver == "wrk" else phase
        header = ("clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
        print(f"{'phase':<28}" + "".join(f"{h:>9}" for h in header))
        for clients in args.clients:
            for name, floor in (("mixed pages", False), ("floor: minimal logged-in", True)):
                r = drive(clients, args.seconds, floor=floor)
                print(f"{name:<28}{r['clients']:>9}{r['requests']:>9}{r['rps']:>9.1f}{r['p50']:>9.1f}"
                      f"{r['p95']:>9.1f}{r['p99']:>9.1f}{r['errors']:>9}")  # fmt: skip
                if not floor and "paths" in r:
                    slowest = sorted(r["paths"].items(), key=lambda item: -item[1])
                    print("    median per page: " + ", ".join(f"{p} {ms:.0f} ms" for p, ms in slowest))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
