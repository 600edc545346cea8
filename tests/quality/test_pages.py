"""The scorecard's pages for every role, scoped: the table, one regency's records behind each number, the workbook of
two sheets, the thresholds as data (edited, audited, and the colours follow), the panels of the dashboard and of the
officer's home page; its query count does not grow with the data."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from quality.models import Threshold
from tests.factories import (
    AdminProvinsiFactory,
    AuditorFactory,
    BudgetYearFactory,
    OperatorFactory,
    PimpinanFactory,
    ProposalItemFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(balikpapan):
    budget_year = BudgetYearFactory(scorecard_min_count=2)
    for _ in range(3):
        ProposalItemFactory(person__phone="", person__dtks_id="")  # Samarinda: nobody complete
        ProposalItemFactory(proposal__regency=balikpapan, person__phone="0812", person__dtks_id="64710001")
    return budget_year


def _query(year):
    return {"tahun": year.year}


@pytest.mark.parametrize("factory", [AdminProvinsiFactory, VerifikatorFactory, PimpinanFactory, AuditorFactory])
def test_provincial_roles_see_every_regency_coloured_with_numbers(client, year, factory):
    client.force_login(factory())
    page = client.get(reverse("quality:scorecard"), _query(year))
    rows = {row.regency.pk: row for row in page.context["card"].rows}
    assert len(rows) == 10
    samarinda, balikpapan = rows["64.72"].cells["data_penduduk"], rows["64.71"].cells["data_penduduk"]
    assert (samarinda.value, samarinda.level) == (0.0, "buruk") and (balikpapan.value, balikpapan.level) == (
        100,
        "baik",
    )
    html = page.content.decode()
    assert 'data-level="buruk"' in html and "✗" in html and "data belum cukup" in html  # never colour alone


def test_an_officer_sees_her_own_row_and_gets_404_for_anothers_records(client, year, balikpapan):
    client.force_login(OperatorFactory())
    card = client.get(reverse("quality:scorecard"), _query(year)).context["card"]
    assert [row.regency.pk for row in card.rows] == ["64.72"]
    mine = client.get(reverse("quality:regency", args=["64.72"]), _query(year))
    assert mine.status_code == 200
    records = dict((cell.measure.code, found) for cell, found in mine.context["measures"])
    assert len(records["data_penduduk"]) == 3 and "No HP" in records["data_penduduk"][0].detail
    assert "Lengkapi No HP" in mine.content.decode()  # what to fix first
    assert client.get(reverse("quality:regency", args=["64.71"]), _query(year)).status_code == 404


def test_the_workbook_has_the_scores_and_the_definitions(client, year):
    client.force_login(PimpinanFactory())
    response = client.get(reverse("quality:export"), _query(year))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames == [f"Rapor Kualitas Data {year.year}", "Definisi dan Ambang"]
    scores = [row for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0] == "Kota Samarinda"]
    assert scores and "Buruk" in " ".join(str(v) for v in scores[0])
    definitions = " ".join(str(v) for row in book.worksheets[1].iter_rows(values_only=True) for v in row if v)
    assert "WHO Data Quality Review" in definitions
    assert AuditEvent.objects.filter(action="scorecard.export").exists()


def test_thresholds_are_data_the_admin_edits_and_the_colours_follow(
    client, year, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    admin = AdminProvinsiFactory()
    client.force_login(admin)
    url = reverse("quality:thresholds", args=[year.year])
    kept = client.get(reverse("quality:scorecard"), _query(year)).context["card"]  # counted, and kept 10 minutes
    assert next(row for row in kept.rows if row.regency.pk == "64.72").cells["data_penduduk"].level == "buruk"
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["good_data_penduduk"], data["poor_data_penduduk"] = "0", "0"  # Samarinda's 0 % becomes good
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Threshold.objects.get(budget_year=year, measure="data_penduduk").good == 0
    assert AuditEvent.objects.get(action="threshold.update").before["good"] == "90.0"
    card = client.get(reverse("quality:scorecard"), _query(year)).context["card"]
    samarinda = next(row for row in card.rows if row.regency.pk == "64.72")
    assert samarinda.cells["data_penduduk"].level == "baik"  # the kept scorecard was not read again
    data["good_baris_ditolak"], data["poor_baris_ditolak"] = "20", "5"  # good on the wrong side for "less is better"
    refused = client.post(url, data)
    assert "batas baik harus sama atau lebih kecil" in refused.content.decode()
    client.force_login(PimpinanFactory())
    assert client.get(url).status_code == 403


def test_the_dashboard_names_the_three_weakest_and_the_officer_her_first_fix(client, year):
    client.force_login(PimpinanFactory())
    panel = client.get(reverse("quality:panel"), _query(year))
    weakest = [row.regency.pk for row in panel.context["card"].weakest]
    assert weakest[0] == "64.72" and "Data calon lengkap" in panel.content.decode()
    assert 'hx-get="/rapor-kualitas/ringkas/' in client.get(reverse("reports:dashboard"), _query(year)).content.decode()
    client.force_login(OperatorFactory())
    own = client.get(reverse("quality:panel"), _query(year)).content.decode()
    assert 'data-testid="quality-own"' in own and "Perbaiki dulu" in own and "Data calon lengkap" in own


def test_the_scorecard_costs_the_same_queries_whatever_the_data(client, year, balikpapan):
    from quality.selectors import scorecard

    admin = AdminProvinsiFactory()
    scorecard(admin, year)  # the thresholds made once
    with CaptureQueriesContext(connection) as before:
        scorecard(admin, year)
    for _ in range(5):
        ProposalItemFactory(proposal__regency=balikpapan)
    with CaptureQueriesContext(connection) as after:
        scorecard(admin, year)
    # 25: the thresholds; two for the people (women, KUBE members: their fields filled and the register's desil);
    # the BASTs; the photos; the visits and the schedule's counts; complaints (two); requests; uploads; verification;
    # approved recipients; complaints by month; allocations; turnover changes (their spread; none beyond: no second);
    # the returns; the regencies (twice); duplicate groups (two), and those resolved
    assert len(after) == len(before) == 25


def test_the_records_behind_a_number_name_no_restricted_recipient(client, year):
    from django.utils import timezone

    from tests.factories import ApprovedItemFactory
    from tests.monitoring.conftest import deliver

    handover = deliver(ApprovedItemFactory(proposal__budget_year=year))
    person = handover.allocation.item.person
    type(person).objects.filter(pk=person.pk).update(restricted_at=timezone.now())
    client.force_login(AdminProvinsiFactory())
    page = client.get(reverse("quality:regency", args=["64.72"]), _query(year)).content.decode()
    assert handover.number in page and person.full_name not in page and "Data dibatasi" in page
