"""The demo's register: two quarters of a synthetic DTSEN extract (never real data), so that every rule of the
register can be seen — a desil above the ceiling at verification, the re-check worklist of Samarinda (three of the
year's recipients whose desil rose to 7, one who left the register), and candidates DTSEN does not list."""

import datetime

from django.utils import timezone

from accounts.models import User
from beneficiaries.models import Person
from disbursements.models import Allocation
from dtsen.models import Snapshot
from dtsen.services import import_snapshot

SOURCE = "Data sintetis demo (bukan data DTSEN sebenarnya)"


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def seed_register() -> None:
    if Snapshot.objects.exists():
        return
    admin = User.objects.get(username="admin")
    current = _quarter_start(timezone.localdate())
    before = _quarter_start(current - datetime.timedelta(days=1))
    people = list(Person.objects.order_by("pk").values_list("pk", "nik", "kk_number", "full_name", "regency__name"))
    # Every tenth resident is not in the register at all (the Musdes/SIKS-NG list shows them).
    listed = [row for n, row in enumerate(people) if n % 10 != 9]
    desil = {pk: 1 + (pk * 7) % 4 for pk, *_ in listed}  # desil 1–4: within every programme's ceiling
    recipients = list(
        Allocation.objects.active()
        .filter(regency="64.72", program="WRSE", budget_year__year=timezone.localdate().year)
        .order_by("pk")
        .values_list("item__person_id", flat=True)
    )
    rose, left = recipients[:3], recipients[3:4]
    for pk in recipients:
        desil.setdefault(pk, 2)
    listed_pks = {pk for pk, *_ in listed} | set(recipients)
    rows = [row for row in people if row[0] in listed_pks]
    _import(admin, before, rows, desil)
    now = {**desil, **dict.fromkeys(rose, 7)}
    _import(admin, current, [row for row in rows if row[0] not in left], now)


def _import(admin, period, rows, desil) -> None:
    lines = ["NIK;No KK;Nama;Desil;ID Keluarga;Kab/Kota"]
    lines += [f"{nik};{kk};{name};{desil[pk]};DEMO-{kk[-6:]};{regency}" for pk, nik, kk, name, regency in rows]
    import_snapshot(user=admin, data="\n".join(lines).encode(), file_name=f"dtsen-demo-{period:%Y%m}.csv",
                    period=period, source=SOURCE)  # fmt: skip
