"""The monitoring figures for the head: each computed in SQL, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import selectors, services
from monitoring.models import Assessment
from regions.models import Regency
from tests.factories import ApprovedItemFactory, OperatorFactory, PimpinanFactory
from tests.monitoring.conftest import deliver
from tests.monitoring.test_services import ANSWERS, _goods

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _visit(handover, month, **answers):
    return services.visit_record(
        handover=handover,
        data=ANSWERS | {"due_month": month, "visited_on": timezone.localdate()} | answers,
        goods=answers.pop("goods", None) or _goods(handover),
        actor=None,
    )


def _outcomes(user=None):
    from programs.models import BudgetYear

    return selectors.outcomes(user=user or PimpinanFactory(), budget_year=BudgetYear.objects.get(year=2024))


def test_visits_running_turnover_goods_and_graduates(balikpapan):
    a = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200))  # 3: overdue unless done, 6: due
    b = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200))
    c = deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(100))
    _visit(a, 3, business_status="berkembang", turnover=Decimal(3_000_000))
    goods = _goods(b)
    goods[next(iter(goods))] = "dijual"
    services.visit_record(
        handover=b,
        data=ANSWERS
        | {"due_month": 3, "visited_on": timezone.localdate(), "business_status": "berhenti", "turnover": 0},
        goods=goods,
        actor=None,
    )
    _visit(c, 3, turnover=Decimal(1_000_000))
    Assessment.objects.create(
        handover=a, budget_year=a.budget_year, program="WRSE", regency_id="64.72", status="approved",
        recommendation="lulus", decision="lulus",
    )  # fmt: skip
    found = _outcomes()
    lines = {r.regency.code: r for r in found.regencies}
    assert (lines["64.72"].recipients, lines["64.72"].graduates) == ({"WRSE": 2}, {"WRSE": 1})
    assert (lines["64.72"].done, lines["64.72"].due, lines["64.72"].overdue) == (2, 2, 0)
    assert (lines["64.71"].done, lines["64.71"].due) == (1, 0)
    [three, six, twelve] = found.months
    _visit(a, 6, business_status="berjalan")  # a's month 6 is due (c's window is not open yet)
    found = _outcomes()
    [three, six, twelve] = found.months
    assert (three.visits, three.running, three.growing) == (3, 2, 2)  # b stopped
    assert (three.running_percent, three.growing_percent) == (67, 67)
    assert (six.visits, six.running, six.growing) == (1, 1, 0)
    assert three.median_turnover == 1_000_000 and twelve.visits == 0 and twelve.median_turnover is None
    lines_seen = found.goods_total
    assert found.goods["dijual"] == 1 and found.goods_kept_percent == round(100 * (lines_seen - 1) / lines_seen)
    assert found.findings["Dijual"] == 1
    assert (found.recipients_total, found.graduates_total) == (3, 1)


def test_the_operator_sees_only_their_regency(balikpapan):
    deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200))
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(200))
    found = _outcomes(OperatorFactory())
    assert [r.regency.code for r in found.regencies] == ["64.72"] and found.recipients_total == 1


def test_the_query_count_does_not_grow_with_the_recipients():
    _visit(deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200)), 3)  # a month with visits: its median
    user = PimpinanFactory()
    _outcomes(user)
    with CaptureQueriesContext(connection) as first:
        _outcomes(user)
    for _ in range(3):
        handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200))
        _visit(handover, 3)
    with CaptureQueriesContext(connection) as second:
        _outcomes(user)
    assert len(second) == len(first) <= 12


def test_the_dashboard_shows_the_outcomes(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200))
    _visit(handover, 3)
    client.force_login(PimpinanFactory())
    page = client.get(reverse("reports:dashboard"), {"tahun": 2024}).content.decode()
    assert "Hasil pemantauan" in page and "Bulan ke-3" in page
    assert Regency.objects.get(code="64.72").name in page


def test_the_median_turnover_is_the_middle_of_the_months_valid_visits_in_sight(balikpapan):
    """Read off the middle of each month's visits in turnover order: the mean of the two middle ones for an even
    count, void visits and extra visits left out (their goods still counted), another regency's visits out of an
    operator's sight."""
    handovers = [deliver(ApprovedItemFactory(), handed_over_on=_days_ago(400)) for _ in range(5)]
    for handover, turnover in zip(handovers[:4], (4_000_000, 1_000_000, 9_000_000, 2_000_000), strict=True):
        _visit(handover, 3, turnover=Decimal(turnover))
    for handover, turnover in zip(handovers[:3], (5_000_000, 7_000_000, 6_000_000), strict=True):
        _visit(handover, 6, turnover=Decimal(turnover))
    services.visit_void(visit=_visit(handovers[4], 12, turnover=Decimal(1)), reason="Salah catat", actor=None)
    _visit(handovers[4], 12, turnover=Decimal(8_000_000))
    _visit(handovers[4], None, turnover=Decimal(0))  # an extra visit: not a visit month's
    elsewhere = deliver(
        ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(400)
    )
    _visit(elsewhere, 6, turnover=Decimal(100))

    [three, six, twelve] = _outcomes().months
    assert (three.visits, three.median_turnover) == (4, 3_000_000)  # (2 + 4) / 2
    assert (six.visits, six.median_turnover) == (4, 5_500_000)
    assert (twelve.visits, twelve.median_turnover) == (1, 8_000_000)
    [three, six, twelve] = _outcomes(OperatorFactory()).months  # Samarinda's officer
    assert (six.visits, six.median_turnover) == (3, 6_000_000)
    # every valid visit's goods units, the extra one's too; none of the voided one's
    assert _outcomes().goods_total == 10 * sum(line.quantity for line in handovers[0].lines.all())


def test_a_voided_bast_leaves_the_visits_due_and_done_but_its_visit_stays_in_the_months():
    """The schedule counts only delivered BASTs: once one is voided (the goods went to the wrong person, say), its
    recipient is no longer due a visit and the visit made is no longer "done" — but what the officer saw at that
    visit is still a visit of month 3. The dashboard's path (the BASTs counted once by day, shared with the recap)
    and schedule_counts on its own (the home page's to-do) say the same."""
    from disbursements.selectors import delivered_by_day
    from disbursements.services import handover_void

    kept = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    voided = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    deliver(ApprovedItemFactory(), handed_over_on=_days_ago(95))  # another day: not visited yet, due
    _visit(kept, 3)
    _visit(voided, 3)
    line = {r.regency.code: r for r in _outcomes().regencies}["64.72"]
    assert (line.recipients, line.done, line.due, line.overdue) == ({"WRSE": 3}, 2, 1, 0)
    handover_void(handover=voided, reason="tertukar penerima", actor=None)
    pimpinan, budget_year = PimpinanFactory(), kept.budget_year
    days = delivered_by_day(user=pimpinan, budget_year=budget_year)
    found = selectors.outcomes(user=pimpinan, budget_year=budget_year, days=days)
    line = {r.regency.code: r for r in found.regencies}["64.72"]
    assert (line.recipients, line.done, line.due, line.overdue) == ({"WRSE": 2}, 1, 1, 0)
    assert found.months[0].visits == 2
    alone = selectors.schedule_counts(user=pimpinan, budget_year=budget_year, today=timezone.localdate())["64.72"]
    assert (alone.recipients, alone.done, alone.due, alone.overdue) == ({"WRSE": 2}, 1, 1, 0)
