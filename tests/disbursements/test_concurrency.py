"""Many allocations at once against one ceiling, on PostgreSQL with real threads and connections."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from disbursements.models import Allocation
from disbursements.services import allocations_create, package_lines
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, CeilingFactory, PackageFactory

THREADS = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_concurrent_allocations_never_exceed_the_ceiling():
    ceiling = CeilingFactory(amount=Decimal("40000000"))  # room for 10 packages of Rp4.000.000
    package = PackageFactory()
    lines = package_lines(package)
    admin = AdminProvinsiFactory()
    items = ApprovedItemFactory.create_batch(THREADS)
    start = threading.Barrier(THREADS)
    accepted, refused, crashed = [], [], []

    def allocate(item):
        try:
            start.wait()
            accepted.append(allocations_create(item_ids=[item.pk], lines=lines, package=package, actor=admin)[0].pk)
        except ValidationError as error:
            refused.append(error.messages)
        except Exception as error:  # noqa: BLE001 — a deadlock or constraint error would land here
            crashed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ceiling.refresh_from_db()
    assert crashed == []
    assert len(accepted) == 10 and len(refused) == THREADS - 10
    assert ceiling.committed == Decimal("40000000") <= ceiling.amount
    assert set(Allocation.objects.active().values_list("pk", flat=True)) == set(accepted)
    assert sum(a.total for a in Allocation.objects.all()) == ceiling.committed
    assert all(m == ["Sisa pagu WRSE Kota Samarinda Rp0 tidak cukup untuk alokasi Rp4.000.000 (kurang Rp4.000.000)."]
               for m in refused)  # fmt: skip
