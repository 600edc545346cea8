"""The fault drills (ops/drills/faults; CI runs them, `make drills` too): the app as deployed — gunicorn and a Celery
worker with the production settings, on a PostgreSQL cluster and a Redis of the drill's own (own ports, own
folders: the machine's shared ones are never touched), uploads on a small tmpfs — and then what production does to
it:

  worker   the Celery process saving a workbook killed (SIGKILL) mid-job
  restart  PostgreSQL restarted (-m fast) while a workbook is being saved
  redis    Redis stopped: the pages, a sign-in, /healthz, a large upload, a small one
  disk     the media disk full while a complaint with a letter is sent
  replay   one phone action sent 8 times at once
  backup   ops/backup while the site is written to, then ops/restore of it

Each prints what it did, what the user saw and what the data looked like afterwards, and fails on a job left
running, a 500 where a message is due, a lost or doubled row, or a file without its row.

    .venv/bin/python ops/drills/faults.py [drill ...]      (as root: the tmpfs and the private cluster need it)
"""

import concurrent.futures
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
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
        stdout=subprocess.DEVNULL,  # fmt: skip
    )
    for _ in range(50):
        if run("redis-cli", "-p", str(REDIS_PORT), "ping", check_rc=False).stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("redis did not start")


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


# The drills ---------------------------------------------------------------------------------------------------------


def drill_worker(setup: dict) -> None:
    say("\n== worker: the Celery process saving a workbook is killed (SIGKILL) mid-job")
    proposal = setup["proposals"]["killed"]
    admin = Browser("admin")
    job = save(admin, checked_upload(admin, proposal))
    state = wait_running(job)
    killed = worker_children()
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    say(
        f"  did: killed worker processes {killed} while the job was {state['status']} at {state['done']} of "
        f"{proposal['rows']} rows"
    )
    check("the fault hit the job while it ran", state["status"] == "berjalan", str(state))
    final = wait_job(admin, job)
    count = items(proposal["pk"])
    say(f"  the user saw: {final['status']} after {final['attempts']} attempt(s) — {final['message'][:140]}")
    say(f"  data: {count} of {proposal['rows']} proposal items")
    check("the job ended (not left running)", final["status"] in ("selesai", "gagal"), str(final))
    check("rows written all or none, never twice", count in (0, proposal["rows"]), str(count))
    if final["status"] == "gagal":
        check("a failed job says why", "berhenti" in final["message"] or "Coba lagi" in final["message"])


def drill_restart(setup: dict) -> None:
    say("\n== restart: PostgreSQL restarted (-m fast) while a workbook is saved")
    proposal = setup["proposals"]["restart"]
    admin = Browser("admin")
    upload_url = checked_upload(admin, proposal)
    job = save(admin, upload_url)
    state = wait_running(job)
    postgres("fast")
    say(
        f"  did: restarted PostgreSQL while the job was {state['status']} at {state['done']} of {proposal['rows']} rows"
    )
    check("the fault hit the job while it ran", state["status"] == "berjalan", str(state))
    final = wait_job(admin, job)
    count = items(proposal["pk"])
    say(f"  the user saw: {final['status']} — {final['message'][:160]}")
    say(f"  data: {count} of {proposal['rows']} proposal items")
    check("the job ended (not left running)", final["status"] in ("selesai", "gagal"), str(final))
    check("rows written all or none", count in (0, proposal["rows"]), str(count))
    if final["status"] == "gagal":
        page = admin.get(upload_url).text
        check("the upload's page says the save failed and offers Simpan again",
              'data-testid="upload-save-failed"' in page and "Simpan ke usulan" in page)  # fmt: skip
        again = wait_job(admin, save(admin, upload_url))
        count = items(proposal["pk"])
        say(f"  saved again: {again['status']}, {count} items")
        check("saving again after the restart writes every row once", count == proposal["rows"], str(count))


def drill_redis(setup: dict) -> None:
    say("\n== redis: Redis stopped (the cache, the sessions' cache and the broker)")
    admin = Browser("admin")
    redis_stop()
    say("  did: stopped Redis")
    pages = {path: admin.get(path).status_code for path in ("/", "/dasbor/", "/penduduk/", "/usulan/", "/lapangan/")}
    say(f"  the user saw: {pages}")
    check("every page answers 200", set(pages.values()) == {200}, str(pages))
    check("a new sign-in works", Browser("pimpinan").get("/").status_code == 200)
    health = requests.get(f"{BASE}/healthz", timeout=10)
    say(f"  /healthz: {health.status_code} {health.text.strip()!r}")
    degraded = "cache: unavailable" in health.text and "broker: unavailable" in health.text
    check("/healthz answers 200 and says the cache and broker are down", health.status_code == 200 and degraded)
    jobs_before = sql("select count(*) from jobs_job")
    large = setup["proposals"]["broker"]
    with open(large["file"], "rb") as handle:
        response = admin.post_form(f"/usulan/{large['pk']}/unggah/", {}, files={"workbook": ("u.xlsx", handle)},
                                   page=f"/usulan/{large['pk']}/")  # fmt: skip
    landed = admin.get(response.headers.get("Location", "/")).text if response.status_code == 302 else response.text
    told = response.status_code == 302 and "Layanan latar sedang tidak tersedia" in landed
    check(f"a large upload ({large['rows']} rows) is refused with the message, not a 500", told,
          str(response.status_code))  # fmt: skip
    check("no job row left behind", sql("select count(*) from jobs_job") == jobs_before)
    small = setup["proposals"]["small"]
    with open(small["file"], "rb") as handle:
        response = admin.post_form(f"/usulan/{small['pk']}/unggah/", {}, files={"workbook": ("u.xlsx", handle)},
                                   page=f"/usulan/{small['pk']}/")  # fmt: skip
    job = job_of(response)
    state = job_row(job) if job else {"status": "none"}
    check(f"a small one ({small['rows']} rows) is checked inline instead", state["status"] == "selesai", str(state))
    redis_start()
    say("  did: started Redis again")
    check("the pages answer with Redis back", admin.get("/dasbor/").status_code == 200)


def drill_disk(setup: dict) -> None:
    say("\n== disk: the media disk full while a complaint with a letter is sent")
    if not mounted:
        check("the media folder is a small tmpfs (needs root)", False, "mount -t tmpfs refused")
        return
    media = work / "media"
    free = shutil.disk_usage(media).free
    with open(media / "filler", "wb") as handle:
        handle.write(b"\0" * max(free - 20 * 1024, 0))
    complaints_before = sql("select count(*) from complaints_complaint")
    letter = b"%PDF-1.4\n" + b"0" * 200 * 1024 + b"\n%%EOF\n"
    citizen = Browser()
    response = citizen.post_form("/pengaduan/lapor/", {"regency": "64.72", "category": "lainnya",
                                                       "description": "Surat permohonan (uji disk penuh)"},
                                 files={"attachments": ("surat.pdf", letter, "application/pdf")})  # fmt: skip
    say(f"  did: filled the disk to 20 KB free, sent a complaint with a 200 KB letter → {response.status_code}")
    check("the form says the file could not be stored, not the 500 page",
          response.status_code == 200 and "Berkas tidak dapat disimpan di server" in response.text,
          str(response.status_code))  # fmt: skip
    check("no complaint half-saved", sql("select count(*) from complaints_complaint") == complaints_before)
    left = orphans()
    check("no file without its row", left == [], str(left[:5]))
    (media / "filler").unlink()


def drill_replay(setup: dict) -> None:
    say("\n== replay: one phone action sent 8 times at once")
    admin = Browser("admin")
    csrf = admin.get("/lapangan/kirim/").json()["csrf"]
    action = str(uuid.uuid4())
    form = {"id": action, "kind": "kehadiran", "target": str(setup["attendance"]), "status": "present",
            "done_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())}  # fmt: skip

    def send(_):
        return admin.post("/lapangan/kirim/", data=form, headers={"X-CSRFToken": csrf}).json()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    stored = int(sql(f"select count(*) from fieldwork_fieldaction where client_id = '{action}'"))
    results = sorted({a["result"] for a in answers})
    say(f"  the phone saw: {results}, {sum(a['duplicate'] for a in answers)} answered as repeats")
    check("applied once", stored == 1 and sum(not a["duplicate"] for a in answers) == 1, f"{stored} rows {answers}")


def drill_backup(setup: dict) -> None:
    say("\n== backup: ops/backup while the site is written to, then ops/restore of it")
    admin = Browser("admin")
    stop = time.monotonic() + 8
    written = []

    def write():
        csrf = admin.get("/lapangan/kirim/").json()["csrf"]
        while time.monotonic() < stop:
            form = {"id": str(uuid.uuid4()), "kind": "kehadiran", "target": str(setup["attendance"]),
                    "status": secrets.choice(["present", "absent"])}  # fmt: skip
            written.append(admin.post("/lapangan/kirim/", data=form, headers={"X-CSRFToken": csrf}).status_code)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        load = pool.submit(write)
        time.sleep(1)
        files = run("ops/backup", str(work / "backups"), env=dict(APP, KEEP="1")).stdout.split()
        load.result()
    sql("CREATE DATABASE kube_restored", f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres")
    restored = f"postgres://postgres@127.0.0.1:{PG_PORT}/kube_restored"
    run("ops/restore", *files, env=dict(APP, DATABASE_URL=restored, MEDIA_ROOT=str(work / "restored")))
    say(f"  did: {len(written)} writes during the backup; restored {', '.join(Path(f).name for f in files)}")
    check("every write during the backup answered", set(written) <= {200}, str(set(written)))
    migrated = run(PY, "manage.py", "migrate", "--check", env=dict(APP, DATABASE_URL=restored), check_rc=False)
    check("the restored copy needs no migration", migrated.returncode == 0, migrated.stdout[-300:])
    referenced = run(PY, "manage.py", "shell", "-v", "0", "-c",
                     "from kubeprogram.media import referenced; print(len(referenced()))",
                     env=dict(APP, DATABASE_URL=restored, MEDIA_ROOT=str(work / "restored")))  # fmt: skip
    say(f"  data: the restored copy points at {referenced.stdout.strip()} files")


DRILLS = {"worker": drill_worker, "restart": drill_restart, "redis": drill_redis, "disk": drill_disk,
          "replay": drill_replay, "backup": drill_backup}  # fmt: skip


def main(names: list[str]) -> int:
    global mounted
    started = time.monotonic()
    try:
        (work / "media").mkdir()
        mounted = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", work / "media", check_rc=False).returncode == 0
        media = "tmpfs 48 MB" if mounted else "a folder"
        say(f"-- private PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT}, app :{APP_PORT}, media {media}")
        postgres_start()
        sql("CREATE DATABASE kube", f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres")
        redis_start()
        manage("migrate", "--no-input", "-v", "0")
        manage("collectstatic", "--no-input", "-v", "0")
        manage("seed_demo", settings="dev")
        script = (Path(__file__).parent / "faults_setup.py").read_text()
        made = manage("shell", "-v", "0", "-c", script, settings="dev", DRILL_WORK=str(work),
                      DRILL_ROWS=json.dumps(ROWS))  # fmt: skip
        setup = json.loads(made.splitlines()[-1])
        start_app()
        for name in names or list(DRILLS):
            try:
                DRILLS[name](setup)
            except Exception as error:  # noqa: BLE001 — a drill that breaks is a failed drill, the others go on
                check(f"{name} ran to its end", False, repr(error)[:400])
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        run("runuser", "-u", "postgres", "--", PG_BIN / "pg_ctl", "-D", work / "pg", "-m", "immediate", "stop",
            check_rc=False)  # fmt: skip
        if mounted:
            run("umount", work / "media", check_rc=False)
        if failures:
            for log in ("worker.log", "gunicorn.log"):
                say(f"--- {log} (last lines)")
                if (work / log).exists():
                    say("\n".join((work / log).read_text(errors="replace").splitlines()[-25:]))
        shutil.rmtree(work, ignore_errors=True)
    say(f"\n-- {len(failures)} failure(s) in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
