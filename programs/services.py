"""Writes of budget years; each writes its audit event in the same transaction."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from audit.services import audit_record, snapshot
from core.formatting import rupiah
from programs.models import BudgetYear, Ceiling


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


def ensure_year_writable(budget_year: BudgetYear) -> None:
    """A closed budget year is read-only: nothing of its money may change any more. Call it inside the write's
    transaction: the year's status is read afresh under a share lock on its row (PostgreSQL; SQLite runs one writer
    at a time), held until that transaction ends — closing the year waits for the writes under way, and a write after
    the close sees it, while writers of the same year, and rows that refer to it, never wait for one another."""
    budget_year.status = _status_held(budget_year.pk)
    if budget_year.status == BudgetYear.Status.CLOSED:
        raise ValidationError(f"{budget_year} sudah ditutup: datanya tidak dapat diubah lagi.")


def _status_held(pk: int) -> str:
    # FOR SHARE (which the ORM cannot ask for): not FOR UPDATE, which would make every writer of the year wait for
    # the others, and every insert of a row that refers to the year (its foreign key takes a KEY SHARE lock).
    held = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "status" FROM "{BudgetYear._meta.db_table}" WHERE "id" = %s{held}', [pk])
        return cursor.fetchone()[0]


@transaction.atomic
def ceilings_set(*, budget_year: BudgetYear, values: dict[tuple[str, str], tuple[int, Decimal]], actor) -> int:
    """Set the ceilings (pagu) of a budget year at once: `values` maps (regency code, program) to (target
    count, amount). All or nothing. Refuses when the year is closed, when the ceilings together would
    exceed the year's total, or when a ceiling would fall below what is already allocated against it.
    The budget year's row is locked, so two editors cannot each pass the total check on their own.
    Returns how many ceilings changed (one audit event each)."""
    budget_year = BudgetYear.objects.select_for_update().get(pk=budget_year.pk)
    ensure_year_writable(budget_year)
    current = {
        (c.regency_id, c.program): c for c in Ceiling.objects.select_for_update().filter(budget_year=budget_year)
    }
    errors = []
    for (regency_code, program), (target, amount) in values.items():
        if amount < 0 or target < 0:
            errors.append("Target dan pagu tidak boleh negatif.")
        ceiling = current.get((regency_code, program))
        if ceiling is not None and amount < ceiling.committed:
            errors.append(
                f"Pagu {program} {ceiling.regency} tidak boleh di bawah yang sudah dialokasikan "
                f"({rupiah(ceiling.committed)})."
            )
    amounts = {key: ceiling.amount for key, ceiling in current.items()}
    amounts.update({key: Decimal(amount) for key, (_, amount) in values.items()})
    total = sum(amounts.values(), Decimal(0))
    if total > budget_year.total_ceiling:
        errors.append(
            f"Jumlah pagu kabupaten/kota {rupiah(total)} melebihi pagu {budget_year} "
            f"{rupiah(budget_year.total_ceiling)} (lebih {rupiah(total - budget_year.total_ceiling)})."
        )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    changed = 0
    for (regency_code, program), (target, amount) in values.items():
        ceiling = current.get((regency_code, program))
        if ceiling is None:
            if not target and not amount:
                continue  # an empty row of the editor creates nothing
            ceiling = Ceiling(budget_year=budget_year, regency_id=regency_code, program=program)
            before = None
        elif (ceiling.target_count, ceiling.amount) == (target, Decimal(amount)):
            continue
        else:
            before = {"target_count": ceiling.target_count, "amount": int(ceiling.amount)}
        ceiling.target_count, ceiling.amount = target, Decimal(amount)
        ceiling.save()
        audit_record(
            actor=actor,
            action="ceiling.set",
            obj=ceiling,
            regency_id=regency_code,
            before=before,
            after={"budget_year": budget_year.year, "program": program, "target_count": target, "amount": int(amount)},
        )
        changed += 1
    return changed


def business_types_load_defaults() -> int:
    """Make sure the catalogue of business types (programs.business_types.CATALOGUE) exists, with synonyms."""
    from programs.business_types import catalogue_load
    from programs.models import BusinessType

    return catalogue_load(BusinessType)
