"""The dashboard's figures are counted once a minute per scope (DASHBOARD_CACHE_SECONDS), not on every visit:
the page says as of when, "Perbarui" recounts at once, and a cached copy is never shown outside its scope — an
operator never sees the province's figures, a role that may not see sensitive complaints never their count."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import reports.dashboard as dashboard_module
from complaints import services as complaints
from regions.models import Regency
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    AuditorFactory,
    BudgetYearFactory,
    OperatorFactory,
    PimpinanFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _get(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    return response.context, len(queries), response.content.decode()


def _recount(client, year=2024):
    """Press "Perbarui": counted, then back to the plain address of the year (a reload does not count again)."""
    response = client.get(reverse("reports:dashboard"), {"tahun": year, "perbarui": 1})
    assert response.status_code == 302 and response.url == f"{reverse('reports:dashboard')}?tahun={year}"
    return _get(client, tahun=year)


def test_figures_are_kept_a_minute_and_recounted_on_request(client):
    ApprovedItemFactory()
    client.force_login(PimpinanFactory())
    first, cold, _ = _get(client)
    assert first["total"].counts["approved"] == 1 and first["as_of"] is not None
    ApprovedItemFactory()  # a second approval meanwhile
    again, warm, _ = _get(client)
    assert again["total"].counts["approved"] == 1 and again["as_of"] == first["as_of"]  # as of the first count
    assert warm < cold - 10  # the figures' queries are not run again
    fresh, queries, html = _recount(client)
    assert fresh["total"].counts["approved"] == 2 and fresh["as_of"] > first["as_of"]
    assert queries == warm  # the page after the recount shows the copy it kept
    assert "Angka per" in html and "perbarui=1" in html


def test_a_recount_under_way_is_not_started_twice(client, queued):
    """A second "Perbarui" (a double click, a colleague of the same scope) while a visit counts the scope's figures
    does not count them again: it says so and shows the copy it has. A recount asked of the worker does not hold
    "Perbarui" back (the worker may be away)."""
    from reports.dashboard import counting_key, recount_key

    ApprovedItemFactory()
    user = PimpinanFactory()
    client.force_login(user)
    first = _get(client)[0]
    ApprovedItemFactory()
    counting = counting_key(user, first["budget_year"])
    cache.add(counting, 1)  # another visit is counting this scope's figures
    with CaptureQueriesContext(connection) as queries:
        shown, _, html = _recount(client)
    assert shown["total"].counts["approved"] == 1 and shown["as_of"] == first["as_of"]
    assert "Angka sedang dihitung ulang" in html
    assert not [q for q in queries if "proposals_proposalitem" in q["sql"]]  # nothing counted
    cache.delete(counting)
    cache.add(recount_key(user, first["budget_year"]), 1)  # a recount queued for the worker
    assert _recount(client)[0]["total"].counts["approved"] == 2
    assert cache.get(counting) is None  # free again for the next one


def test_a_cached_copy_stays_in_its_scope(client, balikpapan):
    ApprovedItemFactory()  # Samarinda
    ApprovedItemFactory(proposal=ProposalFactory(regency=balikpapan))
    client.force_login(AdminProvinsiFactory())
    assert _get(client)[0]["total"].counts["approved"] == 2
    client.force_login(OperatorFactory())  # Samarinda's operator after the province filled the cache
    assert _get(client)[0]["total"].counts["approved"] == 1
    client.force_login(OperatorFactory(regency=balikpapan))
    assert _get(client)[0]["total"].counts["approved"] == 1
    assert [line.regency.code for line in _get(client)[0]["per_regency"]] == ["64.71"]


def test_sensitive_complaints_are_counted_only_for_the_roles_that_see_them(client):
    from tests.complaints.test_rules import _data

    BudgetYearFactory(year=2026)  # the complaint's year
    complaints.complaint_record(data=_data(category="pungli", regency=Regency.objects.get(code="64.72")), actor=None)
    complaints.complaint_record(data=_data(), actor=None)

    def counted(user):
        client.force_login(user)
        return sum(r["total"] for r in _get(client, tahun=2026)[0]["complaints"].per_regency)

    assert counted(AuditorFactory()) == 2  # the auditor sees the pungli complaint
    assert counted(OperatorFactory()) == 1  # the named regency's operator does not, after the auditor's visit
    pimpinan = counted(PimpinanFactory())
    cache.clear()
    assert pimpinan == counted(PimpinanFactory())  # as counted afresh


def test_the_home_pages_visit_count_is_kept_a_minute_per_scope(balikpapan):
    from kubeprogram.todo import _visits_due
    from tests.monitoring.conftest import deliver

    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))  # months 3, 6, 12: late
    samarinda = OperatorFactory()
    assert _visits_due(samarinda, handover.budget_year) == 3
    assert _visits_due(OperatorFactory(regency=balikpapan), handover.budget_year) == 0  # not Samarinda's copy
    assert _visits_due(PimpinanFactory(), handover.budget_year, overdue_only=True) == 3
    handover.delete()
    assert _visits_due(samarinda, handover.budget_year) == 3  # within the minute
    cache.clear()
    assert _visits_due(samarinda, handover.budget_year) == 0


def _age(user, budget_year, seconds):
    """Make the kept copy of this scope `seconds` old."""
    from reports.dashboard import cache_key

    key = cache_key(user, budget_year)
    kept = cache.get(key)
    kept["as_of"] -= datetime.timedelta(seconds=seconds)
    cache.set(key, kept)


@pytest.fixture
def queued(settings, monkeypatch):
    """A broker configured; the recounts asked of the worker, recorded instead of sent."""

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    asked = []
    monkeypatch.setattr(dashboard_module, "ask_recount", lambda *args: asked.append(args))
    return asked


def test_with_a_worker_an_old_copy_is_shown_at_once_while_one_recount_is_asked_for(client, queued):
    from reports import tasks

    ApprovedItemFactory()
    user = PimpinanFactory()
    client.force_login(user)
    first = _get(client)[0]
    budget_year = first["budget_year"]
    ApprovedItemFactory()
    _age(user, budget_year, 61)

    shown, queries, _ = _get(client)
    again = _get(client)[0]

    assert shown["total"].counts["approved"] == 1 and again["total"].counts["approved"] == 1  # no visit waited
    assert queued == [(user.pk, budget_year.pk)]  # asked once, not once per visit
    tasks.recount_dashboard(user.pk, budget_year.pk)  # what the worker does
    recounted = _get(client)[0]
    assert recounted["total"].counts["approved"] == 2 and recounted["as_of"] > first["as_of"]
    _age(user, budget_year, 61)
    _get(client)
    assert len(queued) == 2  # the recount done, the next old copy asks again


def _approval_after_a_copy_grew_old(client):
    """One approval counted into a copy, a second approval after it, the copy now 61 seconds old."""
    ApprovedItemFactory()
    user = PimpinanFactory()
    client.force_login(user)
    first = _get(client)[0]
    ApprovedItemFactory()
    _age(user, first["budget_year"], 61)


def test_without_a_worker_an_old_copy_is_counted_again_in_the_visit(client):
    _approval_after_a_copy_grew_old(client)
    assert _get(client)[0]["total"].counts["approved"] == 2


def test_a_broker_that_does_not_answer_means_the_visit_counts(client, queued, monkeypatch):

    def away(*args, **options):
        raise ConnectionError("broker tidak menjawab")

    monkeypatch.setattr(dashboard_module, "ask_recount", away)
    _approval_after_a_copy_grew_old(client)
    assert _get(client)[0]["total"].counts["approved"] == 2


def test_the_worker_knows_the_recount_by_its_name():
    from kubeprogram.celery import app

    app.loader.import_default_modules()
    assert "reports.recount_dashboard" in app.tasks


def _funnel(html: str) -> list[int]:
    """The stage counts of the page's chart data (inside the kept fragment)."""
    import json
    import re

    return json.loads(re.search(r'id="money-chart-data"[^>]*>(.*?)</script>', html, re.S).group(1))["funnel"]


def test_the_figures_are_rendered_once_per_copy_and_scope(client, balikpapan):
    from django.core.cache.utils import make_template_fragment_key

    from reports import dashboard

    ApprovedItemFactory()  # Samarinda
    ApprovedItemFactory(proposal=ProposalFactory(regency=balikpapan))
    admin = AdminProvinsiFactory()
    client.force_login(admin)
    context, _, html = _get(client)
    assert _funnel(html)[1] == 2
    year = BudgetYearFactory()
    key = make_template_fragment_key(
        "dashboard_figures", [dashboard.cache_key(admin, year), context["as_of"].timestamp()]
    )
    assert cache.get(key) is not None  # the rendered figures, kept with their copy

    client.force_login(OperatorFactory())  # another scope: its own figures, rendered for it
    assert _funnel(_get(client)[2])[1] == 1

    client.force_login(admin)
    ApprovedItemFactory()
    assert _funnel(_get(client)[2])[1] == 2  # the kept copy, as its "Angka per" says
    assert _funnel(_recount(client, year.year)[2])[1] == 3  # counted again: rendered again
