"""The register's desil of each person, kept by the database (dtsen_listing, dtsen.kept): after every kind of write
that can change it — a period put in force, a newer one, the same period again, a regency's own snapshot, a snapshot
removed, people added one by one, in bulk or by a workbook, a NIK corrected, a person deleted, a form saved from an
instance read before — it equals what the register says (the newest period's newest snapshot listing the NIK)."""

import datetime

import pytest

from beneficiaries.models import Person
from dtsen.models import Entry, Listing, Snapshot
from proposals import imports
from regions.models import Regency
from tests.factories import OperatorFactory, PersonFactory, ProposalFactory
from tests.proposals.workbooks import build, wrse_row
from tests.rechecks.test_worklist import _snapshot

pytestmark = pytest.mark.django_db

Q2, Q3 = datetime.date(2026, 4, 1), datetime.date(2026, 7, 1)


def _rule() -> dict[int, int | None]:
    """What the register says of every person, read from its entries in Python."""
    ready = Snapshot.objects.filter(status=Snapshot.Status.READY)
    newest = max(ready.values_list("period", flat=True), default=None)
    said: dict[str, int | None] = {}
    for nik, desil in (
        Entry.objects.filter(snapshot__in=ready.filter(period=newest))
        .order_by("snapshot_id")
        .values_list("nik", "desil")
    ):
        said[nik] = desil  # the newest snapshot of the period last
    return {pk: said.get(nik) for pk, nik in Person.objects.values_list("pk", "nik")}


def _kept() -> dict[int, int | None]:
    listed = dict(Listing.objects.values_list("person", "desil"))
    return {pk: listed.get(pk) for pk in Person.objects.values_list("pk", flat=True)}


def _agrees():
    assert _kept() == _rule()


def test_the_kept_desil_follows_the_register_through_every_kind_of_write():
    ana, budi, cici = PersonFactory(), PersonFactory(), PersonFactory()
    assert set(_kept().values()) == {None}  # no register yet

    _snapshot(Q2, [(ana, 3), (budi, 4)])
    assert _kept()[ana.pk] == 3 and _kept()[cici.pk] is None
    _agrees()

    stale = Person.objects.get(pk=ana.pk)  # a form read before the next period came in
    _snapshot(Q3, [(ana, 7), (cici, 2)])  # the newest period: budi is not in it, ana moved to 7
    assert (_kept()[ana.pk], _kept()[budi.pk], _kept()[cici.pk]) == (7, None, 2)
    stale.phone = "081234567890"
    stale.save()  # saving it writes the phone, not ana's old desil back
    assert _kept()[ana.pk] == 7 and Person.objects.get(pk=ana.pk).phone == "081234567890"
    _agrees()

    # The same period again (the first file superseded), then a regency's own file of that period, newer than it.
    _snapshot(Q3, [(ana, 6), (cici, 2), (budi, 5)])
    assert _kept()[ana.pk] == 6 and _kept()[budi.pk] == 5
    own = _snapshot(Q3, [(ana, 9)], regency=Regency.objects.get(pk="64.72"))
    assert _kept()[ana.pk] == 9
    _agrees()

    # People added after: one by one, in bulk (one statement), and a NIK corrected by an update and by a save.
    Entry.objects.create(snapshot=own, nik="6472034101800099", full_name="Dewi", desil=4)  # a listed NIK, not a person
    dewi = PersonFactory(nik="6472034101800099")
    more = Person.objects.bulk_create([PersonFactory.build(), PersonFactory.build(nik="6472034101800099"[:-1] + "8")])
    assert _kept()[dewi.pk] == 4 and all(_kept()[p.pk] is None for p in more)
    Person.objects.filter(pk=more[0].pk).update(nik="6472034101800055")  # not listed
    Person.objects.filter(pk=ana.pk).update(nik="6472034101800077")  # ana's NIK corrected: not listed any more
    assert _kept()[ana.pk] is None
    cici.nik = "6472034101800099"
    Person.objects.filter(pk=dewi.pk).update(nik="6472034101800066")
    cici.save()
    assert _kept()[cici.pk] == 4
    _agrees()

    assert Listing.objects.filter(person=cici.pk).exists()
    Person.objects.filter(pk=cici.pk).delete()  # a person removed leaves no row behind
    assert not Listing.objects.filter(person=cici.pk).exists()

    # The regency's file removed: the province's file of the period speaks again; all Q3 removed: Q2 does.
    own.delete()
    _agrees()
    Snapshot.objects.filter(period=Q3).delete()
    assert _kept()[budi.pk] == 4
    _agrees()


def test_people_a_workbook_adds_carry_the_registers_desil():
    proposal = ProposalFactory()
    rows = [wrse_row(n) for n in range(1, 4)]
    _snapshot(Q3, [(Person(nik=rows[0]["NIK"], full_name="A"), 2), (Person(nik=rows[2]["NIK"], full_name="C"), 5)])
    upload = imports.upload_check(proposal=proposal, data=build(rows), filename="usulan.xlsx", actor=OperatorFactory())
    assert imports.upload_commit(upload=upload, actor=None)["new_people"] == 3  # the register's word only warns
    kept = {nik: _kept()[pk] for pk, nik in Person.objects.values_list("pk", "nik")}
    assert (kept[rows[0]["NIK"]], kept[rows[1]["NIK"]], kept[rows[2]["NIK"]]) == (2, None, 5)
    _agrees()
