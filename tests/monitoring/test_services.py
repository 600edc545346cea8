"""Recording monitoring visits: the rules a visit must meet, its audit trail, void, and photos."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from audit.models import AuditEvent
from disbursements.services import handover_void
from monitoring import services
from monitoring.models import Visit, VisitGoods
from tests.access.objects import jpeg
from tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "due_month": 3,
    "visited_on": datetime.date(2025, 4, 12),
    "visitor_name": "Rina Pendamping",
    "mode": "kunjungan",
    "business_status": "berkembang",
    "turnover": Decimal("2500000"),
    "net_income": Decimal("-150000"),  # a loss may be recorded
    "workers": 2,
    "problems": "Bahan baku mahal",
    "follow_up": "Dihubungkan dengan pemasok",
}


def _goods(handover, condition="dipakai"):
    return {line.pk: condition for line in handover.lines.all()}


def _refusal(handover, **changes):
    data = {**ANSWERS, **changes}
    goods = data.pop("goods", None)
    with pytest.raises(ValidationError) as refused:
        services.visit_record(
            handover=handover, data=data, goods=_goods(handover) if goods is None else goods, actor=None
        )
    assert not Visit.objects.exists()
    return refused.value.message_dict


def test_a_visit_is_recorded_with_each_goods_line_and_audited(delivered):
    actor = OperatorFactory()
    goods = _goods(delivered)
    first_line = next(iter(goods))
    goods[first_line] = "dijual"
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=goods, actor=actor)
    assert (visit.regency_id, visit.budget_year_id, visit.program) == ("64.72", delivered.budget_year_id, "WRSE")
    assert visit.net_income == Decimal("-150000") and visit.created_by == actor
    stored = {g.line_id: (g.condition, g.quantity, g.is_finding) for g in VisitGoods.objects.filter(visit=visit)}
    quantity = delivered.lines.get(pk=first_line).quantity
    assert stored[first_line] == ("dijual", quantity, True)  # one condition given: every unit of the line
    assert len(stored) == delivered.lines.count() >= 2
    event = AuditEvent.objects.get(action="visit.create")
    assert (event.actor, event.object_id, event.regency_id) == (actor, str(visit.pk), "64.72")
    assert event.after["goods"][str(first_line)] == {"dijual": quantity} and event.after["turnover"] == "2500000"


def test_goods_are_counted_by_unit_and_every_unit_is_accounted_for(delivered):
    """An oven line of 3 with one broken is "dipakai 2, rusak 1" (two rows), not all three broken; the counts
    must add up to the quantity handed over; an edit moves units between conditions, dropping the emptied one."""
    line = delivered.lines.select_related("goods").first()
    line.quantity = 3
    line.save()
    goods = _goods(delivered) | {line.pk: {"dipakai": 2, "rusak": 1}}
    unit = line.goods.get_unit_display()
    assert _refusal(delivered, goods=goods | {line.pk: {"dipakai": 2}}) == {
        "goods": [f"{line.goods}: jumlah per kondisi 2, padahal diserahkan 3 {unit} — bagi setiap {unit} ke salah "
                  "satu kondisi."]
    }  # fmt: skip
    assert _refusal(delivered, goods=goods | {line.pk: {"dipakai": "-1", "rusak": 4}}) == {
        "goods": [f"{line.goods}: jumlah “-1” bukan bilangan bulat 0 atau lebih."]
    }
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=goods, actor=None)
    rows = VisitGoods.objects.filter(visit=visit, line=line)
    assert sorted(rows.values_list("condition", "quantity")) == [("dipakai", 2), ("rusak", 1)]
    others = sum(other.quantity for other in delivered.lines.exclude(pk=line.pk))
    assert (visit.goods_used, visit.goods_broken) == (2 + others, 1)  # units, for the dashboard
    assert AuditEvent.objects.get(action="visit.create").after["goods"][str(line.pk)] == {"dipakai": 2, "rusak": 1}
    services.visit_update(visit=visit, data=ANSWERS, goods=goods | {line.pk: {"dipakai": 1, "dijual": 2}}, actor=None)
    visit.refresh_from_db()
    assert sorted(rows.values_list("condition", "quantity")) == [("dijual", 2), ("dipakai", 1)]
    assert (visit.goods_used, visit.goods_broken, visit.goods_sold) == (1 + others, 0, 2)
    event = AuditEvent.objects.get(action="visit.update")
    assert (event.before["goods"][str(line.pk)], event.after["goods"][str(line.pk)]) == (
        {"dipakai": 2, "rusak": 1},
        {"dipakai": 1, "dijual": 2},
    )


def test_a_visit_date_is_between_the_bast_and_today(delivered):
    assert _refusal(delivered, visited_on=datetime.date(2025, 1, 9)) == {
        "visited_on": ["Tanggal kunjungan tidak boleh sebelum serah terima (10 Januari 2025)."]
    }
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert _refusal(delivered, visited_on=tomorrow) == {"visited_on": ["Tanggal kunjungan tidak boleh di masa depan."]}
    services.visit_record(  # the BAST day itself is allowed (for a visit outside the schedule)
        handover=delivered,
        data=ANSWERS | {"visited_on": datetime.date(2025, 1, 10), "due_month": None},
        goods=_goods(delivered),
        actor=None,
    )


def test_a_scheduled_month_is_one_of_the_years_and_recorded_once(delivered):
    assert _refusal(delivered, due_month=4) == {
        "due_month": ["Kunjungan terjadwal Tahun Anggaran 2024 hanya bulan ke-3, 6, 12."]
    }
    services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    with pytest.raises(ValidationError) as refused:
        services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    assert refused.value.message_dict == {"due_month": ["Kunjungan bulan ke-3 sudah dicatat (12 April 2025)."]}
    # extra visits (no month) are not limited
    for _ in range(2):
        services.visit_record(
            handover=delivered, data=ANSWERS | {"due_month": None}, goods=_goods(delivered), actor=None
        )
    assert Visit.objects.count() == 3


def test_every_goods_line_is_judged_with_a_known_condition(delivered):
    goods = _goods(delivered)
    missing = dict(list(goods.items())[1:])
    first = delivered.lines.select_related("goods").first()
    assert _refusal(delivered, goods=missing) == {"goods": [f"Kondisi setiap barang wajib diisi: {first.goods}."]}
    assert _refusal(delivered, goods=goods | {999999: "dipakai"}) == {
        "goods": ["Barang yang dinilai bukan barang BAST ini."]
    }
    names = [str(line.goods) for line in delivered.lines.select_related("goods")]
    assert _refusal(delivered, goods=dict.fromkeys(goods, "dimakan")) == {
        "goods": [f"{name}: kondisi “dimakan” tidak dikenal." for name in names]
    }


def test_kube_answers_are_for_kube_only(delivered, kube_delivered):
    assert _refusal(delivered, stage="mandiri", iks_balance=Decimal(0)) == {
        "stage": ["Tahap KUBE hanya untuk KUBE."],
        "iks_balance": ["Dana IKS hanya untuk KUBE."],
    }
    assert _refusal(kube_delivered) == {
        "stage": ["Tahap KUBE wajib diisi."],
        "iks_balance": ["Saldo dana IKS wajib diisi untuk KUBE (tulis 0 bila belum ada)."],
    }
    assert _refusal(kube_delivered, stage="tumbuh", iks_balance=Decimal(-1)) == {
        "iks_balance": ["Saldo dana IKS tidak boleh negatif."]
    }
    visit = services.visit_record(
        handover=kube_delivered,
        data=ANSWERS | {"stage": "berkembang", "iks_balance": Decimal(0)},
        goods=_goods(kube_delivered),
        actor=None,
    )
    assert (visit.program, visit.stage, visit.iks_balance) == ("KUBE", "berkembang", 0)


def test_a_negative_turnover_is_refused(delivered):
    assert _refusal(delivered, turnover=Decimal(-1)) == {"turnover": ["Omzet tidak boleh negatif."]}


def test_a_voided_bast_is_not_visited(delivered):
    handover_void(handover=delivered, reason="Salah penerima", actor=None)
    with pytest.raises(ValidationError) as refused:
        services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    assert refused.value.messages == ["BAST ini sudah dibatalkan; penerimanya tidak dikunjungi lagi."]


def test_an_edit_is_audited_with_before_and_after(delivered):
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    goods = _goods(delivered)
    line = next(iter(goods))
    goods[line] = "rusak"
    actor = OperatorFactory()
    services.visit_update(visit=visit, data=ANSWERS | {"turnover": Decimal("3000000")}, goods=goods, actor=actor)
    visit.refresh_from_db()
    assert visit.turnover == 3_000_000
    assert VisitGoods.objects.get(visit=visit, line_id=line).condition == "rusak"
    event = AuditEvent.objects.get(action="visit.update")
    assert event.actor == actor
    assert (event.before["turnover"], event.after["turnover"]) == ("2500000", "3000000")
    quantity = delivered.lines.get(pk=line).quantity
    assert (event.before["goods"][str(line)], event.after["goods"][str(line)]) == (
        {"dipakai": quantity},
        {"rusak": quantity},
    )
    # saving the same answers again changes nothing and writes no event
    services.visit_update(visit=visit, data=ANSWERS | {"turnover": Decimal("3000000")}, goods=goods, actor=actor)
    assert AuditEvent.objects.filter(action="visit.update").count() == 1
    # the month it fulfils cannot move onto a month already recorded
    month_six = {"due_month": 6, "visited_on": datetime.date(2025, 7, 12)}
    services.visit_record(handover=delivered, data=ANSWERS | month_six, goods=goods, actor=None)
    with pytest.raises(ValidationError, match="bulan ke-6 sudah dicatat"):
        services.visit_update(visit=visit, data=ANSWERS | {"due_month": 6}, goods=goods, actor=actor)


def test_a_void_needs_a_reason_keeps_the_row_and_reopens_the_month(delivered):
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    with pytest.raises(ValidationError, match="Alasan pembatalan wajib diisi"):
        services.visit_void(visit=visit, reason="  ", actor=None)
    services.visit_void(visit=visit, reason=" Salah  penerima ", actor=None)
    visit.refresh_from_db()
    assert (visit.status, visit.void_reason) == ("void", "Salah penerima")
    assert AuditEvent.objects.get(action="visit.void").after == {"status": "void", "reason": "Salah penerima"}
    with pytest.raises(ValidationError, match="sudah dibatalkan"):
        services.visit_void(visit=visit, reason="lagi", actor=None)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.visit_update(visit=visit, data=ANSWERS, goods=_goods(delivered), actor=None)
    again = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    assert again.due_month == 3 and Visit.objects.count() == 2


def _jpeg_with_exif(size=(4000, 3000)) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0110] = "Test phone"  # the camera model
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[36867] = "2025:04:12 09:30:15"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (0.0, 29.0, 60.0)  # 0°30' S: Samarinda is just south of the equator
    gps[3], gps[4] = "E", (117.0, 9.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"dipotret oleh Budi, HP 0812")
    return out.getvalue()


def test_a_photo_is_shrunk_and_keeps_the_cameras_time_and_place(delivered, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    photo = services.visit_photo_add(visit=visit, upload=SimpleUploadedFile("IMG_1.jpg", _jpeg_with_exif()), actor=None)
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 1200)
        kept = stored.getexif()
        assert kept.get_ifd(0x8825)[2] and kept.get_ifd(0x8769)[36867] == "2025:04:12 09:30:15"  # evidence stays
        assert 0x0110 not in kept and "comment" not in stored.info  # the phone's model and the comment do not
    assert (photo.latitude, photo.longitude) == (Decimal("-0.500000"), Decimal("117.150000"))
    assert photo.taken_at.replace(tzinfo=None) == datetime.datetime(2025, 4, 12, 9, 30, 15)
    event = AuditEvent.objects.get(action="visit.add_photo")
    assert event.after["gps"] is True and event.after["photo"] == photo.image.name


def test_a_visit_takes_at_most_the_set_number_of_photos(delivered, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VISIT_PHOTOS_MAX = 2
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    for n in range(2):
        services.visit_photo_add(visit=visit, upload=SimpleUploadedFile(f"{n}.jpg", jpeg((400, 300))), actor=None)
    with pytest.raises(ValidationError, match="Satu kunjungan paling banyak 2 foto"):
        services.visit_photo_add(visit=visit, upload=SimpleUploadedFile("3.jpg", jpeg((400, 300))), actor=None)
    assert visit.photos.count() == 2


def test_a_heic_photo_is_accepted_and_stored_as_jpeg(delivered, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (2000, 1000), (0, 0, 0)).save(out, "HEIF")
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    photo = services.visit_photo_add(visit=visit, upload=SimpleUploadedFile("IMG.HEIC", out.getvalue()), actor=None)
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 800)
    assert photo.taken_at is None and photo.latitude is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a photo", "Berkas bukan foto JPEG, PNG atau HEIC, atau rusak."),
        (b"GIF89a" + b"\x00" * 40, "Berkas bukan foto JPEG, PNG atau HEIC, atau rusak."),
    ],
)
def test_what_is_not_a_photo_is_refused(delivered, settings, tmp_path, content, message):
    settings.MEDIA_ROOT = tmp_path
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    with pytest.raises(ValidationError) as refused:
        services.visit_photo_add(visit=visit, upload=SimpleUploadedFile("x.jpg", content), actor=None)
    assert refused.value.messages == [message]
    assert not visit.photos.exists()


def test_a_too_large_photo_is_refused_before_it_is_read(delivered, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VISIT_PHOTO_MAX_BYTES = 1024
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    with pytest.raises(ValidationError, match=r"Foto terlalu besar \(0.0 MB\); maksimal 0 MB"):
        services.visit_photo_add(
            visit=visit, upload=SimpleUploadedFile("x.jpg", jpeg((400, 400)) + b"\0" * 2048), actor=None
        )


def test_a_visit_counts_its_goods_conditions_for_the_outcomes(delivered):
    goods = _goods(delivered)
    first, *rest = goods
    goods[first] = "hilang"
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=goods, actor=None)
    quantity = dict(delivered.lines.values_list("pk", "quantity"))
    used = sum(quantity[pk] for pk in rest)
    assert (visit.goods_lost, visit.goods_used, visit.goods_sold) == (quantity[first], used, 0)  # units
    goods[first] = "dijual"
    services.visit_update(visit=visit, data=ANSWERS, goods=goods, actor=None)
    visit.refresh_from_db()
    assert (visit.goods_lost, visit.goods_sold) == (0, quantity[first])


def test_a_scheduled_visit_is_recorded_only_inside_its_window(delivered):
    """BAST of 10 January 2025: month 12 is due 10 January 2026, its window opens 14 days before (the budget year's
    setting). Recorded in October 2025 it is refused with the reason; as an unscheduled visit it is kept."""
    early = ANSWERS | {"due_month": 12, "visited_on": datetime.date(2025, 10, 7)}
    with pytest.raises(ValidationError) as refused:
        services.visit_record(handover=delivered, data=early, goods=_goods(delivered), actor=None)
    assert refused.value.message_dict == {
        "visited_on": [
            "Kunjungan bulan ke-12 dijadwalkan 10 Januari 2026; baru dapat dicatat sejak 27 Desember 2025. Bila "
            "kunjungan ini memang lebih awal, catat sebagai “Kunjungan tambahan (di luar jadwal)” — tidak dihitung "
            "untuk graduasi."
        ]
    }
    extra = services.visit_record(
        handover=delivered, data=early | {"due_month": None}, goods=_goods(delivered), actor=None
    )
    assert extra.due_month is None
    with pytest.raises(ValidationError):  # the day before the window opens
        services.visit_record(
            handover=delivered, data=early | {"visited_on": datetime.date(2025, 12, 26)}, goods=_goods(delivered),
            actor=None,
        )  # fmt: skip
    delivered.budget_year.visit_window_days = 30  # the year's setting moves the opening
    delivered.budget_year.save()
    opened = services.visit_record(
        handover=delivered,
        data=early | {"visited_on": datetime.date(2025, 12, 11)},
        goods=_goods(delivered),
        actor=None,
    )
    assert opened.due_month == 12


def test_only_a_scheduled_visit_inside_its_window_counts_toward_graduation(graduating):
    assert services.assessment_compute(graduating, {}).recommendation == "lulus"
    # A month-12 visit recorded months early before the rule existed (straight in the table) is not month 12's.
    Visit.objects.filter(handover=graduating, due_month=12).update(visited_on=datetime.date(2025, 9, 1))
    result = services.assessment_compute(graduating, {})
    assert result.recommendation != "lulus" and result.readiness_percent < 100
