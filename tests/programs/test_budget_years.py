from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from programs.models import BudgetYear
from tests.factories import AdminProvinsiFactory, BudgetYearFactory, PimpinanFactory

pytestmark = pytest.mark.django_db

FORM = {
    "year": 2025,
    "total_ceiling": "7000000000",
    "funding_source": "APBD Provinsi Kalimantan Timur",
    "status": "planning",
    "wrse_package_value": "5000000",
    "kube_package_value": "25000000",
    "wrse_min_age": 18,
    "wrse_max_age": 59,
    "kube_min_members": 5,
    "kube_max_members": 10,
    "visit_months": "3, 6, 12",
    "graduation_min_score": 75,
    "visit_window_days": 14,
    "graduated_proposal_level": "warning",
    "wrse_max_desil": 5,
    "kube_max_desil": 5,
    "desil_level": "error",
    "dtsen_max_age_quarters": 2,
    "scorecard_min_count": 10,
    "package_band_percent": 25,
}


def test_defaults_follow_the_program_rules():
    budget_year = BudgetYear.objects.create(year=2030, total_ceiling=Decimal(1))
    assert (budget_year.wrse_min_age, budget_year.wrse_max_age) == (18, 59)
    assert (budget_year.kube_min_members, budget_year.kube_max_members) == (5, 10)
    assert budget_year.funding_source == "APBD Provinsi Kalimantan Timur"
    assert budget_year.status == BudgetYear.Status.PLANNING
    assert budget_year.months == [3, 6, 12] and budget_year.graduated_proposal_level == "warning"


def test_visit_months_are_tidied_or_refused_with_the_reason(client):
    client.force_login(AdminProvinsiFactory())
    response = client.post(reverse("programs:budgetyear_create"), FORM | {"visit_months": "12;3, 6,6"})
    assert response.status_code == 302
    assert BudgetYear.objects.get(year=2025).visit_months == "3, 6, 12"
    response = client.post(reverse("programs:budgetyear_create"), FORM | {"year": 2026, "visit_months": "3, enam"})
    assert response.context["form"].errors["visit_months"] == [
        "Tulis bulan kunjungan sebagai angka dipisah koma, mis. 3, 6, 12."
    ]


def test_admin_creates_a_budget_year_and_it_is_audited(client):
    admin = AdminProvinsiFactory()
    client.force_login(admin)
    response = client.post(reverse("programs:budgetyear_create"), FORM)
    assert response.status_code == 302
    budget_year = BudgetYear.objects.get(year=2025)
    assert budget_year.total_ceiling == Decimal("7000000000")
    event = AuditEvent.objects.get(action="budget_year.create")
    assert event.actor == admin and event.after["total_ceiling"] == "7000000000"
    detail = client.get(response["Location"]).content.decode()
    assert "Rp7.000.000.000" in detail


def test_update_records_before_and_after(client):
    budget_year = BudgetYearFactory(year=2025, total_ceiling=Decimal("7000000000"), status="planning")
    client.force_login(AdminProvinsiFactory())
    response = client.post(reverse("programs:budgetyear_update", args=[2025]), {**FORM, "total_ceiling": "7500000000"})
    assert response.status_code == 302
    budget_year.refresh_from_db()
    assert budget_year.total_ceiling == Decimal("7500000000")
    event = AuditEvent.objects.get(action="budget_year.update")
    assert ("total_ceiling", "7000000000", "7500000000") in event.changed_fields
    # The history is shown on the detail page.
    assert "7500000000" in client.get(budget_year.get_absolute_url()).content.decode()


def test_saving_without_changes_writes_no_event(client):
    BudgetYearFactory(
        year=2025,
        total_ceiling=Decimal("7000000000"),
        status="planning",
        **{k: v for k, v in FORM.items() if k in ("wrse_package_value", "kube_package_value")},
    )
    client.force_login(AdminProvinsiFactory())
    client.post(reverse("programs:budgetyear_update", args=[2025]), FORM)
    assert not AuditEvent.objects.filter(action="budget_year.update").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"wrse_min_age": 60}, "wrse_max_age", "Usia maksimum tidak boleh lebih kecil"),
        ({"kube_min_members": 2}, "kube_min_members", "minimal beranggotakan 3"),
        ({"kube_min_members": 11}, "kube_max_members", "Anggota maksimum tidak boleh lebih kecil"),
        ({"total_ceiling": "-1"}, "total_ceiling", "lebih besar dari atau sama dengan 0"),
    ],
)
def test_invalid_input_gets_an_indonesian_field_error(client, changes, field, message):
    client.force_login(AdminProvinsiFactory())
    response = client.post(reverse("programs:budgetyear_create"), {**FORM, **changes})
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not BudgetYear.objects.filter(year=2025).exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_year_is_refused(client):
    BudgetYearFactory(year=2025)
    client.force_login(AdminProvinsiFactory())
    response = client.post(reverse("programs:budgetyear_create"), FORM)
    assert response.status_code == 200 and response.context["form"].errors["year"]


def test_database_refuses_inverted_bounds():
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetYear.objects.create(year=2031, total_ceiling=1, wrse_min_age=60, wrse_max_age=59)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetYear.objects.create(year=2032, total_ceiling=1, kube_min_members=2)


def test_read_only_roles_see_no_edit_buttons(client):
    BudgetYearFactory()
    client.force_login(PimpinanFactory())
    content = client.get(reverse("programs:budgetyear_detail", args=[2024])).content.decode()
    assert "Rp6.500.000.000" in content
    assert reverse("programs:budgetyear_update", args=[2024]) not in content
