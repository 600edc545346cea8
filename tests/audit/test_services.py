from decimal import Decimal

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record, audit_record_many, snapshot
from tests.factories import AdminProvinsiFactory, BudgetYearFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def test_snapshot_is_json_ready():
    budget_year = BudgetYearFactory(total_ceiling=Decimal("6500000000"))
    data = snapshot(budget_year)
    assert data["total_ceiling"] == "6500000000"
    assert data["year"] == 2024


def test_audit_record_writes_who_what_and_the_change():
    admin = AdminProvinsiFactory()
    budget_year = BudgetYearFactory()
    with transaction.atomic():
        event = audit_record(
            actor=admin,
            action="budget_year.update",
            obj=budget_year,
            before={"status": "planning"},
            after={"status": "open"},
        )
    event.refresh_from_db()
    assert event.actor == admin
    assert (event.object_type, event.object_id) == ("programs.budgetyear", str(budget_year.pk))
    assert event.object_repr == "Tahun Anggaran 2024"
    assert event.changed_fields == [("status", "planning", "open")]
    assert event.changes_for_display == [("status", "Perencanaan", "Berjalan")]  # the choices' labels, not codes
    assert event.action_label == "Tahun anggaran diubah" and event.object_kind == "tahun anggaran"
    event.after["total_ceiling"] = "1"
    assert ("pagu anggaran", None, "1") in event.changes_for_display


def test_audit_record_takes_regency_from_the_object(samarinda):
    operator = OperatorFactory(regency=samarinda)
    with transaction.atomic():
        # Any model with a regency_id is filed under that regency (here: the user itself).
        event = audit_record(actor=operator, action="user.update", obj=operator)
    assert event.regency == samarinda


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", obj=BudgetYearFactory())
    assert AuditEvent.objects.count() == 0


def test_audit_is_rolled_back_with_the_change():
    budget_year = BudgetYearFactory()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=None, action="budget_year.update", obj=budget_year)
        1 / 0  # noqa: B018 — the change fails after the event was written
    assert AuditEvent.objects.count() == 0


def test_bulk_variant_writes_one_event_per_row_in_one_query(django_assert_max_num_queries):
    years = [BudgetYearFactory(year=2020 + i) for i in range(25)]
    admin = AdminProvinsiFactory()
    with transaction.atomic(), django_assert_max_num_queries(1):
        audit_record_many(actor=admin, action="budget_year.import", objects=years)
    events = AuditEvent.objects.filter(action="budget_year.import")
    assert events.count() == 25
    assert {e.object_id for e in events} == {str(y.pk) for y in years}
    assert events.filter(after__year=2024).count() == 1
