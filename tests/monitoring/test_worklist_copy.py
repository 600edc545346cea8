"""The recipient's name and village copied on each BAST (migration disbursements 0008, for the worklist's order)
stay what the registry says after every kind of write: a BAST made, saved and voided; a person renamed or moved
on her form, by an import's bulk update and by a merge of duplicates; a KUBE renamed or moved; a village renamed.
The triggers keep the copy, so the test reads the database, never an object in memory."""

import datetime

import pytest

from beneficiaries import services as registry
from beneficiaries.models import Person
from core.bulk import bulk_set
from disbursements.models import Handover
from disbursements.services import handover_void
from monitoring import selectors
from regions.models import Village
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, PersonFactory
from tests.monitoring.conftest import deliver, kube_item

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 1, 10)


def assert_copies_match():
    handovers = Handover.objects.select_related(
        "allocation__item__person__village", "allocation__item__group__village"
    ).order_by("pk")
    copies = {h.pk: (h.recipient_name, h.village_name) for h in handovers}
    rule = {h.pk: (selectors.recipient_name(h), selectors.recipient_village(h).name) for h in handovers}
    assert copies == rule
    assert all(name for name, _ in copies.values())  # the test would prove nothing with empty copies


def _other_village(village) -> Village:
    return Village.objects.filter(district=village.district_id).exclude(code=village.code).first()


def test_the_copy_follows_every_write_of_a_person_a_kube_a_village_and_a_bast():
    woman = deliver(ApprovedItemFactory(), handed_over_on=DAY)
    group = deliver(kube_item(), program="KUBE", handed_over_on=DAY)
    assert_copies_match()  # made: computed on insert (the object in memory was never given the copy)

    person = woman.allocation.item.person
    registry.person_update(person=person, data={"full_name": "Siti Rahmawati Baru"}, actor=None)
    assert_copies_match()
    registry.person_update(person=person, data={"village": _other_village(person.village)}, actor=None)
    assert_copies_match()

    kube = group.allocation.item.group
    registry.kube_group_update(group=kube, data={"name": "KUBE Maju Bersama"}, actor=None)
    assert_copies_match()
    kube.refresh_from_db()
    registry.kube_group_update(group=kube, data={"village": _other_village(kube.village)}, actor=None)
    assert_copies_match()

    # The import writes changed people with one UPDATE … FROM per chunk (core.bulk.bulk_set).
    person = Person.objects.get(pk=person.pk)
    person.full_name = "Siti Dari Impor"
    bulk_set(Person, [person], ["full_name"])
    assert_copies_match()

    village = Village.objects.get(code=person.village_id)
    village.name = "Sungai Pinang Dalam Baru"
    village.save()
    assert_copies_match()

    # A BAST saved whole (Django writes every column) with a stale copy in memory keeps the registry's.
    stale = Handover.objects.get(pk=woman.pk)
    stale.recipient_name, stale.village_name = "", "salah"
    stale.save()
    assert_copies_match()
    handover_void(handover=Handover.objects.get(pk=group.pk), reason="Salah penerima, diganti BAST baru", actor=None)
    assert_copies_match()


def test_a_merge_of_duplicates_moves_the_bast_to_the_kept_persons_name():
    woman = deliver(ApprovedItemFactory(), handed_over_on=DAY)
    duplicate = woman.allocation.item.person
    keep = PersonFactory(full_name="Siti Aminah (data lama)", village=_other_village(duplicate.village))
    registry.person_merge(keep=keep, duplicate=duplicate, actor=AdminProvinsiFactory())
    assert Handover.objects.get(pk=woman.pk).allocation.item.person_id == keep.pk
    assert Handover.objects.filter(pk=woman.pk, recipient_name=keep.full_name).exists()
    assert_copies_match()
