"""Load test: gunicorn (2 workers, as on the office server) on 127.0.0.1 against the bench database, clients
logged in as each role driving a realistic mix of pages for a bounded time; beside it, in the same run, the
floor: the same clients asking only a minimal logged-in view (the unread-notification count).

    .venv/bin/python bench/load.py                          # 8 and 32 clients, 20 s each, sessions in Redis
    .venv/bin/python bench/load.py --no-redis --seconds 10  # database sessions (one query more per request)

Needs PostgreSQL (DATABASE_URL, default the bench database) with people in it (bench/people_list.py or
`manage.py seed_synthetic --people N`) and, for --redis, Redis on 127.0.0.1:6379. Only ever talks to 127.0.0.1.
Prints req/s, p50 / p95 / p99 latency and errors per phase.
"""

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"
PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "Bench-load-2026!"
ROLES = {  # username: (role, regency, weight of the clients)
    "load.admin": ("admin_provinsi", None, 2),
    "load.verifikator": ("verifikator", None, 2),
    "load.operator": ("operator", "64.72", 3),
    "load.pimpinan": ("pimpinan", None, 1),
}
# The mix each role drives (path, weight): home, people, a search, a NIK lookup, the dashboard, proposals.
MIX = {
    "admin_provinsi": [("/", 2), ("/penduduk/", 3), ("/penduduk/?q=siti", 2), ("/dasbor/", 2), ("/usulan/", 2)],
    "verifikator": [("/", 2), ("/usulan/", 4), ("/penduduk/?q=6472", 2), ("/dasbor/", 1)],
    "operator": [("/", 3), ("/penduduk/", 3), ("/penduduk/?q=dewi", 2), ("/usulan/", 2)],
    "pimpinan": [("/dasbor/", 4), ("/", 1)],
}
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


def start_server(redis: bool) -> subprocess.Popen:
    # As on a server: the dashboard's figures kept for a minute (the test settings count them afresh).
    env = os.environ | {"REDIS_URL": "redis://127.0.0.1:6379/7" if redis else "", "DASHBOARD_CACHE_SECONDS": "60"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "kubeprogram.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--env", "DJANGO_SETTINGS_MODULE=kubeprogram.settings.test", "--log-level", "warning"],
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


class Client:
    def __init__(self, username: str):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(f"{BASE}/akun/masuk/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        request = urllib.request.Request(f"{BASE}/akun/masuk/", data=data.encode(), headers={"Referer": BASE + "/"})
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
            path = FLOOR if floor else pick.choices(paths, weights)[0]
            started = time.perf_counter()
            ok = client.get(path)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                by_path.setdefault(path, []).append(elapsed)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--no-redis", action="store_true", help="database sessions instead of Redis")
    args = parser.parse_args()
    ensure_users()
    # Fresh statistics and visibility maps, as autovacuum leaves them on a server (it is off on this machine; the
    # catalogs are not ours to vacuum, hence the warnings silenced).
    quiet, analyze = "SET client_min_messages = error", "VACUUM (ANALYZE)"  # VACUUM: a statement of its own
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-q", "-c", quiet, "-c", analyze], check=True)
    server = start_server(redis=not args.no_redis)
    try:
        print(f"gunicorn 2 workers, sessions in {'the database' if args.no_redis else 'Redis (cached_db)'}")
        header = ("clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
        print(f"{'phase':<28}" + "".join(f"{h:>9}" for h in header))
        for clients in args.clients:
            for name, floor in (("mixed pages", False), ("floor: minimal logged-in", True)):
                r = phase(clients, args.seconds, floor=floor)
                print(f"{name:<28}{r['clients']:>9}{r['requests']:>9}{r['rps']:>9.1f}{r['p50']:>9.1f}"
                      f"{r['p95']:>9.1f}{r['p99']:>9.1f}{r['errors']:>9}")  # fmt: skip
                if not floor and clients == args.clients[0]:
                    print("    median per page: " + ", ".join(f"{p} {ms:.0f} ms" for p, ms in r["paths"].items()))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
