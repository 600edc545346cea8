import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.formatting import terbilang
from disbursements.models import Allocation, Handover
from disbursements.services import allocations_create, handover_attach, handover_void, package_lines
from tests.factories import (
    ApprovedItemFactory,
    CeilingFactory,
    OperatorFactory,
    PackageFactory,
    TrainingSessionFactory,
    VerifikatorFactory,
)
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_terbilang():
    assert terbilang(Decimal("6500000000")) == "enam miliar lima ratus juta rupiah"
    assert terbilang(4_000_000) == "empat juta rupiah"
    assert terbilang(1_250_500) == "satu juta dua ratus lima puluh ribu lima ratus rupiah"


@pytest.fixture
def trained_allocation():
    """An allocation (made today) of a woman who attended the factory's Bimtek of 15–16 July 2024."""
    CeilingFactory()
    item = ApprovedItemFactory()
    [attendance] = participants_invite(session=TrainingSessionFactory(), item_ids=[item.pk], actor=None)
    attendance_mark(attendance=attendance, status="present", actor=None)
    package = PackageFactory()
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(package), actor=None)
    return allocation


@pytest.fixture
def handover(trained_allocation):
    return _handover(trained_allocation)


def test_print_page_shows_the_right_figures(client, handover):
    client.force_login(OperatorFactory())
    page = client.get(reverse("disbursements:handover_print", args=[handover.pk])).content.decode()
    assert "BERITA ACARA SERAH TERIMA" in page and "BAST/WRSE/64.72/2024/0001" in page
    assert "Rp4.000.000" in page and "Empat juta rupiah" in page
    assert "Rp2.500.000" in page and "Rp1.500.000" in page  # the lines: 1 × 2.5 million, 2 × 750 thousand
    assert handover.second_party_name in page and "Drs. Ahmad Yani" in page and "PIHAK KEDUA" in page


def test_attachments_checked_by_content_and_served_in_scope(client, handover, balikpapan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="bukan foto JPEG atau PNG"):
        handover_attach(
            handover=handover, field="photo", upload=SimpleUploadedFile("foto.png", b"%PDF-1.4"), actor=None
        )
    handover_attach(handover=handover, field="photo", upload=SimpleUploadedFile("x.exe", PNG), actor=None)
    handover.refresh_from_db()
    assert re.fullmatch(rf"bast/foto/{handover.pk}-photo(_\w+)?\.png", handover.photo.name)  # our name, not theirs
    assert AuditEvent.objects.filter(action="handover.attach_photo").exists()
    url = reverse("disbursements:handover_file", args=[handover.pk, "foto"])
    client.force_login(OperatorFactory())
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(OperatorFactory(regency=balikpapan))
    assert client.get(url).status_code == 404


def test_void_keeps_the_number_and_drops_the_realised_value(client, handover):
    client.force_login(VerifikatorFactory())
    overview = lambda: client.get(reverse("disbursements:budget_overview", args=[2024])).context["overview"]  # noqa: E731
    assert overview().totals["realised"] == Decimal("4000000")
    handover_void(handover=handover, reason="Barang tertukar", actor=None)
    assert overview().totals["realised"] == 0
    assert Handover.objects.get().number == "BAST/WRSE/64.72/2024/0001"
    second = _handover(handover.allocation)
    assert second.number == "BAST/WRSE/64.72/2024/0002"  # numbers are never reused


def test_handover_page_explains_the_bimtek_rule(client):
    CeilingFactory()
    item = ApprovedItemFactory()
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=None)
    client.force_login(VerifikatorFactory())
    page = client.get(reverse("disbursements:handover_create", args=[allocation.pk])).content.decode()
    assert "Serah terima hanya setelah penerima mengikuti Bimtek" in page
    assert f"{item.person.full_name} belum tercatat hadir pada Bimtek." in page
    detail = client.get(allocation.get_absolute_url()).content.decode()
    assert "Belum dapat diserahkan" in detail


def test_register_workbook_lists_the_bast_with_its_attachments(client, handover):
    import io

    from openpyxl import load_workbook

    client.force_login(VerifikatorFactory())
    response = client.get(reverse("disbursements:handover_export"))
    rows = [
        r for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    ]
    data = [r for r in rows if r[1] and str(r[1]).startswith("BAST/")]
    assert len(data) == 1 and data[0][8] == 4000000 and data[0][9] == "belum" and data[0][10] == "ada"
    assert "Oven" not in data[0][7] and "Kompor Gas" in data[0][7] and data[0][11] == "Diserahkan"
    assert rows[-1][1] == "JUMLAH (diserahkan, pindaian BAST ada)" and rows[-1][8] == 4000000


def _refusal(allocation, day) -> list[str]:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _handover(allocation, handed_over_on=day)
    assert not Handover.objects.exists()
    return error.value.message_dict["handed_over_on"]


def test_a_bast_cannot_be_dated_in_the_future(trained_allocation):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _refusal(trained_allocation, tomorrow) == ["Tanggal serah terima tidak boleh di masa depan."]


def test_a_bast_cannot_be_dated_before_the_allocation_nor_before_the_bimtek_ended(trained_allocation):
    Allocation.objects.filter(pk=trained_allocation.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2024, 7, 10, 9))
    )
    trained_allocation.refresh_from_db()
    assert _refusal(trained_allocation, datetime.date(2024, 7, 15)) == [
        "Tanggal serah terima tidak boleh sebelum Bimtek penerima selesai (16 Juli 2024)."
    ]
    assert _refusal(trained_allocation, datetime.date(2024, 7, 9)) == [
        "Tanggal serah terima tidak boleh sebelum barang dialokasikan (10 Juli 2024).",
        "Tanggal serah terima tidak boleh sebelum Bimtek penerima selesai (16 Juli 2024).",
    ]


def test_the_last_day_of_the_bimtek_is_a_valid_bast_date(trained_allocation):
    Allocation.objects.filter(pk=trained_allocation.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2024, 7, 10, 9))
    )
    trained_allocation.refresh_from_db()
    assert _handover(trained_allocation, handed_over_on=datetime.date(2024, 7, 16)).number.endswith("/0001")


def test_the_form_says_why_a_date_is_refused(client, trained_allocation):
    client.force_login(VerifikatorFactory())
    url = reverse("disbursements:handover_create", args=[trained_allocation.pk])
    data = {"handed_over_on": "2099-01-01", "place": "Samarinda", "first_party_name": "Rina", "witness_name": "Ahmad",
            "first_party_position": "Kepala Bidang", "witness_position": "Kepala Dinas",
            **{f"kondisi_{line.pk}": "baik" for line in trained_allocation.lines.all()}}  # fmt: skip
    page = client.post(url, data).content.decode()
    assert "Tanggal serah terima tidak boleh di masa depan." in page and not Handover.objects.exists()


def test_a_bast_counts_as_delivered_and_realised_only_once_its_signed_scan_is_attached(client, trained_allocation):
    from reports.selectors import journey, recap

    handover = _handover(trained_allocation, signed=False)
    budget_year = handover.budget_year
    verifier = VerifikatorFactory()
    assert handover.status_label == "Menunggu pindaian BAST"
    line = recap(user=verifier, budget_year=budget_year).total()
    assert line.realised == 0 and line.counts["delivered"] == 0
    assert line.awaiting_scan == 1 and line.awaiting_value == Decimal("4000000")
    assert journey([trained_allocation.item])[trained_allocation.item.pk] == 4  # allocated and trained, not yet 5
    client.force_login(verifier)
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert "Menunggu pindaian BAST" in dashboard and "1 BAST" in dashboard
    assert "Menunggu pindaian BAST" in client.get(handover.get_absolute_url()).content.decode()

    scan = SimpleUploadedFile("bast.pdf", b"%PDF-1.4\n%%EOF\n")
    handover_attach(handover=handover, field="signed_scan", upload=scan, actor=verifier)
    line = recap(user=verifier, budget_year=budget_year).total()
    assert line.realised == Decimal("4000000") and line.counts["delivered"] == 1 and line.awaiting_scan == 0
    assert journey([trained_allocation.item])[trained_allocation.item.pk] == 5


def test_a_handover_is_refused_in_a_closed_budget_year(trained_allocation):
    from django.core.exceptions import ValidationError

    from programs.models import BudgetYear

    BudgetYear.objects.filter(pk=trained_allocation.budget_year_id).update(status=BudgetYear.Status.CLOSED)
    with pytest.raises(ValidationError, match="ditutup"):
        _handover(trained_allocation)
    assert not Handover.objects.exists()


def test_the_handover_audit_event_names_the_actor_and_the_bast(trained_allocation):
    from disbursements.services import handover_create

    verifier = VerifikatorFactory()
    data = {"handed_over_on": timezone.localdate(), "place": "Aula", "first_party_name": "Rina",
            "first_party_position": "Kepala Bidang", "witness_name": "Ahmad",
            "witness_position": "Kepala Dinas"}  # fmt: skip
    handover = handover_create(allocation=trained_allocation, data=data, actor=verifier)
    event = AuditEvent.objects.get(action="handover.create")
    assert event.actor == verifier and event.object_id == str(handover.pk) and event.regency_id == "64.72"
    assert event.after["number"] == "BAST/WRSE/64.72/2024/0001" and event.after["value"] == "4000000"


def test_the_handover_fields_are_validated(trained_allocation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _handover(trained_allocation, place="", first_party_name="")
    assert {"place", "first_party_name"} <= set(error.value.message_dict) and not Handover.objects.exists()
