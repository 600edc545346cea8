"""Migration 0007 turns what was stored per BAST line into units: a visit's condition of a line covered all its
units, a verification's outcome of a line too ("kurang", short, read as one unit missing)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from monitoring import services
from monitoring.models import Visit, VisitGoods
from regions.models import Regency
from tests.factories import ApprovedItemFactory
from tests.monitoring.conftest import deliver
from tests.monitoring.test_services import ANSWERS

BEFORE = [("monitoring", "0006_visit_handed_over_on")]
AFTER = [("monitoring", "0007_goods_counted_by_unit")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.fixture(autouse=True)
def latest_schema_after():
    """The database back at the latest migrations after the test: the tests that follow on this worker need them."""
    yield
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_lines_stored_before_are_read_as_every_unit_of_the_line(reference_data):
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    first, second = list(handover.lines.order_by("pk"))[:2]
    visit = services.visit_record(
        handover=handover, data=ANSWERS, goods={first.pk: "rusak", second.pk: "dipakai"}, actor=None
    )
    sample = services.sample_draw(
        budget_year=handover.budget_year, regency=Regency.objects.get(code="64.72"), method="semua",
        confidence=None, margin=None, actor=None,
    )  # fmt: skip
    result = sample.results.get()
    _migrate(BEFORE)
    with connection.cursor() as cursor:  # as the old code left them: one line counted once, quantity 3
        cursor.execute("UPDATE disbursements_handoverline SET quantity = 3 WHERE id = %s", [first.pk])
        cursor.execute("UPDATE monitoring_visit SET goods_broken = 1, goods_used = 1 WHERE id = %s", [visit.pk])
        cursor.execute(
            "UPDATE monitoring_verificationresult SET lines = %s WHERE id = %s",
            [f'{{"{first.pk}": "kurang", "{second.pk}": "lengkap"}}', result.pk],
        )
    _migrate(AFTER)
    rows = {g.line_id: (g.condition, g.quantity) for g in VisitGoods.objects.filter(visit=visit)}
    assert rows == {first.pk: ("rusak", 3), second.pk: ("dipakai", second.quantity)}
    # read as columns: the model has fields of later migrations than the schema now stands at
    counted = Visit.objects.filter(pk=visit.pk).values_list("goods_broken", "goods_used").get()
    assert counted == (3, second.quantity)
    result.refresh_from_db()
    assert result.lines == {str(first.pk): {"baik": 2, "tidak_ada": 1}, str(second.pk): {"baik": second.quantity}}
