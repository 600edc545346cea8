import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from disbursements.services import allocations_create, package_lines
from tests.factories import (
    PASSWORD,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    GoodsItemFactory,
    PackageFactory,
    TrainingSessionFactory,
    VerifikatorFactory,
)
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

TEN_GOODS = [
    "Mesin Jahit Portable Butterfly dengan Meja dan Lampu LED",
    "Mesin Obras Benang Empat Typical GN794D",
    "Gunting Kain Profesional 10 Inci Stainless",
    "Setrika Listrik Philips HD1172 Anti Lengket",
    "Meja Potong Kain Kayu Ulin 2 x 1 Meter",
    "Manekin Badan Wanita Berdiri",
    "Kain Katun Jepang Berbagai Warna (per gulung)",
    "Benang Jahit Polyester Satu Lusin Warna",
    "Rak Penyimpanan Kain Besi Tiga Susun",
    "Kursi Jahit Putar dengan Sandaran",
]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_bast_of_ten_goods_lines_prints_on_one_a4_page(page, login, live_server, tmp_path):
    BudgetYearFactory()
    CeilingFactory(amount=Decimal("500000000"))
    item = ApprovedItemFactory()
    [attendance] = participants_invite(session=TrainingSessionFactory(), item_ids=[item.pk], actor=None)
    attendance_mark(attendance=attendance, status="present", actor=None)
    goods = [(GoodsItemFactory(name=name, unit_price=Decimal(1_250_000 + 10_000 * n)), 1) for n, name in
             enumerate(TEN_GOODS)]  # fmt: skip
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory(lines=goods)), actor=None)
    handover = _handover(allocation, place="Aula Kantor Kelurahan Sungai Pinang Dalam, Kecamatan Sungai Pinang")
    verifier = VerifikatorFactory()
    login(verifier.username, PASSWORD)

    page.goto(live_server.url + reverse("disbursements:handover_print", args=[handover.pk]))
    expect(page.get_by_test_id("bast-goods").locator("tbody tr")).to_have_count(11)
    expect(page.get_by_role("link", name=f"Kembali ke BAST {handover.number}")).to_be_visible()
    expect(page.get_by_test_id("office-address")).to_contain_text("Samarinda")
    place_date = page.get_by_test_id("bast-place-date")
    expect(place_date).to_have_text(re.compile(r"^Samarinda, \d{1,2} \w+ \d{4}$"))

    # The place-and-date line sits right above the three signature blocks, all together.
    signatures = page.get_by_test_id("bast-signatures")
    line_box, block_box = place_date.bounding_box(), signatures.bounding_box()
    assert line_box["y"] >= block_box["y"] and line_box["y"] + line_box["height"] <= block_box["y"] + 30
    # The goods table stays inside the page's text width.
    table_box, body_box = page.get_by_test_id("bast-goods").bounding_box(), page.locator("body").bounding_box()
    assert table_box["x"] >= body_box["x"] and table_box["x"] + table_box["width"] <= body_box["x"] + body_box["width"]

    page.emulate_media(media="print")
    expect(page.get_by_role("link", name=f"Kembali ke BAST {handover.number}")).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "bast.pdf").write_bytes(pdf)
    assert _pages(pdf) == 1


def test_batch_handover_for_a_bimtek_session_prints_one_bast_per_page(page, login, live_server, tmp_path):
    BudgetYearFactory()
    CeilingFactory(amount=Decimal("500000000"))
    items = ApprovedItemFactory.create_batch(3)
    session = TrainingSessionFactory()
    attendances = participants_invite(session=session, item_ids=[i.pk for i in items], actor=None)
    for attendance, status in zip(attendances, ["present", "present", "absent"], strict=True):
        attendance_mark(attendance=attendance, status=status, actor=None)
    allocations_create(item_ids=[i.pk for i in items], lines=package_lines(PackageFactory()), actor=None)
    login(VerifikatorFactory().username, PASSWORD)

    page.goto(live_server.url + session.get_absolute_url())
    page.get_by_role("link", name="BAST bersama peserta hadir").click()
    expect(page.get_by_test_id("batch-recipients").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("batch-recipients")).not_to_contain_text(items[2].person.full_name)
    page.get_by_label("Jabatan pihak pertama").fill("Kepala Seksi Pemberdayaan Sosial")
    page.get_by_label("Nama yang mengetahui").fill("Drs. Ahmad Yani")
    page.get_by_label("Jabatan yang mengetahui").fill("Kepala Dinas Sosial Kota Samarinda")
    page.screenshot(path=tmp_path / "batch-form.png", full_page=True)
    page.get_by_role("button", name="Simpan 2 BAST dan cetak").click()

    expect(page.locator(".bast-page")).to_have_count(2)
    expect(page.get_by_test_id("bast-number")).to_have_text(["BAST/WRSE/64.72/2024/0001", "BAST/WRSE/64.72/2024/0002"])
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    (tmp_path / "bast-bersama.pdf").write_bytes(pdf)
    assert _pages(pdf) == 2
