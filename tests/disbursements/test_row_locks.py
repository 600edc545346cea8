"""The row locks a user relies on when two officers press "Simpan" at the same moment (PostgreSQL, real threads):
the same recipient allocated twice, the same allocation handed over twice. Without the lock on the proposal item
(allocations) or on the allocation (handovers) the second write hits a database constraint and crashes instead
of being refused with its reason."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from disbursements.models import Allocation, Handover
from disbursements.services import allocations_create, package_lines
from tests.factories import ApprovedItemFactory, CeilingFactory, PackageFactory, TrainingSessionFactory
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite

THREADS = 8


def _at_once(work) -> tuple[list, list, list]:
    start = threading.Barrier(THREADS)
    done, refused, crashed = [], [], []

    def run():
        try:
            start.wait()
            done.append(work())
        except ValidationError as error:
            refused.append(error.messages)
        except Exception as error:  # noqa: BLE001 — a constraint error or deadlock lands here
            crashed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, refused, crashed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_same_recipient_allocated_at_once_gets_one_allocation_and_clear_refusals():
    CeilingFactory()
    item = ApprovedItemFactory()
    package = PackageFactory()
    lines = package_lines(package)

    done, refused, crashed = _at_once(lambda: allocations_create(item_ids=[item.pk], lines=lines, actor=None))

    assert crashed == [] and len(done) == 1 and len(refused) == THREADS - 1
    assert all("sudah memiliki alokasi" in messages[0] for messages in refused)
    assert Allocation.objects.filter(item=item).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_same_allocation_handed_over_at_once_gets_one_bast_and_clear_refusals():
    CeilingFactory()
    item = ApprovedItemFactory()
    [attendance] = participants_invite(session=TrainingSessionFactory(), item_ids=[item.pk], actor=None)
    attendance_mark(attendance=attendance, status="present", actor=None)
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=None)

    done, refused, crashed = _at_once(lambda: _handover(allocation, signed=False))

    assert crashed == [] and len(done) == 1 and len(refused) == THREADS - 1
    assert all("sudah diserahterimakan" in messages[0] for messages in refused)
    assert Handover.objects.filter(allocation=allocation).count() == 1
    assert done[0].number.endswith("/0001")  # the refused ones took no number
