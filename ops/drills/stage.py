"""The stage of the fault drills (ops/drills/faults.py): a private PostgreSQL cluster, Redis, gunicorn and a Celery
worker with the production settings; a browser that signs in; the job and data probes the drills read."""

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv/bin/python")
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v))[-1] / "bin"
OFFSET = os.getpid() % 500
PG_PORT, REDIS_PORT, APP_PORT = 40000 + OFFSET, 41000 + OFFSET, 42000 + OFFSET
ROWS = {"killed": 15000, "restart": 15000, "broker": 4000, "small": 2500}
PASSWORD = "demo-kaltim-2024"  # seed_demo's
failures: list[str] = []
work = Path(tempfile.mkdtemp(prefix="kube-faults-"))
os.chmod(work, 0o755)
processes: dict[str, subprocess.Popen] = {}
mounted = False


def say(text: str) -> None:
    print(text, flush=True)


def check(what: str, ok: bool, detail: str = "") -> bool:
    say(f"  {'ok  ' if ok else 'FAIL'} {what}{'' if ok or not detail else ' — ' + detail}")
    if not ok:
        failures.append(what)
    return ok


def run(*args, env=None, check_rc=True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT, **kwargs)
    if check_rc and result.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


# The private services ---------------------------------------------------------------------------------------------

DB = f"postgres://postgres@127.0.0.1:{PG_PORT}/kube"


def postgres_start() -> None:
    data = work / "pg"
    if not data.exists():
        data.mkdir()
        shutil.chown(data, "postgres", "postgres")
        run("runuser", "-u", "postgres", "--", PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres",
            "--no-sync", "-E", "UTF8", "--locale=C")  # fmt: skip
    run("runuser", "-u", "postgres", "--", PG_BIN / "pg_ctl", "-D", data, "-l", data / "server.log", "-w", "start",
        "-o", _options())  # fmt: skip


def _options() -> str:
    return f"-p {PG_PORT} -k {work / 'pg'} -c listen_addresses=127.0.0.1 -c fsync=off"


def postgres(mode: str) -> None:
    run("runuser", "-u", "postgres", "--", PG_BIN / "pg_ctl", "-D", work / "pg", "-m", mode, "-w", "-l",
        work / "pg" / "server.log", "restart", "-o", _options())  # fmt: skip


def sql(query: str, database: str = DB) -> str:
    return run("psql", database, "-Atc", query).stdout.strip()


def redis_start() -> None:
    log = (work / "redis.log").open("ab")  # the server keeps its own copy of the file
    processes["redis"] = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=log,  # fmt: skip
        stderr=subprocess.STDOUT,
    )
    log.close()
    # Up to 30 s: a busy machine right after the test suite once took longer than the 5 s this allowed before.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if run("redis-cli", "-p", str(REDIS_PORT), "ping", check_rc=False).stdout.strip() == "PONG":
            return
        if processes["redis"].poll() is not None:
            break
        time.sleep(0.1)
    said = (work / "redis.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"redis did not start (exit code {processes['redis'].poll()}):\n{said}")


def redis_stop() -> None:
    processes.pop("redis").terminate()
    time.sleep(0.3)


def app_env(**more) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("REPLICA_", "WORKER_", "TEST_MEDIA"))}
    environment.update({
        "DJANGO_SETTINGS_MODULE": "kubeprogram.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": DB, "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"), "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/2", "SECURE_SSL_REDIRECT": "0", "PROXY_COUNT": "0",
        "JOB_LEASE_SECONDS": "6", "JOB_HEARTBEAT_SECONDS": "1", "BACKGROUND_IMPORT_ROWS": "2000",
        "BACKGROUND_INLINE_MAX_ROWS": "3000", "PROPOSAL_WORKBOOK_MAX_ROWS": "20000", "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    environment.update(more)
    return environment


APP = app_env()


def manage(*args, settings="production", **more) -> str:
    environment = dict(APP, **more)
    environment["DJANGO_SETTINGS_MODULE"] = f"kubeprogram.settings.{settings}"
    return run(PY, "manage.py", *args, env=environment).stdout


def start_app() -> None:
    processes["gunicorn"] = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "kubeprogram.wsgi",
            "--bind",
            f"127.0.0.1:{APP_PORT}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=APP,
        cwd=ROOT,
        stdout=open(work / "gunicorn.log", "w"),
        stderr=subprocess.STDOUT,  # fmt: skip
    )
    start_worker()
    for _ in range(100):
        try:
            if requests.get(f"{BASE}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def start_worker() -> None:
    processes["worker"] = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "kubeprogram", "worker", "--concurrency", "2", "--loglevel", "WARNING"],
        env=APP,
        cwd=ROOT,
        stdout=open(work / "worker.log", "a"),
        stderr=subprocess.STDOUT,
    )
    time.sleep(3)


def worker_children() -> list[int]:
    return [int(pid) for pid in run("pgrep", "-P", str(processes["worker"].pid), check_rc=False).stdout.split()]


# A browser ---------------------------------------------------------------------------------------------------------

BASE = f"http://127.0.0.1:{APP_PORT}"


class Browser(requests.Session):
    """An office browser: HTTPS as far as the app knows (X-Forwarded-Proto, as nginx sets it), cookies kept."""

    def __init__(self, username: str | None = None):
        super().__init__()
        self.headers.update({"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{APP_PORT}",
                             "Referer": f"https://127.0.0.1:{APP_PORT}/", "Accept-Language": "id-ID"})  # fmt: skip
        if username:
            signed = self.post_form("/akun/masuk/", {"username": username, "password": PASSWORD})
            if signed.status_code != 302:
                raise RuntimeError(f"{username} could not sign in: {signed.status_code}")

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 120)
        kwargs.setdefault("allow_redirects", False)
        response = super().request(method, BASE + url if url.startswith("/") else url, *args, **kwargs)
        for cookie in response.cookies:  # Secure cookies, sent back over the drill's plain HTTP
            self.cookies.set(cookie.name, cookie.value)
        return response

    def token(self, path: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path).text)
        return found.group(1) if found else self.cookies.get("csrftoken", "")

    def post_form(self, path: str, data: dict, files=None, page: str | None = None):
        data = {"csrfmiddlewaretoken": self.token(page or path), **data}
        return self.post(path, data=data, files=files)


def job_of(response) -> str | None:
    found = re.search(r"/pekerjaan/([0-9a-f-]{36})/", response.headers.get("Location", ""))
    return found.group(1) if found else None


def job_row(job: str) -> dict:
    row = sql(f"select status, done, attempts, message from jobs_job where id = '{job}'").split("|", 3)
    return {"status": row[0], "done": int(row[1]), "attempts": int(row[2]), "message": row[3]}


def wait_job(browser: Browser, job: str, seconds: int = 180) -> dict:
    """Follow the job's page as its user does (the page ends a job whose runner is gone)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            browser.get(f"/pekerjaan/{job}/status/")
            state = job_row(job)
        except (requests.RequestException, RuntimeError):
            state = {"status": "?"}
        if state["status"] in ("selesai", "gagal"):
            return state
        time.sleep(0.5)
    return job_row(job)


def items(proposal: int) -> int:
    return int(sql(f"select count(*) from proposals_proposalitem where proposal_id = {proposal}"))


def checked_upload(browser: Browser, proposal: dict) -> str:
    """Upload the workbook (checked in the background: above BACKGROUND_IMPORT_ROWS) and answer its page."""
    with open(proposal["file"], "rb") as handle:
        response = browser.post_form(f"/usulan/{proposal['pk']}/unggah/", {}, files={"workbook": ("u.xlsx", handle)},
                                     page=f"/usulan/{proposal['pk']}/")  # fmt: skip
    job = job_of(response)
    if job is None:
        raise RuntimeError(f"the upload did not become a job: {response.status_code} {response.headers}")
    state = wait_job(browser, job)
    url = sql(f"select result_url from jobs_job where id = '{job}'")
    if state["status"] != "selesai" or "/unggah/" not in url:
        raise RuntimeError(f"the check did not end on its preview: {state}")
    return url


def save(browser: Browser, upload_url: str) -> str:
    response = browser.post_form(upload_url + "simpan/", {}, page=upload_url)
    job = job_of(response)
    if job is None:
        raise RuntimeError(f"the save did not become a job: {response.status_code}")
    return job


def wait_running(job: str, seconds: int = 60, into: float = 0.5) -> dict:
    """Once the job runs, `into` seconds more: the fault then hits it in the middle of its work."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = job_row(job)
        if state["status"] == "berjalan":
            time.sleep(into)
            return job_row(job)
        if state["status"] in ("selesai", "gagal"):
            return state
        time.sleep(0.02)
    return job_row(job)


def orphans() -> list[str]:
    """Files under MEDIA_ROOT that no row points at (whatever their age)."""
    code = (
        "from kubeprogram.media import referenced; import os; root = os.environ['MEDIA_ROOT']; known = referenced(); "
        "names = (os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs); "
        "print('\\n'.join(sorted(n for n in names if n not in known)))"
    )
    return [line for line in manage("shell", "-v", "0", "-c", code).splitlines() if line and "filler" not in line]
