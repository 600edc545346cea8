"""Field work on a phone (390×844) with and without a signal: attendance and a BAST photo are kept on the phone,
survive a reload without a signal, and are sent once when the signal returns; a refusal comes back with its
reason."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from disbursements.models import Handover
from disbursements.services import handover_void
from fieldwork.models import FieldAction
from tests.factories import PASSWORD, ApprovedItemFactory, OperatorFactory
from tests.factories.training import TrainingSessionFactory
from tests.monitoring.conftest import deliver
from training.models import Attendance
from training.services import participants_invite

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def _photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), "green").save(out, "JPEG")  # a phone camera's size: shrunk before sending
    return {"name": "serah-terima.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _setup():
    today = timezone.localdate()
    session = TrainingSessionFactory(start_date=today, end_date=today, topic="Bimtek Menjahit")
    items = [ApprovedItemFactory() for _ in range(4)]
    attendances = participants_invite(session=session, item_ids=[i.pk for i in items], actor=None)
    handover = deliver(ApprovedItemFactory(), handed_over_on=today - datetime.timedelta(days=1))
    return session, attendances, handover


def _take_along(page, live_server, handover):
    page.goto(live_server.url + "/lapangan/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker
    page.get_by_role("checkbox", name=f"Bawa {handover.number}").check()
    page.get_by_test_id("take-along").click()
    expect(page.get_by_text("halaman tersimpan di perangkat")).to_be_visible()


def test_attendance_and_a_photo_without_a_signal_are_sent_once_when_it_returns(page, login, live_server, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    session, attendances, handover = _setup()
    operator = OperatorFactory()
    login(operator.username, PASSWORD)
    _take_along(page, live_server, handover)
    page.screenshot(path=tmp_path / "field-home-390.png", full_page=True)

    page.get_by_role("link", name="Bimtek Menjahit").click()
    status = page.get_by_test_id("field-status")
    rows = page.get_by_test_id("field-participant")
    rows.nth(0).get_by_role("button", name="Hadir", exact=True).click()  # online: sent at once
    expect(status).to_contain_text("1 tindakan terkirim")
    assert Attendance.objects.get(pk=rows.nth(0).get_attribute("data-action-target").split(":")[1]).status == "present"

    page.context.set_offline(True)
    for n in (1, 2, 3):
        rows.nth(n).get_by_role("button", name="Hadir", exact=True).click()
    expect(status).to_contain_text("Tersimpan di perangkat, belum terkirim (3)")
    page.screenshot(path=tmp_path / "field-session-offline-390.png", full_page=True)
    page.goto(live_server.url + f"/lapangan/bast/{handover.pk}/")  # taken along: opens without a signal
    page.get_by_label("Foto serah terima").set_input_files([_photo()])
    expect(status).to_contain_text("belum terkirim (4)")
    page.reload()  # the browser closed and opened again, still without a signal: nothing is lost
    expect(page.get_by_test_id("field-status")).to_contain_text("belum terkirim (4)")
    page.screenshot(path=tmp_path / "field-handover-offline-390.png", full_page=True)
    assert Attendance.objects.filter(session=session, status="present").count() == 1
    assert not FieldAction.objects.filter(kind="foto_bast")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no horizontal scroll on a phone

    page.context.set_offline(False)  # the signal returns: sent by themselves
    expect(page.get_by_test_id("field-status")).to_contain_text("4 tindakan terkirim", timeout=15000)
    expect(page.get_by_test_id("field-status")).to_contain_text("Semua sudah terkirim.")
    assert Attendance.objects.filter(session=session, status="present").count() == 4
    handover.refresh_from_db()
    assert handover.photo and Image.open(handover.photo.open("rb")).size == (1600, 1067)  # shrunk on the phone
    assert FieldAction.objects.count() == 5 and FieldAction.objects.filter(result="diterapkan").count() == 5
    expect(page.get_by_text("Kirim sekarang")).to_be_hidden()  # nothing left to send


def test_what_the_server_refuses_comes_back_with_its_reason(page, login, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    _, _, handover = _setup()
    login(OperatorFactory().username, PASSWORD)
    _take_along(page, live_server, handover)
    page.goto(live_server.url + f"/lapangan/bast/{handover.pk}/")
    page.context.set_offline(True)
    page.get_by_label("Foto serah terima").set_input_files([_photo()])
    status = page.get_by_test_id("field-status")
    expect(status).to_contain_text("belum terkirim (1)")
    handover_void(handover=Handover.objects.get(pk=handover.pk), reason="Penerima meninggal", actor=None)
    page.context.set_offline(False)
    page.get_by_role("button", name="Kirim sekarang").click()
    refused = page.get_by_test_id("refused")
    expect(refused).to_contain_text("ditolak — BAST ini sudah dibatalkan")
    expect(page.get_by_text("Semua sudah terkirim.")).to_be_visible()
    assert page.evaluate(COUNT_STORED) == 0  # shown, so dropped from the phone (with the photo it carried)
    refused.get_by_role("button", name="Tutup").click()
    expect(refused).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("field-status")).to_contain_text("Semua sudah terkirim.")
    expect(refused).to_have_count(0)  # gone from the phone once shown


COUNT_STORED = """() => new Promise((resolve) => {
  const request = indexedDB.open("kubeprogram-lapangan", 1);
  request.onupgradeneeded = () => request.result.createObjectStore("actions", { keyPath: "id" });
  request.onsuccess = () => {
    const count = request.result.transaction("actions").objectStore("actions").count();
    count.onsuccess = () => resolve(count.result);
  };
})"""


KEPT_TURNOVERS = """() => new Promise((resolve) => {
  const request = indexedDB.open("kubeprogram-lapangan", 1);
  request.onsuccess = () => {
    const all = request.result.transaction("actions").objectStore("actions").getAll();
    all.onsuccess = () => resolve(all.result.map((a) => a.fields.turnover));
  };
})"""


def test_signing_out_warns_about_unsent_work_then_leaves_nothing_on_the_phone(page, login, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    _, _, handover = _setup()
    login(OperatorFactory().username, PASSWORD)
    _take_along(page, live_server, handover)
    page.route("**/lapangan/kirim/", lambda route: route.abort())  # the signal is too weak to send
    page.goto(live_server.url + f"/lapangan/bast/{handover.pk}/")
    page.get_by_label("Foto serah terima").set_input_files([_photo()])
    expect(page.get_by_test_id("field-status")).to_contain_text("belum terkirim (1)")
    warnings = []

    def answer(dialog, accept: bool):
        warnings.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    logout = page.get_by_role("button", name="Keluar")
    page.get_by_role("button", name="Buka menu").click()
    for _ in range(3):  # the collapsed navbar slides open first; the user menu opens on a click after that
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        page.wait_for_timeout(400)
        page.get_by_test_id("user-menu").click()
        if logout.is_visible():
            break
    logout.click()
    for _ in range(100):  # the warning comes once the phone's queue has been counted
        if warnings:
            break
        page.wait_for_timeout(100)
    assert "Ada 1 tindakan lapangan yang belum terkirim" in warnings[0]
    expect(page.get_by_test_id("field-status")).to_contain_text("belum terkirim (1)")  # stayed: nothing lost
    assert page.evaluate(COUNT_STORED) == 1
    page.once("dialog", lambda dialog: answer(dialog, True))
    if not logout.is_visible():
        page.get_by_test_id("user-menu").click()
    logout.click()
    expect(page).to_have_url(f"{live_server.url}/akun/masuk/")
    assert page.evaluate(COUNT_STORED) == 0
    assert page.evaluate("caches.keys().then((keys) => keys.filter((k) => k === 'lapangan-halaman'))") == []


def test_marks_chosen_offline_survive_a_reload_and_the_counter_counts_participants(page, login, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    session, attendances, handover = _setup()
    login(OperatorFactory().username, PASSWORD)
    _take_along(page, live_server, handover)
    page.get_by_role("link", name="Bimtek Menjahit").click()
    rows = page.get_by_test_id("field-participant")
    status = page.get_by_test_id("field-status")
    expect(status).to_contain_text("Semua sudah terkirim.")
    page.context.set_offline(True)
    rows.nth(0).get_by_role("button", name="Hadir", exact=True).click()
    rows.nth(0).get_by_role("button", name="Tidak Hadir", exact=True).click()  # changed her mind: one action
    rows.nth(1).get_by_role("button", name="Izin", exact=True).click()
    expect(status).to_contain_text("belum terkirim (2)")
    page.reload()  # without a signal: the marks chosen are still shown as chosen
    expect(status).to_contain_text("belum terkirim (2)")
    expect(rows.nth(0).get_by_role("button", name="Tidak Hadir", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(rows.nth(0).get_by_role("button", name="Hadir", exact=True)).to_have_attribute("aria-pressed", "false")
    expect(rows.nth(1).get_by_role("button", name="Izin", exact=True)).to_have_attribute("aria-pressed", "true")
    page.context.set_offline(False)
    expect(status).to_contain_text("2 tindakan terkirim", timeout=15000)
    _wait_until(page, "() => Boolean(document.body.dataset.takenRefreshed)")  # the pages taken along, fetched again
    first, second = (rows.nth(n).get_attribute("data-action-target").split(":")[1] for n in (0, 1))
    assert Attendance.objects.get(pk=first).status == "absent"
    assert Attendance.objects.get(pk=second).status == "excused"
    page.context.set_offline(True)  # the page taken along was fetched again after sending: it shows the server's marks
    page.reload()
    expect(rows.nth(0).get_by_role("button", name="Tidak Hadir", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(rows.nth(0).get_by_test_id("pending-mark")).to_be_hidden()


def test_a_visit_kept_on_the_phone_opens_again_to_be_edited_not_written_twice(page, login, live_server, tmp_path):
    from monitoring.models import Visit

    page.set_viewport_size({"width": 390, "height": 844})
    handover = deliver(ApprovedItemFactory(), handed_over_on=timezone.localdate() - datetime.timedelta(days=95))
    login(OperatorFactory().username, PASSWORD)
    page.goto(live_server.url + "/lapangan/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.get_by_role("checkbox", name=f"Bawa kunjungan {handover.number}").check()
    page.get_by_test_id("take-along").click()
    expect(page.get_by_text("halaman tersimpan di perangkat")).to_be_visible()
    page.context.set_offline(True)
    page.get_by_role("link", name=f"{handover.number} · bulan ke-3").click()
    expect(page.get_by_role("navigation", name="breadcrumb").get_by_role("link")).to_have_text("Kerja Lapangan")
    expect(page.get_by_test_id("field-status")).to_be_hidden()  # nothing waits yet: no box on the form
    page.get_by_label("Cara").select_option(label="Telepon")
    page.get_by_label("Status usaha").select_option(index=1)
    page.get_by_label("Omzet rata-rata per bulan (Rp)").fill("1.500.000")
    page.get_by_label("Pendapatan bersih per bulan (Rp)").fill("400.000")
    page.get_by_label("Tenaga kerja (termasuk penerima)").fill("1")
    for line, box in zip(handover.lines.all(), page.get_by_test_id("goods-line").all(), strict=True):
        box.get_by_label("Dipakai", exact=True).fill(str(line.quantity))  # every unit in use
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(page.get_by_test_id("offline-saved")).to_be_visible()
    page.get_by_role("link", name="Kerja Lapangan").first.click()  # back, and open the same visit again
    page.get_by_role("link", name=f"{handover.number} · bulan ke-3").click()
    expect(page.get_by_test_id("offline-queued")).to_be_visible()
    expect(page.get_by_label("Omzet rata-rata per bulan (Rp)")).to_have_value("1.500.000")
    page.screenshot(path=tmp_path / "visit-queued-390.png", full_page=True)
    page.get_by_label("Omzet rata-rata per bulan (Rp)").fill("1.750.000")
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(page.get_by_test_id("offline-saved")).to_be_visible()  # kept on the phone (the queue has answered)
    expect(page.get_by_test_id("field-status")).to_contain_text("belum terkirim (1)")  # replaced, not added
    assert page.evaluate(KEPT_TURNOVERS) == ["1.750.000"]
    page.context.set_offline(False)
    expect(page.get_by_test_id("field-status")).to_contain_text("1 tindakan terkirim", timeout=15000)
    visit = Visit.objects.get(handover=handover)
    assert visit.turnover == 1_750_000 and visit.due_month == 3


def test_a_session_found_ended_empties_the_pages_taken_along_and_keeps_the_unsent_work(page, login, live_server):
    """An administrator ends the officer's sessions (or it times out) while a photo waits on the phone: the next
    page (the login page) empties the pages taken along — they hold names and addresses — and keeps the unsent
    photo, which is sent once the same officer signs in again. No page kept on the phone has a whole NIK."""
    from accounts.services import user_end_sessions

    page.set_viewport_size({"width": 390, "height": 844})
    _, _, handover = _setup()
    operator = OperatorFactory()
    login(operator.username, PASSWORD)
    _take_along(page, live_server, handover)
    kept = page.evaluate(KEPT_PAGES)
    assert len(kept) >= 2 and not any(nik in html for html in kept for nik in _whole_numbers(handover))
    page.route("**/lapangan/kirim/", lambda route: route.abort())
    page.goto(live_server.url + f"/lapangan/bast/{handover.pk}/")
    page.get_by_label("Foto serah terima").set_input_files([_photo()])
    expect(page.get_by_test_id("field-status")).to_contain_text("belum terkirim (1)")

    user_end_sessions(user=operator, actor=None)
    page.goto(live_server.url + "/lapangan/")  # the session is over: the login page
    expect(page).to_have_url(f"{live_server.url}/akun/masuk/?next=/lapangan/")
    _wait_until(page, "() => caches.keys().then((keys) => !keys.includes('lapangan-halaman'))")
    assert page.evaluate(COUNT_STORED) == 1  # the officer's unsent photo waits

    page.unroute("**/lapangan/kirim/")
    login(operator.username, PASSWORD)
    page.goto(live_server.url + f"/lapangan/bast/{handover.pk}/")
    expect(page.get_by_test_id("field-status")).to_contain_text("Semua sudah terkirim.", timeout=15000)
    assert Handover.objects.get(pk=handover.pk).photo
    assert page.evaluate(COUNT_STORED) == 0


def _wait_until(page, predicate: str, seconds: float = 10) -> None:
    """page.wait_for_function evaluates its predicate with eval, which the page's CSP (rightly) refuses: poll."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(predicate):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"not true after {seconds} s: {predicate}")


def _whole_numbers(handover) -> list[str]:
    person = handover.allocation.item.person
    return [person.nik, person.kk_number]


KEPT_PAGES = """() => caches.open("lapangan-halaman").then((cache) => cache.keys().then((requests) =>
  Promise.all(requests.map((r) => cache.match(r).then((response) => response.text())))))"""
