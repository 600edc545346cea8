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
