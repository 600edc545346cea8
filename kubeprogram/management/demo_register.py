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
    typed = dict(Person.objects.filter(desil__lte=4).values_list("pk", "desil"))
    # Every tenth resident is not in the register at all (the Musdes/SIKS-NG list shows them).
    listed = [row for n, row in enumerate(people) if n % 10 != 9]
    # desil 1–4, within every programme's ceiling: the desil typed in the registry where it is one of those (most
    # records agree with the register, as the scorecard's "Desil berbeda dengan DTSEN" expects of good data)
    desil = {pk: typed.get(pk, 1 + (pk * 7) % 4) for pk, *_ in listed}
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


def seed_retention_demo() -> None:
    """A workbook Samarinda uploaded four months ago, past its 90 days: the retention page has one record to destroy."""
    import hashlib

    from django.core.files.base import ContentFile

    from proposals.models import Proposal, Upload

    proposal = Proposal.objects.filter(regency="64.72").order_by("pk").first()
    if proposal is None or Upload.objects.filter(filename="usulan-lama-demo.xlsx").exists():
        return
    data = b"PK demo workbook (retention)"
    upload = Upload(proposal=proposal, filename="usulan-lama-demo.xlsx", sha256=hashlib.sha256(data).hexdigest(),
                    uploaded_by=User.objects.get(username="operator.samarinda"))  # fmt: skip
    upload.file.save("usulan-lama-demo.xlsx", ContentFile(data), save=False)
    upload.save()
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=120))
