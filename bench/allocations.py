"""Allocations on PostgreSQL: throughput under contention (threads allocating one recipient at a time
against the same ceiling, each call locking it), and one bulk allocation to 1,000 recipients against 1,000
single calls. Beside them, in the same run, the floor: the same allocation rows and lines written with
bulk_create, without locks, checks or audit events.

Uses a throwaway budget year (2099) in kube_bench (the registry of people_list.py / seed_synthetic),
recreated on every run; nothing else is touched.

    .venv/bin/python bench/allocations.py [--threads 1 4 16 32] [--per-setting 800]
"""

import argparse
import os
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"

YEAR = 2099


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 16, 32])
    parser.add_argument("--per-setting", type=int, default=800, help="allocations per thread setting")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from audit.models import AuditEvent
    from beneficiaries.models import Person
    from disbursements.models import Allocation, AllocationLine, GoodsItem, Package, PackageLine
    from disbursements.services import allocations_create, package_lines
    from programs.models import BudgetYear, BusinessType, Ceiling
    from proposals.models import ItemStatus, Proposal, ProposalItem
    from regions.models import Regency

    call_command("migrate", verbosity=0)
    needed = args.per_setting * len(args.threads) + 3 * 1000
    with transaction.atomic():
        old = BudgetYear.objects.filter(year=YEAR).first()
        if old is not None:
            allocations = Allocation.objects.filter(budget_year=old)
            AuditEvent.objects.filter(
                object_type="disbursements.allocation",
                object_id__in=[str(pk) for pk in allocations.values_list("pk", flat=True)],
            ).delete()
            AllocationLine.objects.filter(allocation__budget_year=old).delete()
            allocations.delete()
            Ceiling.objects.filter(budget_year=old).delete()
            ProposalItem.objects.filter(proposal__budget_year=old).delete()
            Proposal.objects.filter(budget_year=old).delete()
            old.delete()
        year = BudgetYear.objects.create(year=YEAR, total_ceiling=Decimal(10**13), status=BudgetYear.Status.OPEN)
        regency = Regency.objects.get(code="64.72")
        proposal = Proposal.objects.create(regency=regency, budget_year=year, program="WRSE", status="finalised")
        people = list(Person.objects.filter(regency=regency).values_list("pk", flat=True)[:needed])
        assert len(people) == needed, f"kube_bench needs {needed} people of Kota Samarinda; run people_list.py first"
        items = ProposalItem.objects.bulk_create(
            [ProposalItem(proposal=proposal, person_id=pk, status=ItemStatus.APPROVED) for pk in people]
        )
        Ceiling.objects.create(budget_year=year, regency=regency, program="WRSE", amount=Decimal(10**12))
        business_type, _ = BusinessType.objects.get_or_create(name="Kue dan Roti")
        package, created = Package.objects.get_or_create(
            name="Paket Bench", defaults={"program": "WRSE", "business_type": business_type}
        )
        if created:
            for n, price in enumerate((1_750_000, 600_000, 850_000)):
                goods, _ = GoodsItem.objects.get_or_create(name=f"Barang Bench {n}", defaults={"unit_price": price})
                PackageLine.objects.create(package=package, goods=goods, quantity=1 + n % 2)
    lines = package_lines(package)
    ids = [item.pk for item in items]
    print(f"PostgreSQL {connection.pg_version}; {len(ids):,} approved recipients; package of {len(lines)} goods")

    def take(n):
        chunk, ids[:] = ids[:n], ids[n:]
        return chunk

    print(f"{'threads':>7} {'allocations':>11} {'seconds':>8} {'per second':>10}")
    for threads in args.threads:
        chunk = take(args.per_setting)
        slices = [chunk[i::threads] for i in range(threads)]
        start = threading.Barrier(threads + 1)
        errors = []

        def work(mine, start=start, errors=errors):
            try:
                start.wait()
                for item_id in mine:
                    allocations_create(item_ids=[item_id], lines=lines, package=package, actor=None)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        workers = [threading.Thread(target=work, args=(s,)) for s in slices]
        for worker in workers:
            worker.start()
        start.wait()
        began = time.perf_counter()
        for worker in workers:
            worker.join()
        took = time.perf_counter() - began
        assert not errors, errors[:3]
        print(f"{threads:>7} {len(chunk):>11,} {took:>8.2f} {len(chunk) / took:>10.0f}")

    chunk = take(1000)
    began = time.perf_counter()
    allocations_create(item_ids=chunk, lines=lines, package=package, actor=None)
    bulk = time.perf_counter() - began

    chunk = take(1000)
    began = time.perf_counter()
    for item_id in chunk:
        allocations_create(item_ids=[item_id], lines=lines, package=package, actor=None)
    singles = time.perf_counter() - began

    chunk = take(1000)
    ceiling = Ceiling.objects.get(budget_year=year, program="WRSE", regency=regency)
    each = sum(goods.unit_price * quantity for goods, quantity in lines)
    began = time.perf_counter()
    with transaction.atomic():
        made = Allocation.objects.bulk_create(
            [
                Allocation(item_id=pk, ceiling=ceiling, budget_year=year, regency=regency, program="WRSE",
                           package=package, total=each)
                for pk in chunk
            ]
        )  # fmt: skip
        AllocationLine.objects.bulk_create(
            [
                AllocationLine(allocation=a, goods=g, quantity=q, unit_price=g.unit_price, total=g.unit_price * q)
                for a in made
                for g, q in lines
            ]
        )
    floor = time.perf_counter() - began
    print(f"1,000 recipients: one bulk allocation {bulk:.2f} s; 1,000 single ones {singles:.2f} s "
          f"({singles / bulk:.0f}x); floor (bulk_create, no lock/checks/audit) {floor:.2f} s")  # fmt: skip
    committed = Ceiling.objects.get(pk=ceiling.pk).committed
    active = Allocation.objects.filter(budget_year=year, ceiling=ceiling).exclude(pk__in=[a.pk for a in made])
    assert committed == sum(a.total for a in active), "committed must equal the sum of the service's allocations"
    print(f"check: ceiling committed {committed:,} = sum of {active.count():,} allocations")


if __name__ == "__main__":
    main()
