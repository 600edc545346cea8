"""No file without its row, no row without its file (issue 29): a file written by a transaction that does not
commit is removed when the request ends; a full disk or a read-only media folder is a message, not the 500 page;
`manage.py media_orphans` finds (and with --delete removes, audited) what no row points at."""

import datetime
import errno
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEvent
from complaints.models import Complaint
from core.media import FULL, discard_uncommitted
from tests.factories import OperatorFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_transaction_rolls_back_is_removed_and_a_committed_one_stays(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            lost = default_storage.save("bast/lost.pdf", ContentFile(PDF))
            raise RuntimeError("the row could not be saved")
    with transaction.atomic():
        kept = default_storage.save("bast/kept.pdf", ContentFile(PDF))
    assert default_storage.exists(lost) and discard_uncommitted() == 1  # the lost one
    assert not default_storage.exists(lost) and default_storage.exists(kept)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_full_disk_is_told_on_the_form_and_nothing_is_kept(client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def full(self, name, content):
        with open(self.path(name), "wb") as handle:  # a truncated file, as the disk filled up
            handle.write(b"%PDF")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    client.force_login(OperatorFactory())
    from tests.complaints.test_links_and_attachments import FORM

    form = FORM | {"attachments": [SimpleUploadedFile("surat.pdf", PDF)]}
    response = client.post(reverse("complaints:complaint_create"), form)
    assert response.status_code == 200 and FULL in response.content.decode()
    assert not Complaint.objects.exists()
    assert [f for _, _, files in os.walk(tmp_path) for f in files] == []  # the truncated file went too


@pytest.mark.django_db
def test_a_read_only_media_folder_is_told_on_the_bast_page_and_elsewhere_by_a_page_not_a_500(
    client, settings, tmp_path, monkeypatch, rf
):
    from core.media import StorageFull, StorageFullMiddleware
    from tests.factories import ApprovedItemFactory, VerifikatorFactory
    from tests.monitoring.conftest import deliver

    settings.MEDIA_ROOT = tmp_path
    handover = deliver(ApprovedItemFactory())
    monkeypatch.setattr(FileSystemStorage, "_save", lambda *a: (_ for _ in ()).throw(OSError(errno.EROFS, "ro")))
    client.force_login(VerifikatorFactory())
    photo = SimpleUploadedFile("f.jpg", b"\xff\xd8\xff" + b"0" * 100)
    url = reverse("disbursements:handover_attach", args=[handover.pk, "foto"])
    response = client.post(url, {"file": photo}, follow=True)
    assert response.status_code == 200 and FULL in response.content.decode()
    handover.refresh_from_db()
    assert not handover.photo
    request = rf.post("/usulan/1/unggah/", HTTP_REFERER="/usulan/1/")
    request.user = OperatorFactory()
    page = StorageFullMiddleware(lambda r: None).process_exception(request, StorageFull())
    assert page.status_code == 507 and FULL in page.content.decode() and 'href="/usulan/1/"' in page.content.decode()


@pytest.mark.django_db
def test_media_orphans_lists_then_removes_what_no_row_points_at_older_than_a_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = default_storage.save("bast/orphan-old.pdf", ContentFile(PDF))
    new = default_storage.save("bast/orphan-new.pdf", ContentFile(PDF))
    day_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (day_ago, day_ago))
    call_command("media_orphans")
    assert default_storage.exists(old)  # listed only
    call_command("media_orphans", "--delete")
    assert not default_storage.exists(old) and default_storage.exists(new)  # the new one may be mid-save
    event = AuditEvent.objects.get(action="media.orphans_delete")
    assert event.after == {"count": 1, "files": [old]}
