"""Importing a proposal workbook as the officer does it, over HTTP, committed: gunicorn (2 workers) and a Celery worker
with the production settings (DEBUG off, hashed static files, sessions and cache in Redis, the broker in Redis),
each request marked as nginx marks it (X-Forwarded-Proto: https). The officer uploads the file ("Unggah"), waits for
its check (a background job above BACKGROUND_IMPORT_ROWS rows, followed here as the page follows it, by polling its
status every 50 ms), opens the preview, presses "Simpan", waits for the save job and opens the proposal. Each import
is committed into a scratch budget year (2025) that is removed afterwards with everything the import made, so every
run starts from the same registry; about a tenth of the rows name people already in the registry (updates).

Beside it, in the same run, the floors: python-calamine reading the same file, and the minimal logged-in view.

    .venv/bin/python bench/import_http.py [--sizes 1000 10000] [--repeat 3]

Needs PostgreSQL (kube_bench: people from bench/people_list.py or bench/worklists.py) and Redis on 127.0.0.1.
"""

import argparse
import http.cookiejar
import io
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.production"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("STATIC_ROOT", "/tmp/kube-bench-static")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
os.environ.setdefault("MEDIA_ROOT", "/tmp/kube-bench-media")
PORT = 8767
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = f"https://127.0.0.1:{PORT}"
HEADERS = {"X-Forwarded-Proto": "https", "Referer": ORIGIN + "/"}
PASSWORD = "Bench-import-2026!"
SCRATCH = 2025  # near the years the workbook's women are of age for (18–59), and none of the bench's seasons
POLL = 0.05


def start(processes: list) -> None:
    # The settings named again: bench.import_proposals (its workbook) sets the test settings in os.environ on import.
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "kubeprogram.settings.production"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    processes.append(subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "kubeprogram.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--timeout", "300", "--log-level", "warning"], cwd=ROOT, env=env,
    ))  # fmt: skip
    processes.append(subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "kubeprogram", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ))  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
            time.sleep(3)  # the worker's start
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def scratch_year(regency):
    """The scratch year, open, with an empty WRSE proposal of the regency; the other open years set to planning (and
    given back by remove_scratch)."""
    from programs.models import BudgetYear, Ceiling
    from proposals.models import Proposal

    year, _ = BudgetYear.objects.get_or_create(year=SCRATCH, defaults={"total_ceiling": 6_500_000_000})
    BudgetYear.objects.filter(pk=year.pk).update(status=BudgetYear.Status.OPEN)
    Ceiling.objects.get_or_create(budget_year=year, regency=regency, program="WRSE",
                                  defaults={"amount": 1_000_000_000, "target_count": 100_000})  # fmt: skip
    return Proposal.objects.create(regency=regency, budget_year=year, program="WRSE")


def existing_women(regency) -> list:
    """Up to 5,000 women of the regency the workbook names again (about a tenth of its rows: updates), of WRSE's age
    in the scratch year and within its desil in the register."""
    from beneficiaries.models import Person

    return list(
        Person.objects.filter(regency=regency, merged_into__isnull=True, sex="P", birth_date__year__range=(1966, 2005))
        .exclude(register_listing__desil__gt=5)  # above WRSE's desil in the register (bench/rechecks.py --keep)
        .select_related("district", "village")[:5000]
    )


def remove_scratch(people_before: int, user) -> None:
    """Everything the imports into the scratch year made: its proposals with their items and uploads, the people
    they added (those not in the registry before), the jobs; the year itself."""
    from django.db import connection

    from beneficiaries.models import Person
    from jobs.models import Job
    from programs.models import BudgetYear, Ceiling
    from proposals.models import Proposal, ProposalItem, ProposedPerson, Upload

    year = BudgetYear.objects.get(year=SCRATCH)
    new_people = list(
        ProposalItem.objects.filter(proposal__budget_year=year, person__id__gt=people_before).values_list(
            "person_id", flat=True
        )
    )
    ProposedPerson.objects.filter(budget_year=year).delete()
    ProposalItem.objects.filter(proposal__budget_year=year).delete()
    Upload.objects.filter(proposal__budget_year=year).delete()
    Proposal.objects.filter(budget_year=year).delete()
    Person.objects.filter(pk__in=new_people).delete()
    Job.objects.filter(user=user).delete()
    Ceiling.objects.filter(budget_year=year).delete()
    year.delete()
    with connection.cursor() as cursor:
        for table in ("beneficiaries_person", "proposals_proposalitem", "proposals_proposedperson"):
            cursor.execute(f"VACUUM ANALYZE {table}")


class Officer:
    """An officer's browser: urllib with a cookie jar that sends the Secure cookies over the plain HTTP to gunicorn
    (requests copies its jar into a fresh one per request and would drop them)."""

    def __init__(self, username: str):
        from bench.load import SecureOverPlainHttp

        jar = http.cookiejar.CookieJar(SecureOverPlainHttp())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.opener.addheaders = list(HEADERS.items())
        page, _ = self.open("/akun/masuk/")
        login = {"csrfmiddlewaretoken": self.token(page), "username": username, "password": PASSWORD}
        page, url = self.open("/akun/masuk/", urllib.parse.urlencode(login).encode())
        if "/akun/masuk/" in url:
            said = re.findall(r'role="alert"[^>]*>\s*([^<]+)', page) or re.findall(r"errorlist[^>]*><li>([^<]+)", page)
            raise SystemExit(f"{username} could not log in: {said}")

    def open(self, path: str, data: bytes | None = None, content_type: str | None = None) -> tuple[str, str]:
        """(the page, the address it ended on after redirects)."""
        request = urllib.request.Request(BASE + path if path.startswith("/") else path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        with self.opener.open(request, timeout=600) as response:
            assert response.status == 200, (path, response.status)
            return response.read().decode(), response.geturl()

    @staticmethod
    def token(page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def get(self, path: str) -> str:
        return self.open(path)[0]

    def upload(self, path: str, page: str, content: bytes) -> tuple[str, str]:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f'{self.token(page)}\r\n--{boundary}\r\nContent-Disposition: form-data; name="workbook"; '
                f'filename="usulan.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.open(path, body, f"multipart/form-data; boundary={boundary}")

    def post(self, path: str, page: str) -> tuple[str, str]:
        return self.open(path, urllib.parse.urlencode({"csrfmiddlewaretoken": self.token(page)}).encode())

    def wait(self, response: tuple[str, str]) -> str:
        """The page the officer ends on: a job's page is followed (its status polled) to where the job leads."""
        from jobs.models import Job

        page, url = response
        found = re.search(r"/pekerjaan/([0-9a-f-]{36})/", url)
        if not found:
            return page
        while True:
            job = Job.objects.get(pk=found.group(1))
            if job.status in (Job.Status.DONE, Job.Status.FAILED):
                assert job.status == Job.Status.DONE, job.message
                self.job_seconds = (job.finished_at - job.created_at).total_seconds()  # queued, then run
                began = time.perf_counter()
                page = self.get(job.result_url or job.back_url)
                self.page_seconds = time.perf_counter() - began
                return page
            time.sleep(POLL)


STEPS = ("upload request", "check job", "preview page", "save request", "save job", "proposal page")


def import_once(officer: Officer, proposal, data: bytes) -> tuple[float, float, dict]:
    """(seconds to the preview, seconds from "Simpan" to the proposal page, as the officer waits for them; the
    seconds of each step: the requests, each job from its creation to its end, the page it leads to)."""
    page = officer.get(f"/usulan/{proposal.pk}/")
    started = time.perf_counter()
    response = officer.upload(f"/usulan/{proposal.pk}/unggah/", page, data)
    steps = {"upload request": time.perf_counter() - started}
    preview = officer.wait(response)
    steps["check job"], steps["preview page"] = officer.job_seconds, officer.page_seconds
    checked = time.perf_counter()
    assert "/simpan/" in preview, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", preview))[-3000:]
    upload = re.search(rf"/usulan/{proposal.pk}/unggah/(\d+)/simpan/", preview).group(1)
    response = officer.post(f"/usulan/{proposal.pk}/unggah/{upload}/simpan/", preview)
    steps["save request"] = time.perf_counter() - checked
    officer.wait(response)
    steps["save job"], steps["proposal page"] = officer.job_seconds, officer.page_seconds
    saved = time.perf_counter()
    return checked - started, saved - checked, steps


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.db.models import Max
    from python_calamine import CalamineWorkbook

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import roles_sync
    from bench.import_proposals import workbook
    from beneficiaries.models import Person
    from programs.models import BudgetYear
    from regions.models import Regency

    regency = Regency.objects.get(code="64.72")
    roles_sync()
    user, _ = User.objects.get_or_create(username="bench.import.operator", defaults={"regency": regency})
    user.set_password(PASSWORD)
    user.regency, user.is_active = regency, True
    user.save()
    user.groups.set([Group.objects.get(name=Role.OPERATOR.label)])
    opened = list(BudgetYear.objects.filter(status=BudgetYear.Status.OPEN).exclude(year=SCRATCH).values_list("pk"))
    existing = existing_women(regency)
    processes: list = []
    try:
        start(processes)
        officer = Officer(user.username)
        floor_page = []
        for _ in range(20):
            began = time.perf_counter()
            officer.get("/pemberitahuan/jumlah/")
            floor_page.append(time.perf_counter() - began)
        floor_ms = statistics.median(floor_page) * 1000
        print(f"gunicorn 2 workers + 1 Celery worker, production settings; registry {Person.objects.count():,} "
              f"people; medians of {args.repeat}; minimal logged-in view {floor_ms:.1f} ms")  # fmt: skip
        print(f"{'rows':>7} {'preview s':>10} {'save s':>8} {'whole s':>8} {'calamine s':>11} {'whole/cal':>10}")
        for size in args.sizes:
            data = workbook(size, existing)
            runs = []
            for _ in range(args.repeat):
                people_before = Person.objects.aggregate(last=Max("pk"))["last"]
                try:
                    runs.append(import_once(officer, scratch_year(regency), data))
                finally:
                    remove_scratch(people_before, user)
            began = time.perf_counter()
            for _ in CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).iter_rows():
                pass
            floor = time.perf_counter() - began
            preview, save = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            whole = statistics.median(r[0] + r[1] for r in runs)
            print(f"{size:>7,} {preview:>10.2f} {save:>8.2f} {whole:>8.2f} {floor:>11.3f} {whole / floor:>9.0f}x")
            steps = ", ".join(f"{step} {statistics.median(r[2][step] for r in runs):.2f}" for step in STEPS)
            print(f"{'':>7} medians of the steps (s): {steps}; the rest is the polling (every {POLL * 1000:.0f} ms)")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        BudgetYear.objects.filter(pk__in=[pk for (pk,) in opened]).update(status=BudgetYear.Status.OPEN)


if __name__ == "__main__":
    main()
