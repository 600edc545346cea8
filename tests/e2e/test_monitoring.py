"""After the BAST: the regency's officer records a visit on a phone, with a photo; the recipient is assessed,
the province approves, and the head sees the graduate on the dashboard and the person's journey."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from monitoring import services
from monitoring.models import Assessment, TurnoverThreshold, Visit
from tests.access.objects import jpeg
from tests.factories import PASSWORD, ApprovedItemFactory, OperatorFactory, PimpinanFactory, VerifikatorFactory
from tests.monitoring.conftest import deliver

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_visit_on_a_phone_then_graduation_then_the_dashboard(page, login, live_server, tmp_path):
    handover = deliver(ApprovedItemFactory(), handed_over_on=timezone.localdate() - datetime.timedelta(days=100))
    TurnoverThreshold.objects.create(budget_year=handover.budget_year, regency_id="64.72", amount=Decimal(1_000_000))
    person = handover.allocation.item.person
    handover.lines.filter(pk=handover.lines.first().pk).update(quantity=3)
    operator = OperatorFactory(first_name="Siti", last_name="Rahmawati")
    photo = tmp_path / "kunjungan.jpg"
    photo.write_bytes(jpeg((3000, 2000)))

    page.set_viewport_size({"width": 390, "height": 844})
    login(operator.username, PASSWORD)
    page.goto(live_server.url + "/monev/")
    card = page.get_by_test_id("worklist-cards").locator("li", has_text=person.full_name)
    expect(card).to_contain_text("Jatuh tempo")
    page.screenshot(path=tmp_path / "worklist-390.png", full_page=True)
    card.get_by_role("link", name="Catat kunjungan").click()

    expect(page.get_by_label("Petugas yang berkunjung")).to_have_value("Siti Rahmawati")
    page.get_by_label("Status usaha").select_option("berkembang")
    page.get_by_label("Omzet rata-rata per bulan (Rp)").fill("2.500.000")
    page.get_by_label("Pendapatan bersih per bulan (Rp)").fill("750.000")
    for line, box in zip(handover.lines.all(), page.get_by_test_id("goods-line").all(), strict=True):
        box.get_by_label("Dipakai", exact=True).fill(str(line.quantity))  # every unit in use
    first = page.get_by_test_id("goods-line").first  # 3 units: two counted at first, the third forgotten
    first.get_by_label("Dipakai", exact=True).fill("2")
    page.get_by_label("Foto kunjungan").set_input_files(photo)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.screenshot(path=tmp_path / "visit-form-390.png", full_page=True)
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(first).to_contain_text("Jumlah per kondisi 2, padahal diserahkan 3 unit")  # said under the line
    page.screenshot(path=tmp_path / "visit-units-390.png", full_page=True)
    first.get_by_label("Dipakai", exact=True).fill("3")
    page.get_by_label("Foto kunjungan").set_input_files(photo)  # a refused form does not keep a chosen file
    page.get_by_role("button", name="Simpan kunjungan").click()

    expect(page.get_by_text("Kunjungan dicatat.")).to_be_visible()
    expect(page.get_by_test_id("visit")).to_contain_text("Berjalan dan berkembang")
    expect(page.get_by_test_id("photos").locator("img")).to_have_count(1)
    expect(page.get_by_test_id("goods").locator("tbody tr").first).to_contain_text("3 unit")
    visit = Visit.objects.get()
    assert (visit.due_month, visit.turnover, visit.photos.count()) == (3, 2_500_000, 1)

    # A year on: the BAST (and its month-3 visit) moved back 400 days, and the later visits recorded in their windows.
    from disbursements.models import Handover
    from monitoring.schedule import due_on

    start = timezone.localdate() - datetime.timedelta(days=400)
    Handover.objects.filter(pk=handover.pk).update(handed_over_on=start)
    Visit.objects.filter(pk=visit.pk).update(visited_on=due_on(start, 3))
    Visit.objects.filter(pk=visit.pk).update(handed_over_on=start)
    handover.refresh_from_db()
    for month in (6, 12):  # the later visits, recorded the same way
        services.visit_record(
            handover=handover,
            data={"due_month": month, "visited_on": due_on(start, month), "visitor_name": "Siti Rahmawati",
                  "mode": "kunjungan", "business_status": "berkembang", "turnover": Decimal(3_000_000),
                  "net_income": Decimal(900_000), "workers": 2},
            goods={line.pk: "dipakai" for line in handover.lines.all()},
            actor=operator,
        )  # fmt: skip

    page.goto(live_server.url + "/monev/graduasi/")
    page.get_by_test_id("candidates").get_by_role("link", name="Nilai").click()
    expect(page.get_by_test_id("readiness")).to_contain_text("Lulus")
    page.get_by_role("button", name="Ajukan ke provinsi").click()
    expect(page.get_by_text("Penilaian diajukan ke provinsi.")).to_be_visible()

    page.set_viewport_size({"width": 1366, "height": 900})
    page.context.clear_cookies()  # the next person, on the office computer
    login(VerifikatorFactory().username, PASSWORD)
    page.goto(live_server.url + Assessment.objects.get().get_absolute_url())
    page.get_by_label("Setujui").check()
    page.get_by_role("button", name="Simpan hasil pemeriksaan").click()
    expect(page.get_by_text("Penilaian disetujui.")).to_be_visible()

    page.context.clear_cookies()
    login(PimpinanFactory().username, PASSWORD)
    page.goto(live_server.url + "/dasbor/?tahun=2024")
    expect(page.get_by_test_id("outcome-graduates")).to_have_text("1")
    expect(page.get_by_test_id("outcome-done")).to_have_text("3")
    page.get_by_test_id("outcomes").screenshot(path=tmp_path / "dashboard-outcomes.png")
    page.goto(live_server.url + f"/penduduk/{person.pk}/")
    expect(page.get_by_test_id("graduated")).to_contain_text("Lulus (graduasi)")
    expect(page.get_by_test_id("proposal-history").get_by_text("Lulus", exact=True)).to_have_class(
        "badge text-bg-success"
    )
