"""The breach register: recorded with the 3×24-hour clock from discovery, the whole-NIK views and exports of its
period listed from the audit log, the notices printable and marked sent (late or not), audited; the Auditor reads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from beneficiaries.services import person_nik_viewed
from privacy.models import Breach
from tests.factories import AdminProvinsiFactory, AuditorFactory, OperatorFactory, PersonFactory, VerifikatorFactory

pytestmark = pytest.mark.django_db


def test_a_breach_lists_who_saw_whole_niks_and_gives_its_notices(client):
    viewer = VerifikatorFactory(username="budi")
    for _ in range(3):
        person_nik_viewed(person=PersonFactory(), actor=viewer)
    AuditEvent.objects.update(created_at=timezone.now() - datetime.timedelta(hours=5))
    found = timezone.localtime()
    since = found - datetime.timedelta(days=2)
    client.force_login(AdminProvinsiFactory())
    response = client.post(reverse("privacy:breach_list"), {
        "title": "Laptop operator hilang", "found_at": found.strftime("%Y-%m-%dT%H:%M"),
        "exposed_from": since.strftime("%Y-%m-%dT%H:%M"), "description": "Laptop berisi unduhan BNBA hilang.",
        "data_exposed": "NIK, nama, alamat", "people_count": 120, "cause": "Laptop tanpa sandi", "measures": "",
    })  # fmt: skip
    breach = Breach.objects.get()
    assert response.status_code == 302 and breach.notify_by == breach.found_at + datetime.timedelta(hours=72)
    page = client.get(breach.get_absolute_url())
    assert page.context["exposures"][0]["actor__username"] == "budi" and page.context["exposures"][0]["events"] == 3
    letter = client.get(reverse("privacy:breach_notice", args=[breach.pk, "lembaga"])).content.decode()
    assert "Pasal 46" in letter and "120 orang" in letter and "NIK, nama, alamat" in letter
    client.post(reverse("privacy:breach_notified", args=[breach.pk, "lembaga"]))
    breach.refresh_from_db()
    assert breach.authority_notified_at is not None and breach.people_notified_at is None
    assert AuditEvent.objects.get(action="breach.notify").after == {"whom": "lembaga", "late": False}
    client.force_login(AuditorFactory())
    assert client.get(breach.get_absolute_url()).status_code == 200
    assert client.post(reverse("privacy:breach_notified", args=[breach.pk, "subjek"])).status_code == 403
    client.force_login(OperatorFactory())
    assert client.get(reverse("privacy:breach_list")).status_code == 403


def test_a_discovery_in_the_future_or_a_period_after_it_is_refused(client):
    client.force_login(AdminProvinsiFactory())
    later = timezone.localtime() + datetime.timedelta(days=1)
    page = client.post(reverse("privacy:breach_list"), {
        "title": "x", "found_at": later.strftime("%Y-%m-%dT%H:%M"), "exposed_from": later.strftime("%Y-%m-%dT%H:%M"),
        "description": "x", "data_exposed": "x", "people_count": 1,
    })  # fmt: skip
    assert "tidak boleh di masa depan" in page.content.decode() and not Breach.objects.exists()


def test_one_notice_letter_per_person_known_to_be_affected(client):
    breach = Breach.objects.create(
        title="Berkas BNBA terkirim ke grup WhatsApp", found_at=timezone.now(), description="…",
        exposed_from=timezone.now() - datetime.timedelta(days=1), data_exposed="nama, alamat",
        recorded_by=AdminProvinsiFactory(),
    )  # fmt: skip
    first, second = PersonFactory(full_name="SITI AMINAH"), PersonFactory(full_name="RAHMAWATI")
    client.force_login(AdminProvinsiFactory())
    general = client.get(reverse("privacy:breach_notice", args=[breach.pk, "subjek"])).content.decode()
    assert general.count('data-testid="breach-notice"') == 1 and "yang datanya terdampak" in general
    refused = client.post(breach.get_absolute_url(), {"niks": f"{first.nik}\n123\n{first.nik[:12]}9999"})
    errors = " ".join(refused.context["people_form"].errors["niks"])
    assert "Baris 2" in errors and "Baris 3: NIK ini tidak ada" in errors and not breach.people.exists()
    client.post(breach.get_absolute_url(), {"niks": f"{first.nik}\n\n{second.nik}\n{first.nik}"})
    breach.refresh_from_db()
    assert set(breach.people.all()) == {first, second} and breach.people_count == 2
    letters = client.get(reverse("privacy:breach_notice", args=[breach.pk, "subjek"])).content.decode()
    assert letters.count('data-testid="breach-notice"') == 2 and "SITI AMINAH" in letters and "RAHMAWATI" in letters
    assert first.nik not in letters  # a letter names and addresses her, never with her NIK
    assert AuditEvent.objects.get(action="breach.people").after["people_count"] == 2
    client.force_login(AuditorFactory())  # reads, cannot add
    assert client.post(breach.get_absolute_url(), {"niks": second.nik}).status_code == 403
