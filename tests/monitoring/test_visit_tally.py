"""The visits the dashboard counts come from VisitTally, which database triggers keep (migration 0011, core.tally):
after every kind of write to the visits — recorded, corrected (status, stage, goods), voided, several changed by one
statement, an extra visit, a write rolled back, deleted — it equals a fresh count of the valid visits. On SQLite
(`make run`, row-level triggers) and PostgreSQL (statement-level triggers over transition tables) alike. And the
figures the dashboard builds from it are the ones counted on the visits themselves."""

import datetime
import importlib

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from disbursements.services import handover_void
from monitoring import selectors
from monitoring.models import GOODS_COUNT_FIELDS, Visit, VisitTally
from monitoring.services import visit_record, visit_update, visit_void
from tests.factories import ApprovedItemFactory, PimpinanFactory
from tests.monitoring.conftest import deliver, kube_item
from tests.monitoring.test_services import ANSWERS, _goods

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 1, 10)
KEYS = ["budget_year", "regency", "program", "due_month", "stage", "business_status", "handed_over_on"]
GOODS = list(GOODS_COUNT_FIELDS.values())
KUBE_ANSWERS = {"stage": "tumbuh", "iks_balance": 150000}


def _kept() -> dict:
    return {tuple(row[:7]): tuple(row[7:]) for row in VisitTally.objects.values_list(*KEYS, "n", *GOODS, "on_time")}


def _fresh() -> dict:
    """Counted on the visits: a scheduled one is on time by its deadline in SQL (quality.functions.VisitDeadline, itself
    tested against monitoring.schedule.add_months on month ends)."""
    from django.db.models import Case, F, When

    from monitoring.schedule import GRACE_DAYS
    from quality.functions import VisitDeadline

    rows = (
        Visit.objects.valid()
        .annotate(month=Coalesce("due_month", 0), deadline=VisitDeadline("handed_over_on", "due_month", GRACE_DAYS))
        .values_list(*[k if k != "due_month" else "month" for k in KEYS])
        .annotate(
            n=Count("id"), **{g: Sum(g) for g in GOODS},
            on_time=Sum(Case(When(visited_on__lte=F("deadline"), then=1), default=0)),
        )
        .order_by()
    )  # fmt: skip
    return {tuple(row[:7]): tuple(row[7:]) for row in rows}


def test_the_kept_counts_follow_every_kind_of_write():
    woman, other = (deliver(ApprovedItemFactory(), handed_over_on=DAY) for _ in range(2))
    group = deliver(kube_item(), program="KUBE", handed_over_on=DAY)
    first = visit_record(handover=woman, data=ANSWERS, goods=_goods(woman), actor=None)
    visit_record(handover=other, data=ANSWERS, goods=_goods(other, "rusak"), actor=None)
    kube = visit_record(handover=group, data={**ANSWERS, **KUBE_ANSWERS}, goods=_goods(group), actor=None)
    assert _kept() == _fresh()
    assert sum(n for n, *_ in _kept().values()) == 3

    visit_update(
        visit=first,
        data={**ANSWERS, "business_status": "berhenti_sementara"},
        goods=_goods(woman, "dijual"),
        actor=None,
    )
    assert _kept() == _fresh()
    visit_update(visit=kube, data={**ANSWERS, **KUBE_ANSWERS, "stage": "berkembang"}, goods=_goods(group), actor=None)
    assert _kept() == _fresh()
    visit_record(handover=woman, data={**ANSWERS, "due_month": None}, goods=_goods(woman), actor=None)  # extra
    assert _kept() == _fresh()
    assert any(key[3] == 0 for key in _kept())

    visit_void(visit=Visit.objects.get(pk=kube.pk), reason="Dicatat pada BAST yang salah", actor=None)
    assert _kept() == _fresh()
    assert not any(key[2] == "KUBE" for key in _kept())  # a combination that falls to 0 is removed

    Visit.objects.filter(handover=other).update(goods_lost=1, goods_broken=0)  # one statement, several rows
    assert _kept() == _fresh()

    before = _kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        Visit.objects.filter(pk=first.pk).update(status=Visit.Status.VOID, void_reason="uji")
        assert _kept() == _fresh()
        raise RuntimeError
    assert _kept() == _fresh() == before

    Visit.objects.filter(handover=other).delete()  # only in tests: a visit is voided, never deleted
    assert _kept() == _fresh()


def test_the_dashboard_figures_from_the_tally_are_those_counted_on_the_visits():
    """A voided BAST's visit stays in the month's figures but no longer counts as done (outcomes read the tally and
    take out the visits of BASTs voided since); the home page's counts (schedule_counts alone) agree."""
    kept, voided = (deliver(ApprovedItemFactory(), handed_over_on=DAY) for _ in range(2))
    for handover, status in ((kept, "berkembang"), (voided, "berhenti")):
        visit_record(handover=handover, data={**ANSWERS, "business_status": status}, goods=_goods(handover),
                     actor=None)  # fmt: skip
    handover_void(handover=voided, reason="tertukar penerima", actor=None)
    pimpinan, budget_year, today = PimpinanFactory(), kept.budget_year, datetime.date(2025, 9, 1)
    found = selectors.outcomes(user=pimpinan, budget_year=budget_year, today=today)
    line = {r.regency.code: r for r in found.regencies}["64.72"]
    assert (line.recipients_total, line.done) == (1, 1)
    month = found.months[0]
    assert (month.visits, month.running, month.growing) == (2, 1, 1)
    assert found.goods_total == sum(h.lines.count() and sum(x.quantity for x in h.lines.all()) for h in (kept, voided))
    alone = selectors.schedule_counts(user=pimpinan, budget_year=budget_year, today=today)["64.72"]
    assert (alone.done, alone.due, alone.overdue) == (line.done, line.due, line.overdue)


def test_the_migration_counts_the_visits_already_there():
    handover = deliver(ApprovedItemFactory(), handed_over_on=DAY)
    visit_record(handover=handover, data=ANSWERS, goods=_goods(handover), actor=None)
    expected = _fresh()
    VisitTally.objects.all().delete()
    migration = importlib.import_module("monitoring.migrations.0013_visit_tally_on_time")
    with connection.cursor() as cursor:
        cursor.execute(migration.tally_fill(**migration._tally(connection.vendor)))
    assert _kept() == expected
