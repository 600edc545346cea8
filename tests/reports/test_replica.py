"""With a read replica configured, the dashboard, the reports and the exports read from it while every write
(the audit event of an export) goes to the primary; other pages never touch it."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AdminProvinsiFactory, BudgetYearFactory, OperatorFactory, PimpinanFactory

pytestmark = [
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.postgres,
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),  # the replica sees committed rows
]


@pytest.fixture(autouse=True)
def _routing_on(monkeypatch):
    from core import replica

    monkeypatch.setitem(replica.routing, "enabled", True)


def _queries(client, url, **params):
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get(url, params)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return response, [q["sql"] for q in replica], [q["sql"] for q in primary]


def test_the_dashboard_and_an_export_read_from_the_replica_and_write_to_the_primary(client):
    BudgetYearFactory(year=2024)
    client.force_login(PimpinanFactory())
    response, replica, primary = _queries(client, reverse("reports:dashboard"), tahun=2024)
    assert response.status_code == 200 and len(replica) >= 5
    assert not any("reports" in sql or "proposals_" in sql for sql in primary)  # primary: session and user only
    client.force_login(AdminProvinsiFactory())
    response, replica, primary = _queries(client, reverse("reports:recap_export"), tahun=2024)
    assert response.status_code == 200 and any("proposals_itemcount" in sql for sql in replica)
    assert any(sql.startswith('INSERT INTO "audit_auditevent"') for sql in primary)  # the export is audited
    assert not any(sql.startswith("INSERT") for sql in replica)


def test_other_pages_read_from_the_primary(client):
    client.force_login(OperatorFactory())
    response, replica, primary = _queries(client, reverse("proposals:proposal_list"))
    assert response.status_code == 200 and replica == [] and primary
