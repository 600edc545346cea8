"""What the allocation and handover services promise beyond "no exception": who is recorded as having done it,
the audit event's exact payload, the exact refusal a user reads, the ceiling of the right year, the package each
recipient gets, and a fixed number of queries however many recipients."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from disbursements.models import Allocation
from disbursements.services import (
    allocation_void,
    allocations_create,
    allocations_create_matching,
    handover_attach,
    handover_create,
    handover_void,
    handovers_create_for_session,
    package_lines,
)
from programs.models import BusinessType, Ceiling
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    PackageFactory,
    ProposalItemFactory,
    TrainingSessionFactory,
    VerifikatorFactory,
)
from tests.factories.disbursements import _handover
from tests.monitoring.conftest import kube_item
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def _messages(call) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.messages


DATA = {
    "place": "Balai Desa",
    "first_party_name": "Rina Wati, S.Sos",
    "first_party_position": "Kepala Bidang Pemberdayaan Sosial",
    "witness_name": "Drs. Ahmad Yani",
    "witness_position": "Kepala Dinas Sosial",
}


def _trained(item):
    [attendance] = participants_invite(session=TrainingSessionFactory(), item_ids=[item.pk], actor=None)
    attendance_mark(attendance=attendance, status="present", actor=None)
    return item


# Allocations -----------------------------------------------------------------------------------------------------


def test_an_allocation_records_its_author_its_package_and_the_exact_audit_event():
    CeilingFactory()
    admin, item, package = AdminProvinsiFactory(), ApprovedItemFactory(), PackageFactory()
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(package), package=package, actor=admin)
    assert (allocation.created_by, allocation.package, allocation.total) == (admin, package, Decimal("4000000"))
    event = AuditEvent.objects.get(action="allocation.create")
    lines = [[ln.goods.pk, ln.goods.name, ln.quantity, int(ln.goods.unit_price)] for ln in package.lines.all()]
    assert (event.actor, event.object_id, event.regency_id) == (admin, str(allocation.pk), "64.72")
    assert event.after == {"item": item.pk, "budget_year": 2024, "program": "WRSE", "package": package.pk,
                           "total": 4000000, "lines": lines}  # fmt: skip
    anonymous = AnonymousUser()
    [other] = allocations_create(item_ids=[ApprovedItemFactory().pk], lines=package_lines(package), actor=anonymous)
    assert other.created_by is None and other.package is None  # goods chosen one by one: no package


def test_the_ceiling_of_the_recipients_year_is_committed_not_another_years():
    this_year = CeilingFactory()
    next_year = CeilingFactory(budget_year=BudgetYearFactory(year=2025))
    allocations_create(item_ids=[ApprovedItemFactory().pk], lines=package_lines(PackageFactory()), actor=None)
    assert Ceiling.objects.get(pk=this_year.pk).committed == Decimal("4000000")
    assert Ceiling.objects.get(pk=next_year.pk).committed == 0


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        try:
            call()
        except ValidationError:
            pass
    return len(queries)


def test_allocating_takes_the_same_number_of_queries_for_one_or_many():
    CeilingFactory()
    package = PackageFactory()
    lines = package_lines(package)
    items = [ApprovedItemFactory() for _ in range(3)]
    one = _count(lambda: allocations_create(item_ids=[items[0].pk], lines=lines, actor=None))
    assert _count(lambda: allocations_create(item_ids=[i.pk for i in items[1:]], lines=lines, actor=None)) == one
    CeilingFactory(program="KUBE")
    kube, kube_too = kube_item(), kube_item()
    allocations_create(item_ids=[kube.pk, kube_too.pk], lines=lines, actor=None)
    taken = [*items, kube, kube_too]  # named by person and by group
    # refused: every reason named, the recipients' names read in the same query, however many
    refused_two = _count(lambda: allocations_create(item_ids=[items[0].pk, kube.pk], lines=lines, actor=None))
    assert _count(lambda: allocations_create(item_ids=[i.pk for i in taken], lines=lines, actor=None)) == refused_two
    messages = _messages(lambda: allocations_create(item_ids=[i.pk for i in taken], lines=lines, actor=None))
    assert sorted(m.split(" sudah memiliki")[0] for m in messages) == sorted(str(i) for i in taken)
    pending = [ProposalItemFactory(), kube_item(), kube_item()]
    type(kube).objects.filter(pk__in=[pending[1].pk, pending[2].pk]).update(status="pending")
    two = _count(lambda: allocations_create(item_ids=[i.pk for i in pending[:2]], lines=lines, actor=None))
    assert _count(lambda: allocations_create(item_ids=[i.pk for i in pending], lines=lines, actor=None)) == two
    messages = _messages(lambda: allocations_create(item_ids=[i.pk for i in pending], lines=lines, actor=None))
    assert sorted(messages) == sorted(f"{i} belum disetujui (Menunggu)." for i in pending)


def test_matching_gives_each_recipient_the_package_of_its_business_and_refuses_those_none_fits():
    CeilingFactory(amount=Decimal("100000000"))
    sewing = PackageFactory(name="A Paket Menjahit")
    catering, _ = BusinessType.objects.get_or_create(name="Kuliner")
    cooking = PackageFactory(name="B Paket Kuliner", business_type=catering)
    seamstress = ApprovedItemFactory(business_type=sewing.business_type)
    cook = ApprovedItemFactory(business_type=catering)
    admin = AdminProvinsiFactory()
    made = allocations_create_matching(item_ids=[cook.pk, seamstress.pk], actor=admin)
    assert [(a.item, a.package, a.created_by) for a in made] == [(seamstress, sewing, admin), (cook, cooking, admin)]
    assert {tuple(a.lines.values_list("goods", flat=True)) for a in made} == {
        tuple(p.lines.values_list("goods", flat=True)) for p in (sewing, cooking)
    }
    more = [ApprovedItemFactory(business_type=sewing.business_type) for _ in range(3)]
    one = _count(lambda: allocations_create_matching(item_ids=[more[0].pk], actor=None))
    assert _count(lambda: allocations_create_matching(item_ids=[m.pk for m in more[1:]], actor=None)) == one
    strays = [ApprovedItemFactory(business_type=None), kube_item(), kube_item()]  # named by person / by group
    one = _count(lambda: allocations_create_matching(item_ids=[strays[0].pk, strays[1].pk], actor=None))
    assert _count(lambda: allocations_create_matching(item_ids=[i.pk for i in strays], actor=None)) == one
    many = [ApprovedItemFactory(business_type=None) for _ in range(11)]
    named = _messages(lambda: allocations_create_matching(item_ids=[i.pk for i in many], actor=None))[0]
    assert named.count("(jenis usaha kosong)") == 10  # the first ten named: the message stays readable
    nobody = ApprovedItemFactory(business_type=None)
    other = ApprovedItemFactory(business_type=BusinessType.objects.get_or_create(name="Bengkel")[0])
    messages = _messages(lambda: allocations_create_matching(item_ids=[nobody.pk, other.pk], actor=admin))
    assert messages == [
        f"Tidak ada paket aktif yang sesuai program dan jenis usaha untuk: {nobody} (jenis usaha kosong); "
        f"{other} (Bengkel)."
    ]
    assert Allocation.objects.count() == 5


def test_voiding_an_allocation_records_who_and_why_and_refuses_twice(django_assert_num_queries):
    CeilingFactory()
    [allocation] = allocations_create(item_ids=[ApprovedItemFactory().pk], lines=package_lines(PackageFactory()),
                                      actor=None)  # fmt: skip
    admin = AdminProvinsiFactory()
    with django_assert_num_queries(11):  # locks, year held open, no BAST, ceiling's return, the row, the audit event
        allocation_void(allocation=allocation, reason="  Penerima   pindah domisili ", actor=admin)
    allocation.refresh_from_db()
    assert (allocation.status, allocation.voided_by) == ("void", admin)
    assert allocation.void_reason == "Penerima pindah domisili"
    assert allocation.voided_at is not None
    event = AuditEvent.objects.get(action="allocation.void")
    assert (event.actor, event.before, event.after) == (
        admin,
        {"status": "active", "total": 4000000},
        {"status": "void", "reason": "Penerima pindah domisili"},
    )
    assert _messages(lambda: allocation_void(allocation=allocation, reason="lagi", actor=admin)) == [
        "Alokasi ini sudah dibatalkan."
    ]
    [anonymous] = allocations_create(item_ids=[ApprovedItemFactory().pk], lines=package_lines(PackageFactory()),
                                     actor=None)  # fmt: skip
    allocation_void(allocation=anonymous, reason="Salah input", actor=AnonymousUser())
    anonymous.refresh_from_db()
    assert anonymous.voided_by is None


# Handovers --------------------------------------------------------------------------------------------------------


@pytest.fixture
def allocation():
    CeilingFactory()
    item = _trained(ApprovedItemFactory())
    return allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=None)[0]


def test_a_handover_records_its_author_and_each_refusal_reads_exactly(allocation):
    verifier = VerifikatorFactory()
    handover = _handover(allocation, signed=False)
    assert handover.created_by is None  # the factory's actor: none
    assert _messages(lambda: _handover(allocation)) == ["Barang alokasi ini sudah diserahterimakan (BAST sudah ada)."]
    handover_void(handover=handover, reason="Salah tanggal", actor=verifier)
    data = DATA | {"handed_over_on": datetime.date.today()}
    again = handover_create(allocation=allocation, data=data, actor=verifier)
    assert again.created_by == verifier and again.place == "Balai Desa"
    event = AuditEvent.objects.get(action="handover.create", object_id=str(again.pk))
    assert event.actor == verifier and event.after["number"] == again.number and event.after["place"] == "Balai Desa"
    handover_void(handover=again, reason="Salah tanggal", actor=verifier)
    allocation_void(allocation=allocation, reason="Penerima meninggal", actor=None)
    assert _messages(lambda: handover_create(allocation=allocation, data=data, actor=verifier)) == [
        "Alokasi ini sudah dibatalkan; barangnya tidak dapat diserahkan."
    ]


def test_a_handover_before_bimtek_reads_the_rule_then_what_is_missing():
    CeilingFactory()
    [allocation] = allocations_create(item_ids=[ApprovedItemFactory().pk], lines=package_lines(PackageFactory()),
                                      actor=None)  # fmt: skip
    messages = _messages(lambda: _handover(allocation))
    assert messages[0] == "Serah terima hanya setelah Bimtek." and len(messages) == 2


def test_a_kube_handover_names_the_ketua_as_second_party_and_fields_are_validated():
    CeilingFactory(program="KUBE")
    item = kube_item()
    for member in item.group.members.filter(role__in=["ketua", "sekretaris", "bendahara"]):
        session = TrainingSessionFactory(program="KUBE")
        [attendance] = [a for a in participants_invite(session=session, item_ids=[item.pk], actor=None)
                        if a.person_id == member.person_id] or [None]  # fmt: skip
        if attendance:
            attendance_mark(attendance=attendance, status="present", actor=None)
    package = PackageFactory(program="KUBE")
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(package), actor=None)
    chair = item.group.members.get(role="ketua").person
    with pytest.raises(ValidationError) as refused:
        _handover(allocation, first_party_position="")
    assert refused.value.message_dict == {"first_party_position": ["Field ini tidak boleh kosong."]}
    data = DATA | {"handed_over_on": datetime.date.today()}
    queries = _count(lambda: handover_create(allocation=allocation, data=data, actor=AnonymousUser()))
    handover = allocation.handovers.get()
    assert handover.created_by is None
    assert (handover.second_party_name, handover.second_party_role) == (chair.full_name, f"Ketua {item.group.label}")
    assert queries == 31  # a KUBE's: the woman's 28, the three officers' attendance and the ketua in one query
    assert handover.photo.name == "" and handover.signed_scan.name == ""


def test_handover_lines_keep_each_goods_condition(allocation, django_assert_num_queries):
    first, second = allocation.lines.order_by("id")
    data = DATA | {"handed_over_on": datetime.date.today()}
    with django_assert_num_queries(
        28
    ):  # the year held open, the Bimtek gate, the BAST counter, the lines, the audit event
        handover = handover_create(allocation=allocation, data=data, conditions={second.pk: "rusak"}, actor=None)
    assert list(handover.lines.order_by("id").values_list("goods", "condition")) == [
        (first.goods_id, "baik"),
        (second.goods_id, "rusak"),
    ]


def test_voiding_a_handover_records_who_and_why_and_refuses_twice(allocation, django_assert_num_queries):
    handover = _handover(allocation)
    verifier = VerifikatorFactory()
    with django_assert_num_queries(6):  # the year held open among them
        handover_void(handover=handover, reason=" Salah   penerima ", actor=verifier)
    handover.refresh_from_db()
    assert (handover.status, handover.voided_by, handover.void_reason) == ("void", verifier, "Salah penerima")
    event = AuditEvent.objects.get(action="handover.void")
    assert (event.actor, event.before, event.after) == (
        verifier,
        {"status": "delivered"},
        {"status": "void", "reason": "Salah penerima"},
    )
    assert _messages(lambda: handover_void(handover=handover, reason="lagi", actor=verifier)) == [
        "BAST ini sudah dibatalkan."
    ]
    second = _handover(allocation)
    handover_void(handover=second, reason="Salah", actor=AnonymousUser())
    second.refresh_from_db()
    assert second.voided_by is None


def test_attachments_are_checked_by_kind_size_and_content_and_audited(allocation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    handover = _handover(allocation, signed=False)
    verifier = VerifikatorFactory()
    assert _messages(lambda: handover_attach(handover=handover, field="other", upload=None, actor=None)) == [
        "Jenis lampiran tidak dikenal."
    ]
    for field, name, content in [("photo", "f.jpg", JPEG), ("photo", "f.png", PNG), ("signed_scan", "s.pdf", PDF),
                                 ("signed_scan", "s.jpg", JPEG), ("signed_scan", "s.png", PNG)]:  # fmt: skip
        handover_attach(handover=handover, field=field, upload=SimpleUploadedFile(name, content), actor=verifier)
        handover.refresh_from_db()
        assert getattr(handover, field).name.endswith(f"{handover.pk}-{field}.{name[-3:]}")
    events = AuditEvent.objects.filter(action="handover.attach_photo").order_by("id")
    first, second = events
    assert first.actor == verifier and first.before is None
    assert first.after == {"photo": first.after["photo"], "size": len(JPEG)} and first.after["photo"].endswith(".jpg")
    assert second.before == {"photo": first.after["photo"]}  # the photo it replaced
    assert _messages(
        lambda: handover_attach(handover=handover, field="photo", upload=SimpleUploadedFile("x.pdf", PDF), actor=None)
    ) == ["Isi berkas bukan foto JPEG atau PNG."]
    assert _messages(
        lambda: handover_attach(
            handover=handover, field="signed_scan", upload=SimpleUploadedFile("x", b"GIF89a" * 4), actor=None
        )  # fmt: skip
    ) == ["Isi berkas bukan PDF, JPEG atau PNG."]
    voided = _handover(allocations_create(item_ids=[_trained(ApprovedItemFactory()).pk],
                                          lines=package_lines(PackageFactory()), actor=None)[0])  # fmt: skip
    handover_void(handover=voided, reason="Salah", actor=None)
    assert _messages(
        lambda: handover_attach(handover=voided, field="photo", upload=SimpleUploadedFile("f.png", PNG), actor=None)
    ) == ["BAST ini sudah dibatalkan; lampiran tidak dapat ditambahkan."]
    settings.HANDOVER_DOCUMENT_MAX_BYTES = 3 * 1048576
    exactly = SimpleUploadedFile("pas.png", PNG)
    exactly.size = 3 * 1048576  # at the limit: accepted
    handover_attach(handover=handover, field="photo", upload=exactly, actor=None)
    big = SimpleUploadedFile("besar.png", PNG)
    big.size = 3 * 1048576 + 104858  # 3.1 MB
    assert _messages(lambda: handover_attach(handover=handover, field="photo", upload=big, actor=None)) == [
        "Berkas terlalu besar (3.1 MB); maksimal 3 MB."
    ]
    settings.HANDOVER_DOCUMENT_MAX_BYTES = 2621441  # 2.5000 MB: shown rounded, like the size
    odd = SimpleUploadedFile("ganjil.png", PNG)
    odd.size = 5295309  # 5.0500002 MB: in MB of 1,048,576 bytes it rounds up
    assert _messages(lambda: handover_attach(handover=handover, field="photo", upload=odd, actor=None)) == [
        "Berkas terlalu besar (5.1 MB); maksimal 3 MB."
    ]


def test_batch_handovers_name_the_recipient_each_refusal_concerns_and_record_the_author():
    CeilingFactory()
    session = TrainingSessionFactory()
    items = [ApprovedItemFactory() for _ in range(2)]
    for attendance in participants_invite(session=session, item_ids=[i.pk for i in items], actor=None):
        attendance_mark(attendance=attendance, status="present", actor=None)
    allocations_create(item_ids=[i.pk for i in items], lines=package_lines(PackageFactory()), actor=None)
    data = DATA | {"handed_over_on": datetime.date(2024, 7, 10)}  # before the Bimtek and the allocation
    messages = _messages(lambda: handovers_create_for_session(session=session, data=data, actor=None))
    assert sorted({m.split(": ")[0] for m in messages}) == sorted(str(i) for i in items)
    verifier = VerifikatorFactory()
    made = handovers_create_for_session(session=session, data=data | {"handed_over_on": datetime.date.today()},
                                        actor=verifier)  # fmt: skip
    assert [h.created_by for h in made] == [verifier, verifier]
    assert _messages(lambda: handovers_create_for_session(session=session, data=data, actor=None)) == [
        "Tidak ada peserta hadir sesi ini yang barangnya sudah dialokasikan dan belum diserahkan."
    ]
