"""BAST numbers are unique and gap-free per (year, program, regency), also when created at the same moment."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from disbursements.models import Handover
from disbursements.services import allocations_create, package_lines
from tests.factories import ApprovedItemFactory, CeilingFactory, PackageFactory, TrainingSessionFactory
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite

THREADS = 16


class Rollback(Exception):
    pass


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_concurrent_handovers_get_consecutive_numbers():
    CeilingFactory(amount=Decimal("1000000000"))
    package = PackageFactory()
    items = ApprovedItemFactory.create_batch(THREADS + 1)
    session = TrainingSessionFactory(capacity=100)
    for attendance in participants_invite(session=session, item_ids=[i.pk for i in items], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    allocations = allocations_create(item_ids=[i.pk for i in items], lines=package_lines(package), actor=None)

    # A handover rolled back after taking its number gives the number back.
    with pytest.raises(Rollback), transaction.atomic():
        _handover(allocations[-1])
        raise Rollback

    start = threading.Barrier(THREADS)
    errors = []

    def create(allocation):
        try:
            start.wait()
            _handover(allocation)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(a,)) for a in allocations[:THREADS]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Handover.objects.values_list("number", flat=True))
    assert numbers == [f"BAST/WRSE/64.72/2024/{n:04d}" for n in range(1, THREADS + 1)]
