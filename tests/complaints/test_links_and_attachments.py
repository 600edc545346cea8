"""A complaint names the record it is about (opened from that record's page) and carries photos and letters,
checked like every other document and served only to those who may see the complaint."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from complaints import services
from complaints.models import Complaint, ComplaintAttachment, ComplaintCounter
from disbursements.services import allocations_create, package_lines
from tests.access.objects import jpeg
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    OperatorFactory,
    PackageFactory,
    ProposalFactory,
)
from tests.monitoring.conftest import deliver

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
FORM = {
    "received_on": "2026-11-27",
    "channel": "telepon",
    "complainant_name": "Bu Ani",
    "regency": "64.72",
    "category": "belum_diterima",
    "complexity": "cek_lapangan",
    "description": "Barang tidak pernah sampai.",
}


def _allocated(item):
    CeilingFactory(regency=item.proposal.regency, program="WRSE")
    [allocation] = allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory()), actor=None)
    return allocation


def test_opened_from_a_bast_the_complaint_names_the_bast_its_allocation_item_and_person(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    client.force_login(OperatorFactory())
    url = reverse("complaints:complaint_create") + f"?bast={handover.pk}"
    page = client.get(url)
    assert [record for _, record in page.context["linked"]] == [handover]
    assert page.context["form"].initial["regency"] == "64.72"  # the BAST's regency, preselected
    assert handover.number in page.content.decode()
    response = client.post(url, FORM | {"bast": handover.pk})
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    allocation = handover.allocation
    assert (complaint.handover, complaint.allocation, complaint.item, complaint.person) == (
        handover,
        allocation,
        allocation.item,
        allocation.item.person,
    )
    detail = client.get(complaint.get_absolute_url()).content.decode()
    assert handover.number in detail and allocation.item.person.full_name in detail


def test_another_regencys_record_cannot_be_named_through_the_hidden_link(client, balikpapan):
    theirs = ApprovedItemFactory(proposal=ProposalFactory(regency=balikpapan))
    client.force_login(OperatorFactory())
    response = client.post(reverse("complaints:complaint_create"), FORM | {"usulan": theirs.pk})
    assert response.status_code == 200 and not Complaint.objects.exists()
    assert response.context["form"].non_field_errors() == ["Data yang ditautkan tidak ditemukan di wilayah Anda."]
    page = client.get(reverse("complaints:complaint_create"), {"usulan": theirs.pk})
    assert page.context["linked"] == [] and theirs.person.full_name not in page.content.decode()


def test_links_that_contradict_each_other_are_refused():
    item, other = ApprovedItemFactory(), ApprovedItemFactory()
    data = {"received_on": datetime.date(2026, 11, 27), "channel": "telepon", "complainant_name": "Bu Ani",
            "category": "data_salah", "description": "Nama salah", "regency": item.proposal.regency}  # fmt: skip
    with pytest.raises(services.ValidationError) as refused:
        services.complaint_record(data=data | {"item": item, "person": other.person}, actor=None)
    assert refused.value.message_dict == {"item": ["Usulan ini bukan milik penduduk atau KUBE yang ditautkan."]}
    allocation = _allocated(other)
    with pytest.raises(services.ValidationError) as refused:
        services.complaint_record(data=data | {"item": item, "allocation": allocation}, actor=None)
    assert "allocation" in refused.value.message_dict
    assert not Complaint.objects.exists()


def test_a_proven_complaint_on_an_allocation_without_bast_notes_the_allocation_and_its_item(client):
    allocation = _allocated(ApprovedItemFactory())
    next_year = ProposalFactory(budget_year=BudgetYearFactory(year=2025))
    other_item = ApprovedItemFactory(proposal=next_year, person=allocation.item.person)  # the same person, 2025
    complaint = services.complaint_record(
        data={"received_on": datetime.date(2026, 11, 27), "channel": "telepon", "complainant_name": "Bu Ani",
              "category": "belum_diterima", "description": "Belum ada barang", "regency": allocation.regency,
              "allocation": allocation},
        actor=None,
    )  # fmt: skip
    actor = AdminProvinsiFactory()
    services.complaint_step(complaint=complaint, status="selesai", note="Benar", outcome="sebagian", actor=actor)
    allocation.refresh_from_db()
    allocation.item.refresh_from_db()
    other_item.refresh_from_db()
    expected = f"Pengaduan {complaint.number} sebagian terbukti: Benar"
    assert allocation.review_flag == expected and allocation.item.review_flag == expected
    assert other_item.review_flag == ""  # the item named, not every item of the person
    event = AuditEvent.objects.get(action="allocation.flag")
    assert event.actor == actor and event.after == {"review_flag": expected}
    client.force_login(actor)
    assert expected in client.get(allocation.get_absolute_url()).content.decode()


def test_an_officer_attaches_a_photo_and_a_letter_when_recording(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(OperatorFactory())
    files = [SimpleUploadedFile("rusak.png", PNG_PHOTO), SimpleUploadedFile("surat warga.pdf", PDF)]
    response = client.post(reverse("complaints:complaint_create"), FORM | {"attachments": files})
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    photo, letter = complaint.attachments.order_by("kind")
    assert (photo.kind, photo.original_name, photo.file.name.endswith(".jpg")) == ("foto", "rusak.png", True)
    assert photo.file.read()[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG
    assert (letter.kind, letter.original_name, letter.file.read()) == ("surat", "surat warga.pdf", PDF)
    assert AuditEvent.objects.filter(action="complaint.attach", object_id=str(complaint.pk)).count() == 2
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert reverse("complaints:attachment_file", args=[letter.pk]) in page and "surat warga.pdf" in page


def test_a_file_that_is_no_photo_or_pdf_saves_nothing_and_says_which(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(OperatorFactory())
    files = [SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not a photo")]
    response = client.post(reverse("complaints:complaint_create"), FORM | {"attachments": files})
    assert response.status_code == 200
    assert "virus.jpg: bukan foto (JPEG, PNG, HEIC) atau surat PDF" in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert not ComplaintCounter.objects.filter(last__gt=0).exists()  # the number is not used up either


def test_attachments_have_a_size_limit_and_a_count_limit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = len(PDF) - 1
    complaint = services.complaint_record(data=_data(), actor=None)
    with pytest.raises(services.ValidationError, match="besar.pdf: berkas terlalu besar"):
        services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("besar.pdf", PDF), actor=None)
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = len(PDF)
    for _ in range(services.ATTACHMENTS_PER_COMPLAINT):
        services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("a.pdf", PDF), actor=None)
    with pytest.raises(services.ValidationError, match="paling banyak 10 lampiran"):
        services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("a.pdf", PDF), actor=None)
    services.complaint_step(complaint=complaint, status="selesai", note="x", outcome="tidak_terbukti", actor=None)
    complaint.attachments.all().delete()
    with pytest.raises(services.ValidationError, match="sudah selesai"):
        services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("a.pdf", PDF), actor=None)


def test_an_attachment_is_served_only_to_those_who_see_the_complaint(client, balikpapan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plain = services.complaint_record(data=_data(), actor=None)
    extortion = services.complaint_record(data=_data(category="pungli"), actor=None)
    letters = [
        services.complaint_attach(complaint=c, upload=SimpleUploadedFile("s.pdf", PDF), actor=None)
        for c in (plain, extortion)
    ]
    urls = [reverse("complaints:attachment_file", args=[a.pk]) for a in letters]
    client.force_login(OperatorFactory())  # Samarinda, the regency named in both
    response = client.get(urls[0])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF and response["Cache-Control"] == "private, no-store"
    assert client.get(urls[1]).status_code == 404  # extortion: the province's admin and auditors only
    client.force_login(OperatorFactory(regency=balikpapan))
    assert client.get(urls[0]).status_code == 404
    client.force_login(AdminProvinsiFactory())
    assert client.get(urls[1]).status_code == 200


def test_the_public_sends_photos_with_the_complaint_but_no_more_than_three(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("complaints:public_submit")
    data = {"regency": "64.72", "category": "barang", "description": "Kompor rusak"}
    response = client.post(url, data | {"attachments": [SimpleUploadedFile(f"{n}.jpg", jpeg()) for n in range(4)]})
    assert "Paling banyak 3 lampiran." in response.content.decode() and not Complaint.objects.exists()
    response = client.post(url, data | {"attachments": [SimpleUploadedFile("bukti.jpg", jpeg())]}, follow=True)
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    assert attachment.from_public and attachment.uploaded_by is None and attachment.kind == "foto"
    assert complaint.number in response.content.decode()


def test_an_officer_adds_attachments_later_on_the_complaint_page(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    complaint = services.complaint_record(data=_data(), actor=None)
    client.force_login(OperatorFactory())
    url = reverse("complaints:complaint_attach", args=[complaint.pk])
    response = client.post(url, {"attachments": [SimpleUploadedFile("balasan.pdf", PDF)]}, follow=True)
    assert "Lampiran disimpan." in response.content.decode()
    response = client.post(url, {"attachments": [SimpleUploadedFile("x.txt", b"hello")]}, follow=True)
    assert "Tidak ada lampiran yang disimpan." in response.content.decode()
    assert list(complaint.attachments.values_list("original_name", flat=True)) == ["balasan.pdf"]


def _data(**changes):
    from regions.models import Regency

    return {"received_on": datetime.date(2026, 11, 27), "channel": "telepon", "complainant_name": "Pak Rahman",
            "category": "barang", "description": "Rusak", "regency": Regency.objects.get(code="64.72"),
            **changes}  # fmt: skip


def _png_photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, "PNG")
    return out.getvalue()


PNG_PHOTO = _png_photo()


def test_a_public_complaint_is_linked_later_and_once_proven_shows_on_the_bast_and_the_recipient(client, balikpapan):
    """The citizen names nothing; the officer finds the BAST and links it (completed upwards to the person), a
    wrong or another regency's number is refused with where, and a goods complaint closed "terbukti" shows on
    that BAST's page and the recipient's."""
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    person = handover.allocation.item.person
    other = deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan,
                    handed_over_on=datetime.date(2025, 1, 10))  # fmt: skip
    public = {"regency": "64.72", "category": "barang", "description": "Kulkas tidak dingin sejak diterima."}
    client.post(reverse("complaints:public_submit"), public)
    complaint = Complaint.objects.get()
    assert complaint.handover is None and complaint.person is None
    client.force_login(OperatorFactory())
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert 'data-testid="link-form"' in page and "Tautkan ke penerima, KUBE atau BAST yang diadukan" in page
    link = reverse("complaints:complaint_link", args=[complaint.pk])
    refused = client.post(link, {"bast_number": other.number}, follow=True).content.decode()
    assert "Nomor BAST ini tidak ditemukan di kabupaten/kota pengaduan ini." in refused
    assert "Isi NIK, KUBE atau nomor BAST" in client.post(link, {}, follow=True).content.decode()
    response = client.post(link, {"bast_number": handover.number.lower()})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.handover, complaint.allocation, complaint.person) == (handover, handover.allocation, person)
    event = AuditEvent.objects.get(action="complaint.link")
    assert event.before["handover"] is None and event.after["handover"] == handover.pk
    services.complaint_step(complaint=complaint, status="selesai", note="Kulkas diganti penyedia.",
                            outcome="terbukti", actor=None)  # fmt: skip
    for url in (handover.get_absolute_url(), person.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'data-testid="proven-complaint"' in html and complaint.number in html, url
    assert "Kulkas diganti penyedia." in client.get(handover.get_absolute_url()).content.decode()  # the BAST's note
    # closed: no more linking
    assert 'data-testid="link-form"' not in client.get(complaint.get_absolute_url()).content.decode()
    client.post(link, {"nik": person.nik})
    assert AuditEvent.objects.filter(action="complaint.link").count() == 1


def test_an_uploaded_pdf_is_a_download_and_no_uploaded_file_can_act_as_a_page(client, settings, tmp_path):
    """A PDF with JavaScript in it is never opened inside the browser from this site, and every uploaded file is
    served under a policy that runs nothing (sandbox), without type sniffing (issue 28, low 5)."""
    settings.MEDIA_ROOT = tmp_path
    complaint = services.complaint_record(data=_data(), actor=None)
    scripted = PDF.replace(b"%%EOF", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n%%EOF")
    letter = services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("s.pdf", scripted), actor=None)
    photo = services.complaint_attach(complaint=complaint, upload=SimpleUploadedFile("f.png", PNG_PHOTO), actor=None)
    client.force_login(OperatorFactory())
    pdf = client.get(reverse("complaints:attachment_file", args=[letter.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("attachment;")
    image = client.get(reverse("complaints:attachment_file", args=[photo.pk]))
    assert image["Content-Type"] == "image/jpeg" and image["Content-Disposition"].startswith("inline;")
    for response in (pdf, image):
        assert "sandbox" in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_citizens_photo_keeps_no_place_no_camera_and_no_comment(settings, tmp_path):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x0110] = "Phone of the citizen"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (0.0, 29.0, 60.0), "E", (117.0, 9.0, 0.0)
    source = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 10, 10)).save(source, "JPEG", exif=exif, comment=b"rumah Bu Sari, RT 03")
    complaint = services.complaint_record(data=_data(), actor=None)
    photo = services.complaint_attach(
        complaint=complaint, upload=SimpleUploadedFile("f.jpg", source.getvalue()), actor=None, from_public=True
    )
    with Image.open(photo.file.path) as stored:
        assert stored.size == (800, 600)
        assert dict(stored.getexif()) == {} and not stored.getexif().get_ifd(0x8825)
        assert "comment" not in stored.info
