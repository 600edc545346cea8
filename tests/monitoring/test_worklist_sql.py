"""The worklist is computed by the database (issue 31): the same states, due dates and order as the schedule rule
(monitoring/schedule.py) decides for each BAST — month ends and leap years included — and a number of queries
that does not grow with the recipients."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import schedule, selectors
from monitoring.selectors.worklist import OPEN_STATES, worklist_counts, worklist_rows
from monitoring.services import visit_record
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, OperatorFactory
from tests.monitoring.conftest import deliver
from tests.monitoring.test_services import ANSWERS, _goods

pytestmark = pytest.mark.django_db
DATES = [datetime.date(2024, 1, 31), datetime.date(2024, 2, 29), datetime.date(2024, 8, 31),
         datetime.date(2024, 12, 31), datetime.date(2025, 1, 10), datetime.date(2025, 3, 1)]  # fmt: skip
# Every combination the filter's conditions are written for (worklist.DATE_RANGES, with or without the done).
FILTERS = [OPEN_STATES, (schedule.DONE,), (schedule.UPCOMING,), (schedule.OVERDUE,), (schedule.DUE,),
           (schedule.DUE, schedule.UPCOMING), (schedule.OVERDUE, schedule.UPCOMING), (schedule.DONE, schedule.DUE),
           (schedule.DONE, schedule.OVERDUE, schedule.UPCOMING)]  # fmt: skip


def test_states_and_due_dates_are_the_schedule_rules_on_every_day(settings):
    handovers = [deliver(ApprovedItemFactory(), handed_over_on=day) for day in DATES]
    visit_record(handover=handovers[4], data=ANSWERS, goods=_goods(handovers[4]), actor=None)  # month 3 done
    admin = AdminProvinsiFactory()
    budget_year = handovers[0].budget_year
    day, checked = datetime.date(2024, 1, 1), 0
    while day <= datetime.date(2026, 6, 30):
        rows = worklist_rows(user=admin, budget_year=budget_year, states=(), today=day)
        found = {(r.handover.pk, r.month): (r.state, r.due, bool(r.visit)) for r in rows}
        expected = {
            (h.pk, r.month): (r.state, r.due, bool(r.visit))
            for h in handovers
            for r in selectors.handover_schedule(h, today=day)
        }
        assert found == expected, day
        if checked % 3 == 0:  # a filter by state is the statement's own condition (dates, a visit found or not)
            for states in (FILTERS[checked // 3 % len(FILTERS)], FILTERS[(checked // 3 + 4) % len(FILTERS)]):
                some = worklist_rows(user=admin, budget_year=budget_year, states=states, today=day)
                assert {(r.handover.pk, r.month): (r.state, r.due, bool(r.visit)) for r in some} == {
                    key: value for key, value in expected.items() if value[0] in states
                }, (day, states)
        counts = worklist_counts(user=admin, budget_year=budget_year, today=day)
        assert counts == selectors.state_counts(list(expected_rows(handovers, day))), day
        day += datetime.timedelta(days=5)
        checked += 1
    assert checked > 100


def expected_rows(handovers, day):
    for handover in handovers:
        yield from selectors.handover_schedule(handover, today=day)


def test_the_order_by_village_or_by_date_is_the_one_the_page_promised():
    handovers = [deliver(ApprovedItemFactory(), handed_over_on=day) for day in DATES]
    admin = AdminProvinsiFactory()
    today = datetime.date(2025, 9, 1)
    rows = list(worklist_rows(user=admin, budget_year=handovers[0].budget_year, states=(), today=today))
    assert [(r.due, r.handover.pk, r.month) for r in worklist_rows(
        user=admin, budget_year=handovers[0].budget_year, states=(), today=today, order="tanggal"
    )] == sorted((r.due, r.handover.pk, r.month) for r in rows)  # fmt: skip
    by_village = [(selectors.recipient_village(r.handover).name, selectors.recipient_name(r.handover),
                   r.handover.pk, r.month) for r in rows]  # fmt: skip
    assert by_village == sorted(by_village)


def test_the_worklist_page_costs_the_same_queries_at_any_number_of_recipients(client):
    operator = OperatorFactory()
    client.force_login(operator)
    url = reverse("monitoring:worklist")
    deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 3, 1))
    client.get(url, {"status": "semua"})  # warm (sessions, the budget year)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"status": "semua"}).status_code == 200
    for day in DATES:
        deliver(ApprovedItemFactory(), handed_over_on=day)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"status": "semua"})
    assert page.status_code == 200 and len(page.context["page"].object_list) == 3 * (len(DATES) + 1)
    assert len(many) == len(few), [q["sql"][:120] for q in many]
    field = client.get(reverse("fieldwork:home"))
    assert field.status_code == 200


def test_a_schedule_state_never_falls_between_the_date_ranges():
    """The ranges of BAST dates per state (schedule.handed_over_by) leave no day out and overlap nowhere."""
    for month in (1, 3, 6, 12, 18):
        for offset in range(0, 800, 7):
            today = datetime.date(2024, 1, 1) + datetime.timedelta(days=offset)
            _, overdue_to = schedule.handed_over_by(month, state_=schedule.OVERDUE, today=today)
            due_from, _ = schedule.handed_over_by(month, state_=schedule.DUE, today=today)
            assert due_from == overdue_to + datetime.timedelta(days=1), (month, today)


def test_the_visits_of_a_bast_voided_after_them_are_not_counted_and_an_operator_counts_only_her_regency(balikpapan):
    """The counts read the visits without joining every BAST (the visit carries its BAST's year, regency and date);
    the visits of a BAST voided since, and of another regency, are still left out."""
    from disbursements.services import handover_void

    day = datetime.date(2025, 1, 10)
    kept, voided = (deliver(ApprovedItemFactory(), handed_over_on=day) for _ in range(2))
    other = deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=day)
    for handover in (kept, voided, other):
        visit_record(handover=handover, data=ANSWERS, goods=_goods(handover), actor=None)  # month 3 done
    handover_void(handover=voided, reason="Salah penerima, diganti BAST baru", actor=None)
    today = datetime.date(2025, 8, 1)
    operator, admin = OperatorFactory(), AdminProvinsiFactory()
    expected = selectors.state_counts(list(expected_rows([kept], today)))
    assert worklist_counts(user=operator, budget_year=kept.budget_year, today=today) == expected
    assert worklist_counts(user=admin, budget_year=kept.budget_year, today=today) == selectors.state_counts(
        list(expected_rows([kept, other], today))
    )
    assert expected[schedule.DONE] == 1


def test_the_visits_to_make_list_a_bast_from_the_first_day_its_visit_is_due_and_not_a_day_before():
    """The list of visits to make (due or overdue) leaves out, by the BAST's own date, the BASTs none of whose visits
    is due yet: on each day around the first window of a BAST, it is in the list exactly when the schedule says."""
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2024, 8, 31))
    admin = AdminProvinsiFactory()
    day, listed = datetime.date(2024, 10, 1), set()
    while day <= datetime.date(2025, 1, 31):
        rows = worklist_rows(user=admin, budget_year=handover.budget_year, states=OPEN_STATES, today=day)
        expected = [
            (r.month, r.state) for r in selectors.handover_schedule(handover, today=day) if r.state in OPEN_STATES
        ]
        assert [(r.month, r.state) for r in rows] == expected, day
        listed.add(bool(expected))
        day += datetime.timedelta(days=1)
    assert listed == {True, False}  # the days before the first visit is due, and after
