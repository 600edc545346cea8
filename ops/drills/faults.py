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
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
import stage
from stage import (
    APP,
    APP_PORT,
    BASE,
    PG_BIN,
    PG_PORT,
    PY,
    REDIS_PORT,
    ROWS,
    Browser,
    check,
    checked_upload,
    failures,
    items,
    job_of,
    job_row,
    manage,
    orphans,
    postgres,
    postgres_start,
    processes,
    redis_start,
    redis_stop,
    run,
    save,
    say,
    sql,
    start_app,
    wait_job,
    wait_running,
    work,
    worker_children,
)

# The drills ---------------------------------------------------------------------------------------------------------


def _job_after_fault(admin, job, state: dict, proposal: dict) -> dict:
    """The job a fault hit while it ran: it ends (never left running) and its rows are all written or none, never
    twice. Returns its final state."""
    check("the fault hit the job while it ran", state["status"] == "berjalan", str(state))
    final = wait_job(admin, job)
    count = items(proposal["pk"])
    say(f"  the user saw: {final['status']} after {final['attempts']} attempt(s) — {final['message'][:140]}")
    say(f"  data: {count} of {proposal['rows']} proposal items")
    check("the job ended (not left running)", final["status"] in ("selesai", "gagal"), str(final))
    check("rows written all or none, never twice", count in (0, proposal["rows"]), str(count))
    return final


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
    final = _job_after_fault(admin, job, state, proposal)
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
    final = _job_after_fault(admin, job, state, proposal)
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
    if not stage.mounted:
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
    started = time.monotonic()
    try:
        (work / "media").mkdir()
        stage.mounted = (
            run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", work / "media", check_rc=False).returncode == 0
        )
        media = "tmpfs 48 MB" if stage.mounted else "a folder"
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
        if stage.mounted:
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
