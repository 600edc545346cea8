"""Synthetic recipients with their BASTs and monitoring visits, for load tests and benchmarks (never for real data):
`count` registry people become approved WRSE recipients of `year`, each allocated one package and handed over, and
most of them visited at the year's months with plausible answers. Bulk inserts, no audit events (synthetic)."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from beneficiaries.models import Person
from core.bulk import analyze
from disbursements.models import Allocation, AllocationLine, GoodsItem, Handover, HandoverLine, Package, PackageLine
from monitoring.models import BusinessStatus, GoodsCondition, Visit, VisitGoods
from monitoring.schedule import due_on
from monitoring.services.visits import turnover_changes_refresh
from programs.models import BudgetYear, BusinessType, Ceiling
from proposals.models import ItemStatus, Proposal, ProposalItem
from regions.models import Regency

BATCH = 5_000
STATUSES = [  # (status, weight)
    (BusinessStatus.RUNNING, 45),
    (BusinessStatus.GROWING, 30),
    (BusinessStatus.PAUSED, 15),
    (BusinessStatus.STOPPED, 10),
]
CONDITIONS = [(GoodsCondition.USED, 88), (GoodsCondition.BROKEN, 7), (GoodsCondition.SOLD, 3), (GoodsCondition.LOST, 2)]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def insert(*, year: int, count: int, seed: int = 2024, visited_share: float = 0.8, progress=None) -> dict:
    """Create the year (if missing) with `count` delivered WRSE recipients and their visits. Returns counts."""
    rng = random.Random(seed)
    with transaction.atomic():
        budget_year, _ = BudgetYear.objects.get_or_create(
            year=year, defaults={"total_ceiling": Decimal(10**13), "status": BudgetYear.Status.OPEN}
        )
        goods = [
            GoodsItem.objects.get_or_create(name=f"Mesin Jahit Sintetis {year}", defaults={"unit_price": 2_500_000})[0],
            GoodsItem.objects.get_or_create(name=f"Obras Sintetis {year}", defaults={"unit_price": 1_500_000})[0],
        ]
        business_type = BusinessType.objects.get_or_create(name="Menjahit / Konveksi")[0]
        package, created = Package.objects.get_or_create(
            name=f"Paket Sintetis {year}", defaults={"program": "WRSE", "business_type": business_type}
        )
        if created:
            PackageLine.objects.bulk_create([PackageLine(package=package, goods=g, quantity=1) for g in goods])
        regencies = list(Regency.objects.order_by("code"))
        proposals = {
            r.code: Proposal.objects.get_or_create(
                regency=r, budget_year=budget_year, program="WRSE", defaults={"status": "finalised"}
            )[0]
            for r in regencies
        }
        ceilings = {
            r.code: Ceiling.objects.get_or_create(
                budget_year=budget_year,
                regency=r,
                program="WRSE",
                defaults={"amount": Decimal(10**12), "target_count": count},
            )[0]
            for r in regencies
        }
        taken = ProposalItem.objects.filter(proposal__budget_year=budget_year).values("person")
        people = list(
            Person.objects.filter(merged_into__isnull=True)
            .exclude(pk__in=taken)
            .order_by("pk")
            .values_list("pk", "regency_id")[:count]
        )
    made = {"recipients": 0, "visits": 0}
    start = datetime.date(year, 8, 1)
    sequence = {code: Handover.objects.filter(budget_year=budget_year, regency_id=code).count() for code in proposals}
    months = budget_year.months
    for offset in range(0, len(people), BATCH):
        chunk = people[offset : offset + BATCH]
        with transaction.atomic():
            items = ProposalItem.objects.bulk_create(
                [ProposalItem(proposal=proposals[r], person_id=pk, status=ItemStatus.APPROVED) for pk, r in chunk]
            )
            allocations = Allocation.objects.bulk_create(
                [
                    Allocation(
                        item=item,
                        ceiling=ceilings[r],
                        budget_year=budget_year,
                        regency_id=r,
                        program="WRSE",
                        package=package,
                        total=Decimal(4_000_000),
                    )
                    for item, (_, r) in zip(items, chunk, strict=True)
                ]  # fmt: skip
            )
            AllocationLine.objects.bulk_create(
                [
                    AllocationLine(allocation=a, goods=g, quantity=1, unit_price=g.unit_price, total=g.unit_price)
                    for a in allocations
                    for g in goods
                ]
            )
            handovers = []
            for allocation, (_, r) in zip(allocations, chunk, strict=True):
                sequence[r] += 1
                day = start + datetime.timedelta(days=rng.randrange(0, 150))
                handovers.append(
                    Handover(
                        allocation=allocation,
                        budget_year=budget_year,
                        program="WRSE",
                        regency_id=r,
                        sequence=sequence[r],
                        number=f"BAST/WRSE/{r}/{year}/{sequence[r]:05d}",
                        handed_over_on=day,
                        place="Kantor Dinas Sosial",
                        first_party_name="Petugas",
                        first_party_position="Verifikator",
                        second_party_name="Penerima",
                        second_party_role="Penerima Manfaat WRSE",
                        witness_name="Kepala",
                        witness_position="Kepala Dinas",
                        value=Decimal(4_000_000),
                        signed_scan="bast/pindaian/x.pdf",
                    )  # fmt: skip
                )
            handovers = Handover.objects.bulk_create(handovers)
            lines = HandoverLine.objects.bulk_create(
                [
                    HandoverLine(handover=h, goods=g, quantity=1, unit_price=g.unit_price, total=g.unit_price)
                    for h in handovers
                    for g in goods
                ]
            )
            lines_of = {}
            for line in lines:
                lines_of.setdefault(line.handover_id, []).append(line)
            visits, conditions = [], []
            for handover in handovers:
                if rng.random() > visited_share:
                    continue
                turnover = rng.randrange(3, 40) * 100_000
                for month in months:
                    if rng.random() < 0.1:  # some visits not (yet) made
                        continue
                    turnover = max(0, int(turnover * rng.uniform(0.85, 1.3)) // 10_000 * 10_000)
                    visits.append(
                        Visit(
                            handover=handover,
                            budget_year=budget_year,
                            program="WRSE",
                            regency_id=handover.regency_id,
                            handed_over_on=handover.handed_over_on,
                            due_month=month,
                            visited_on=due_on(handover.handed_over_on, month),
                            visitor_name="Pendamping",
                            business_status=_pick(rng, STATUSES),
                            turnover=Decimal(turnover),
                            net_income=Decimal(turnover // 4),
                            workers=rng.randrange(1, 4),
                        )  # fmt: skip
                    )
                    conditions.append([_pick(rng, CONDITIONS) for _ in lines_of[handover.pk]])
                    visits[-1].count_goods({c: 1} for c in conditions[-1])  # each line of one unit
            visits = Visit.objects.bulk_create(visits)
            turnover_changes_refresh({visit.handover_id for visit in visits})
            VisitGoods.objects.bulk_create(
                [
                    VisitGoods(visit=visit, line=line, condition=condition, quantity=line.quantity)
                    for visit, found in zip(visits, conditions, strict=True)
                    for line, condition in zip(lines_of[visit.handover_id], found, strict=True)
                ],
                batch_size=BATCH,
            )
        made["recipients"] += len(chunk)
        made["visits"] += len(visits)
        if progress:
            progress(made)
    analyze(ProposalItem, Allocation, AllocationLine, Handover, HandoverLine, Visit, VisitGoods)
    return made
