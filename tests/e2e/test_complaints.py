"""A resident complains on the public page; the regency's officer answers and closes it; the resident follows it."""

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint
from tests.access.objects import jpeg
from tests.factories import PASSWORD, OperatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


def test_public_complaint_then_the_regency_handles_it_then_it_is_closed(page, login, live_server, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/pengaduan/lapor/")
    page.get_by_label("Kabupaten/Kota").select_option(label="Kota Samarinda")
    page.get_by_label("Jenis pengaduan").select_option(label="Barang kurang atau rusak")
    page.get_by_label("Uraian pengaduan").fill("Mesin jahit yang diterima ibu saya tidak bisa dipakai.")
    photo = {"name": "mesin-jahit.jpg", "mimeType": "image/jpeg", "buffer": jpeg((800, 600))}
    page.get_by_label("Lampiran (foto atau surat)").set_input_files([photo])
    page.screenshot(path=tmp_path / "public-390.png", full_page=True)
    page.get_by_role("button", name="Kirim pengaduan").click()
    receipt = page.get_by_test_id("public-receipt")
    expect(receipt).to_contain_text("Nomor pengaduan")
    complaint = Complaint.objects.get()
    assert not complaint.anonymous and complaint.channel == "web"  # no name given, anonymity not asked for
    expect(page).to_have_url(live_server.url + "/pengaduan/lapor/terima/")  # redirected after the save
    page.reload()  # reloading the receipt files nothing again
    expect(receipt).to_contain_text(complaint.number)
    assert Complaint.objects.count() == 1
    expect(page.get_by_role("link", name="Layanan Pengaduan Dinas Sosial Provinsi Kalimantan Timur")).to_be_visible()

    page.set_viewport_size({"width": 1366, "height": 900})
    login(OperatorFactory().username, PASSWORD)
    page.goto(live_server.url + "/pengaduan/")
    page.get_by_role("link", name=complaint.number).click()
    expect(page.get_by_test_id("attachments")).to_contain_text("mesin-jahit.jpg")
    thumbnail = page.get_by_role("img", name="Foto mesin-jahit.jpg")
    expect(thumbnail).to_be_visible()
    loaded = (  # a lazy image may still be on its way: wait for it to load (or fail: 0)
        "img => img.complete && img.naturalWidth ? img.naturalWidth : new Promise(done => {"
        " img.addEventListener('load', () => done(img.naturalWidth), {once: true});"
        " img.addEventListener('error', () => done(0), {once: true}); })"
    )
    assert thumbnail.evaluate(loaded) == 800  # served to the regency's officer
    page.screenshot(path=tmp_path / "complaint-detail.png", full_page=True)
    page.get_by_label("Status berikutnya").select_option(label="Selesai")
    page.get_by_label("Hasil (bila selesai)").select_option(label="Terbukti")
    page.get_by_label("Catatan tindak lanjut").fill("Mesin jahit diganti oleh penyedia pada 30 November.")
    page.get_by_label("Tampilkan catatan ini kepada pelapor (halaman publik)").check()
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(page.get_by_text("Tindak lanjut dicatat.")).to_be_visible()

    page.context.clear_cookies()  # the resident again, without an account
    page.goto(live_server.url + "/pengaduan/lapor/cek/")
    page.get_by_label("Nomor pengaduan").fill(complaint.number)
    page.get_by_label("Kode rahasia").fill(complaint.secret)
    page.get_by_role("button", name="Cek").click()
    assert complaint.secret not in page.url  # sent by POST: not in the history nor the server's log
    status = page.get_by_test_id("public-status")
    expect(status).to_contain_text("Penyelesaian")
    expect(status).to_contain_text("Selesai — Terbukti")
    expect(status).to_contain_text("Mesin jahit diganti oleh penyedia")
