"""Writes of budget years; each writes its audit event in the same transaction."""

from typing import Any

from django.db import transaction

from audit.services import audit_record, snapshot
from programs.models import BudgetYear


@transaction.atomic
def budget_year_create(*, data: dict[str, Any], actor) -> BudgetYear:
    """Create a budget year from validated form data; raises ValidationError on invalid data."""
    budget_year = BudgetYear(**data)
    budget_year.full_clean()
    budget_year.save()
    audit_record(actor=actor, action="budget_year.create", obj=budget_year, after=snapshot(budget_year))
    return budget_year


@transaction.atomic
def budget_year_update(*, budget_year: BudgetYear, data: dict[str, Any], actor) -> BudgetYear:
    """Change a budget year's fields; audits only when something actually changed."""
    budget_year = BudgetYear.objects.select_for_update().get(pk=budget_year.pk)
    before = snapshot(budget_year)
    for field, value in data.items():
        setattr(budget_year, field, value)
    budget_year.full_clean()
    after = snapshot(budget_year)
    if after != before:
        budget_year.save()
        audit_record(actor=actor, action="budget_year.update", obj=budget_year, before=before, after=after)
    return budget_year


DEFAULT_BUSINESS_TYPES = [
    "Warung Sembako",
    "Kuliner / Makanan Olahan",
    "Kue dan Roti",
    "Menjahit / Konveksi",
    "Tata Rias / Salon",
    "Laundry",
    "Kerajinan Tangan",
    "Perikanan Tangkap",
    "Pengolahan Hasil Perikanan",
    "Pertanian / Hortikultura",
    "Peternakan",
    "Bengkel",
    "Pedagang Keliling",
]


def business_types_load_defaults() -> int:
    """Make sure the business types regency offices propose most often exist (idempotent; reference
    data, so not audited). Returns how many were created."""
    from programs.models import BusinessType

    created = 0
    for name in DEFAULT_BUSINESS_TYPES:
        created += BusinessType.objects.get_or_create(name=name)[1]
    return created
