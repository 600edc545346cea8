"""The dashboard at 100,000 recipients (all allocated and handed over, budget year 2097 of bench/monitoring.py):
the recap (reports.selectors.recap, the figures of the dashboard and the recap workbook) now counted in SQL,
beside the way it was counted before in the same run (every approved recipient read into Python and the Bimtek
rule applied there: the peer), the whole dashboard page, the recap workbook, and the floor: the approved items
per regency alone on the cursor. Then the same year mid-season (committed, vacuumed, then undone): every Bimtek
attended and half, then all, of the BASTs waiting for their signed scan — the trained among the recipients still
waiting, from the mark the database keeps (disbursements.trained). Medians of 7 runs after a warm-up; fresh
statistics first.

    .venv/bin/python bench/monitoring.py      # seeds the 100,000 recipients once (kube_bench)
    .venv/bin/python bench/dashboard.py
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"
YEAR = 2097


from bench.monitoring import print_timings, statements_of, timed  # noqa: E402  (warm-up, then the median of 7)


def old_stage_counts(user, budget_year):
    """The counting the recap did before (kept here as the peer): approved items into Python, then attended()."""
    from disbursements.models import Allocation, Handover
    from proposals.models import ItemStatus, ProposalItem
    from training.selectors import attended

    items = ProposalItem.objects.filter(user.regency_q("proposal__regency"), proposal__budget_year=budget_year)
    approved = list(
        items.filter(status=ItemStatus.APPROVED).values_list(
            "pk", "proposal__regency", "proposal__program", "person_id", "group_id"
        )
    )
    allocated = set(
        Allocation.objects.filter(budget_year=budget_year, status="active").values_list("item_id", flat=True)
    )
    delivered = set(
        Handover.objects.realised().filter(budget_year=budget_year).values_list("allocation__item_id", flat=True)
    )
    trained = attended(
        (pk, person, group, budget_year.pk, program)
        for pk, _, program, person, group in approved
        if pk in allocated or pk in delivered
    )
    counts = {}
    for pk, regency, program, _, _ in approved:
        line = counts.setdefault((regency, program), [0, 0, 0, 0])
        line[0] += 1
        if pk in allocated or pk in delivered:
            line[1] += 1
            line[2] += pk in trained or pk in delivered
        line[3] += pk in delivered
    return counts


def mid_season(user, budget_year, *, every: int) -> list[tuple[str, float]]:
    """The same year mid-season: every recipient's Bimtek attended, and one BAST in `every` still waiting for its
    signed scan (not realised), so the funnel counts the trained among the allocated recipients not counted as
    delivered — the work it does whenever goods are still on their way (every=1: all of them, as right after
    allocating). Committed, then vacuumed and analysed as a server's autovacuum leaves the tables after a day's writes
    (the triggers rewrite the allocations' mark: measured inside the writing transaction, the recount would read
    100,000 dead row versions no server keeps), then undone: the scans given back from a scratch table, the
    attendances and sessions deleted. Checked against the counting in Python first, as at the end of the season."""
    from django.db import connection, transaction

    from reports import dashboard
    from reports.selectors import recap
    from training.models import TrainingSession

    tables = "disbursements_handover, disbursements_handoverday, disbursements_allocation, training_attendance"
    day = datetime.date(YEAR, 3, 1)
    with transaction.atomic():
        for regency in {line.regency.pk for line in recap(user=user, budget_year=budget_year).lines}:
            TrainingSession.objects.create(
                budget_year=budget_year, program="WRSE", regency_id=regency, topic="Bimtek mid-season", start_date=day,
                end_date=day, venue="Aula", capacity=100_000,
            )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO training_attendance (session_id, item_id, person_id, status) "
                "SELECT s.id, i.id, i.person_id, 'present' FROM proposals_proposalitem i "
                "JOIN proposals_proposal p ON p.id = i.proposal_id "
                "JOIN training_trainingsession s ON s.regency_id = p.regency_id "
                "AND s.budget_year_id = p.budget_year_id AND s.topic = 'Bimtek mid-season' "
                "WHERE p.budget_year_id = %s AND i.status = 'approved' AND i.person_id IS NOT NULL",
                [budget_year.pk],
            )
            cursor.execute(
                "CREATE TABLE bench_midseason_scans AS SELECT id, signed_scan FROM disbursements_handover"
                " WHERE budget_year_id = %s AND id %% %s = 0",
                [budget_year.pk, every],
            )
            cursor.execute(
                "UPDATE disbursements_handover SET signed_scan = '' WHERE id IN (SELECT id FROM bench_midseason_scans)"
            )
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {tables}")
        counted = {
            (line.regency.pk, line.program): [line.counts[k] for k in ("approved", "allocated", "trained", "delivered")]
            for line in recap(user=user, budget_year=budget_year).lines
            if line.counts["approved"]
        }
        assert counted == old_stage_counts(user, budget_year), "mid-season: the SQL and the Python counts differ"
        waiting = f"{100 // every}% waiting"
        return [
            (f"mid-season, {waiting}: recap", timed(lambda: recap(user=user, budget_year=budget_year))),
            (f"mid-season, {waiting}: dashboard counted", timed(lambda: dashboard.count(user, budget_year))),
        ]
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE disbursements_handover h SET signed_scan = b.signed_scan FROM bench_midseason_scans b"
                " WHERE h.id = b.id"
            )
            cursor.execute("DROP TABLE bench_midseason_scans")
            cursor.execute(
                "DELETE FROM training_attendance WHERE session_id IN"
                " (SELECT id FROM training_trainingsession WHERE topic = 'Bimtek mid-season')"
            )
            cursor.execute("DELETE FROM training_trainingsession WHERE topic = 'Bimtek mid-season'")
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {tables}")


def main():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from programs.models import BudgetYear
    from proposals.models import ItemStatus, ProposalItem
    from reports.selectors import recap

    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "SET client_min_messages = error; ANALYZE"], check=True)
    budget_year = BudgetYear.objects.get(year=YEAR)
    user = User.objects.filter(groups__name="Pimpinan").first() or User.objects.get(username="pimpinan")
    approved = ProposalItem.objects.filter(proposal__budget_year=budget_year, status=ItemStatus.APPROVED).count()
    print(f"budget year {YEAR}: {approved:,} approved recipients")

    new = {
        (line.regency.pk, line.program): [line.counts[k] for k in ("approved", "allocated", "trained", "delivered")]
        for line in recap(user=user, budget_year=budget_year).lines
        if line.counts["approved"]
    }
    assert new == old_stage_counts(user, budget_year), "the SQL and the Python counts differ"

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.regency_id, p.program, count(*) FROM proposals_proposalitem i "
                "JOIN proposals_proposal p ON p.id = i.proposal_id WHERE p.budget_year_id = %s AND i.status = %s "
                "GROUP BY 1, 2",
                [budget_year.pk, ItemStatus.APPROVED],
            )
            cursor.fetchall()

    from django.core.cache import cache
    from django.test import override_settings

    from complaints.selectors import figures as complaint_figures
    from monitoring.selectors import outcomes
    from reports import selectors

    client = Client()
    client.force_login(user)

    fresh_queries = len(statements_of(lambda: client.get("/dasbor/", {"tahun": YEAR})))

    def cached_page():
        with override_settings(DASHBOARD_CACHE_SECONDS=60):
            return client.get("/dasbor/", {"tahun": YEAR})

    cache.clear()
    cached_page()  # counted once; every later visit within the minute reads the figures from the cache
    cached_queries = len(statements_of(cached_page))

    from reports import dashboard

    asked = []
    dashboard.ask_recount = lambda *args: asked.append(args)  # the worker's part is not timed here

    def old_copy_with_a_worker():
        """A visit finding the figures older than the minute while a worker runs: the copy is shown, one recount
        queued (the recount's own time is the page counted afresh, in the worker)."""
        key = dashboard.cache_key(user, budget_year)
        kept = cache.get(key)
        kept["as_of"] -= datetime.timedelta(minutes=2)
        cache.set(key, kept)
        cache.delete(dashboard.recount_key(user, budget_year))
        with override_settings(DASHBOARD_CACHE_SECONDS=60, CELERY_BROKER_URL="redis://127.0.0.1:6379/7"):
            return client.get("/dasbor/", {"tahun": YEAR})

    parts = [
        ("  of which attendance rate", lambda: selectors.attendance_rate(user=user, budget_year=budget_year)),
        ("  of which monitoring outcomes", lambda: outcomes(user=user, budget_year=budget_year)),
        ("  of which complaint figures", lambda: complaint_figures(user=user, year=YEAR)),
        ("  of which recent activity", lambda: selectors.recent_activity(user=user)),
    ]
    results = [
        ("recap, stages in SQL (ours)", timed(lambda: recap(user=user, budget_year=budget_year))),
        ("stages counted in Python (before)", timed(lambda: old_stage_counts(user, budget_year))),
        ("dashboard page, counted afresh", timed(lambda: client.get("/dasbor/", {"tahun": YEAR}))),
        *[(name, timed(call)) for name, call in parts],
        ("dashboard page, figures of the minute", timed(cached_page)),
        ("dashboard page, older copy, worker recounts", timed(old_copy_with_a_worker)),
        ("recap workbook, whole request", timed(lambda: client.get(reverse("reports:recap_export"), {"tahun": YEAR}))),
        ("floor: approved per regency, cursor", timed(floor)),
        *mid_season(user, budget_year, every=2),
        *mid_season(user, budget_year, every=1),
    ]
    print_timings(results)
    print(f"dashboard queries: {fresh_queries} counted afresh, {cached_queries} within the minute")
    assert asked, "the older copy asked for no recount"


if __name__ == "__main__":
    main()
