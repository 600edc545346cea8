import pytest
from django.db import transaction
from django.urls import reverse

from audit.services import audit_record
from tests.factories import AdminProvinsiFactory, AuditorFactory, BudgetYearFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def _events(n, actor, regency=None, action="budget_year.update"):
    budget_year = BudgetYearFactory()
    with transaction.atomic():
        for i in range(n):
            audit_record(
                actor=actor,
                action=action,
                obj=budget_year,
                regency_id=regency.code if regency else None,
                before={"status": "planning"},
                after={"status": f"s{i}"},
            )


def test_auditor_sees_events_with_their_changes(client):
    admin = AdminProvinsiFactory(first_name="Rina", last_name="Wulandari")
    _events(3, admin)
    client.force_login(AuditorFactory())
    content = client.get(reverse("audit:event_list")).content.decode()
    assert content.count("<td>Tahun anggaran diubah</td>") == 3  # the action in Indonesian, not its code
    assert "Rina Wulandari" in content and "Perencanaan" in content and "s2" in content
    assert "budget_year.update</td>" not in content and "programs.budgetyear" not in content


def test_filters_narrow_the_list(client, samarinda, balikpapan):
    admin = AdminProvinsiFactory()
    _events(2, admin, samarinda, action="person.create")
    _events(3, admin, balikpapan, action="person.update")
    client.force_login(AuditorFactory())
    url = reverse("audit:event_list")
    assert client.get(url, {"regency": samarinda.code}).context["page_obj"].paginator.count == 2
    assert client.get(url, {"action": "person.update"}).context["page_obj"].paginator.count == 3
    assert client.get(url, {"action": "person"}).context["page_obj"].paginator.count == 5


def test_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    admin = AdminProvinsiFactory()
    _events(60, admin)
    client.force_login(AuditorFactory())
    # session, user, groups, count, page; not one per row.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("audit:event_list"))
    assert len(response.context["page_obj"].object_list) == 50


def test_operator_cannot_read_the_audit_log(client):
    client.force_login(OperatorFactory())
    assert client.get(reverse("audit:event_list")).status_code == 403
