"""BASTs for every recipient present at one Bimtek session, in one form and one print."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from disbursements.models import Allocation, Handover
from disbursements.selectors import remembered_parties, session_allocations
from disbursements.services import allocations_create, handovers_create_for_session, package_lines
from tests.factories import (
    ApprovedItemFactory,
    CeilingFactory,
    OperatorFactory,
    PackageFactory,
    TrainingSessionFactory,
    VerifikatorFactory,
)
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db

PARTIES = {
    "handed_over_on": None,
    "place": "Aula Dinas Sosial Kota Samarinda",
    "first_party_name": "Rina Wati, S.Sos",
    "first_party_nip": "198501012010012001",
    "first_party_position": "Kepala Bidang Pemberdayaan Sosial",
    "witness_name": "Drs. Ahmad Yani",
    "witness_nip": "197001011995031001",
    "witness_position": "Kepala Dinas Sosial Kota Samarinda",
}


@pytest.fixture
def session_of_three():
    """Three women invited; two present, one absent; all three allocated; one more present but not allocated."""
    CeilingFactory(amount=Decimal("100000000"))
    items = ApprovedItemFactory.create_batch(4)
    session = TrainingSessionFactory()
    attendances = participants_invite(session=session, item_ids=[i.pk for i in items], actor=None)
    for attendance, status in zip(attendances, ["present", "present", "absent", "present"], strict=True):
        attendance_mark(attendance=attendance, status=status, actor=None)
    allocations_create(item_ids=[i.pk for i in items[:3]], lines=package_lines(PackageFactory()), actor=None)
    return session, items


def _data(**changes):
    return {**PARTIES, "handed_over_on": timezone.localdate(), **changes}


def test_one_form_makes_the_basts_of_the_present_and_allocated(session_of_three):
    session, items = session_of_three
    assert [a.item_id for a in session_allocations(session)] == [items[0].pk, items[1].pk]
    handovers = handovers_create_for_session(session=session, data=_data(), actor=VerifikatorFactory())
    assert [h.number for h in handovers] == ["BAST/WRSE/64.72/2024/0001", "BAST/WRSE/64.72/2024/0002"]
    assert {(h.place, h.first_party_name, h.witness_name, h.handed_over_on) for h in handovers} == {
        (PARTIES["place"], PARTIES["first_party_name"], PARTIES["witness_name"], timezone.localdate())
    }
    assert AuditEvent.objects.filter(action="handover.create").count() == 2
    assert session_allocations(session) == []  # done: nothing left for a second batch
    with pytest.raises(ValidationError, match="Tidak ada peserta hadir"):
        handovers_create_for_session(session=session, data=_data(), actor=None)


def test_the_next_form_remembers_the_regencys_first_party_and_witness(client, session_of_three):
    session, items = session_of_three
    handovers_create_for_session(session=session, data=_data(), actor=None)
    remembered = remembered_parties(session.regency)
    assert remembered["witness_name"] == "Drs. Ahmad Yani" and remembered["first_party_nip"] == "198501012010012001"
    allocations_create(item_ids=[items[3].pk], lines=package_lines(PackageFactory()), actor=None)  # one more later
    client.force_login(VerifikatorFactory(first_name="Budi", last_name="Hartono"))
    page = client.get(reverse("disbursements:handover_batch", args=[session.pk])).content.decode()
    assert 'value="Drs. Ahmad Yani"' in page and 'value="Kepala Dinas Sosial Kota Samarinda"' in page


def test_a_refusal_for_one_recipient_refuses_the_batch_and_names_her(session_of_three):
    session, items = session_of_three
    late = Allocation.objects.get(item=items[1])
    Allocation.objects.filter(pk=late.pk).update(created_at=timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        handovers_create_for_session(session=session, data=_data(), actor=None)
    assert str(items[1]) in error.value.messages[0] and "sebelum barang dialokasikan" in error.value.messages[0]
    assert not Handover.objects.exists()


def test_the_form_then_one_print_of_all_one_per_page(client, session_of_three):
    session, items = session_of_three
    client.force_login(VerifikatorFactory())
    url = reverse("disbursements:handover_batch", args=[session.pk])
    form = client.get(url).content.decode()
    assert "2 BAST" in form and items[0].person.full_name in form and items[2].person.full_name not in form
    data = {**_data(handed_over_on=timezone.localdate().isoformat())}
    response = client.post(url, data)
    assert response.status_code == 302 and Handover.objects.count() == 2
    printed = client.get(response["Location"]).content.decode()
    assert printed.count('class="bast-page"') == 2
    assert "BAST/WRSE/64.72/2024/0001" in printed and "BAST/WRSE/64.72/2024/0002" in printed


def test_the_batch_print_shows_only_basts_in_scope(client, session_of_three, balikpapan):
    session, _ = session_of_three
    handovers = handovers_create_for_session(session=session, data=_data(), actor=None)
    client.force_login(OperatorFactory(regency=balikpapan))
    url = reverse("disbursements:handover_print_many") + "?" + "&".join(f"id={h.pk}" for h in handovers)
    assert client.get(url).status_code == 404
