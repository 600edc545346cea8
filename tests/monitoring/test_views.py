"""The monitoring pages as officers use them: the worklist, the visit form with photos, scoping."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Visit
from tests.access.objects import jpeg
from tests.factories import ApprovedItemFactory, OperatorFactory, PimpinanFactory, VerifikatorFactory
from tests.monitoring.conftest import deliver, kube_item

pytestmark = pytest.mark.django_db
WORKLIST = reverse("monitoring:worklist")


def _form(handover, **changes):
    data = {
        "due_month": "3",
        "visited_on": timezone.localdate().isoformat(),
        "visitor_name": "Rina Pendamping",
        "mode": "kunjungan",
        "business_status": "berjalan",
        "turnover": "1.500.000",
        "net_income": "400.000",
        "workers": "1",
        "problems": "",
        "follow_up": "",
    }
    data.update({f"goods_{line.pk}_dipakai": str(line.quantity) for line in handover.lines.all()})
    data.update(changes)
    return data


def _units(line, **counts):
    """The form's boxes of one goods line: the counts given, the other conditions blank."""
    return {f"goods_{line.pk}_{c}": str(counts.get(c, "")) for c in ("dipakai", "rusak", "dijual", "hilang")}


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _rows(response):
    return [(r.handover.pk, r.month, r.state) for r in response.context["page"]]


def test_the_worklist_shows_what_needs_a_trip_by_village(client, balikpapan):
    recent = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))  # 3 months: due
    older = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200))  # 3: overdue, 6: due
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(100))
    client.force_login(OperatorFactory())
    response = client.get(WORKLIST)
    assert sorted(_rows(response)) == sorted(
        [(recent.pk, 3, "jatuh_tempo"), (older.pk, 3, "terlambat"), (older.pk, 6, "jatuh_tempo")]
    )
    assert response.context["counts"] == {"selesai": 0, "jatuh_tempo": 2, "terlambat": 1, "akan_datang": 3}
    page = response.content.decode()
    assert "Catat kunjungan" in page and "Terlambat" in page
    overdue = client.get(WORKLIST, {"status": "terlambat"})
    assert _rows(overdue) == [(older.pk, 3, "terlambat")]
    # the query count does not grow with the recipients
    before = _count(client)
    for _ in range(3):
        deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    assert _count(client) == before < 15


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(WORKLIST)
    return len(captured)


def test_a_recorded_visit_is_done_and_sorted_by_village(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    client.force_login(OperatorFactory())
    response = client.post(reverse("monitoring:visit_create", args=[handover.pk]), _form(handover))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    rows = client.get(WORKLIST, {"status": "selesai"}).context["page"]
    assert [(r.month, r.visit) for r in rows] == [(3, visit)]


def test_the_visit_form_takes_photos_from_the_camera_and_shows_findings(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    client.force_login(OperatorFactory())
    url = reverse("monitoring:visit_create", args=[handover.pk]) + "?bulan=3"
    page = client.get(url).content.decode()
    assert 'capture="environment"' in page and "multiple" in page
    assert "Tahap KUBE" not in page and "Saldo dana IKS" not in page  # WRSE
    line = handover.lines.first()
    data = _form(handover, **_units(line, dijual=line.quantity))
    data["photos"] = [SimpleUploadedFile("a.jpg", jpeg((3200, 2400))), SimpleUploadedFile("b.txt", b"hello")]
    response = client.post(url, data, follow=True)
    visit = Visit.objects.get()
    assert visit.photos.count() == 1
    page = response.content.decode()
    assert "Kunjungan dicatat." in page and "Foto tidak disimpan — b.txt" in page
    assert "Temuan" in page and "Dijual" in page
    photo = visit.photos.get()
    served = client.get(reverse("monitoring:visit_photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"


def test_wrong_answers_come_back_by_field(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    client.force_login(OperatorFactory())
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = _form(handover, visited_on=tomorrow, turnover="satu juta")
    line = handover.lines.first()
    data.pop(f"goods_{line.pk}_dipakai")
    response = client.post(reverse("monitoring:visit_create", args=[handover.pk]), data)
    assert response.status_code == 200 and not Visit.objects.exists()
    errors = response.context["form"].errors
    unit = line.goods.get_unit_display()
    assert "turnover" in errors
    assert errors[f"goods_{line.pk}_dipakai"] == [
        f"Isi berapa {unit} dalam tiap kondisi (diserahkan {line.quantity} {unit})."
    ]
    data = _form(handover, visited_on=tomorrow)
    response = client.post(reverse("monitoring:visit_create", args=[handover.pk]), data)
    assert response.context["form"].errors == {"visited_on": ["Tanggal kunjungan tidak boleh di masa depan."]}


def test_a_kube_visit_asks_for_the_stage_and_the_iks_fund(client):
    handover = deliver(kube_item(), program="KUBE", handed_over_on=_days_ago(100))
    client.force_login(VerifikatorFactory())
    url = reverse("monitoring:visit_create", args=[handover.pk])
    page = client.get(url).content.decode()
    assert "Tahap KUBE" in page and "Saldo dana IKS" in page and "Mandiri" in page
    response = client.post(url, _form(handover))
    assert set(response.context["form"].errors) == {"stage", "iks_balance"}
    response = client.post(url, _form(handover, stage="tumbuh", iks_balance="250.000"))
    assert response.status_code == 302
    assert Visit.objects.get().iks_balance == 250_000


def test_another_regencys_recipient_is_not_found(client, balikpapan):
    other = deliver(
        ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(100)
    )
    client.force_login(OperatorFactory())
    assert client.get(reverse("monitoring:visit_create", args=[other.pk])).status_code == 404
    assert client.post(reverse("monitoring:visit_create", args=[other.pk]), _form(other)).status_code == 404
    assert not Visit.objects.exists()


def test_leadership_reads_but_does_not_record(client):
    handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    client.force_login(PimpinanFactory())
    page = client.get(WORKLIST).content.decode()
    assert "Catat kunjungan" not in page
    assert client.get(reverse("monitoring:visit_create", args=[handover.pk])).status_code == 403


def test_the_province_first_chooses_a_regency(client, balikpapan):
    mine = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(100))
    client.force_login(VerifikatorFactory())
    response = client.get(WORKLIST)
    assert [r.regency.code for r in response.context["summary"] if r.recipients_total] == ["64.71", "64.72"]
    assert "kabupaten=64.72" in response.content.decode()
    response = client.get(WORKLIST, {"kabupaten": "64.72"})
    assert response.context["summary"] is None and _rows(response) == [(mine.pk, 3, "jatuh_tempo")]


def test_the_provinces_summary_counts_as_the_dashboard_does(client, balikpapan):
    """The province's list of regencies shows, per regency, the recipients and the visits done, due and overdue: the
    same figures as the dashboard's monitoring section (selectors.outcomes), from the schedule's counts alone."""
    from monitoring import selectors
    from monitoring.services import visit_record
    from tests.monitoring.test_services import ANSWERS, _goods

    visited = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    answers = {**ANSWERS, "visited_on": _days_ago(5)}  # the month-3 visit, inside its window
    visit_record(handover=visited, data=answers, goods=_goods(visited), actor=None)
    deliver(ApprovedItemFactory(), handed_over_on=_days_ago(200))
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=_days_ago(100))
    verifier = VerifikatorFactory()
    client.force_login(verifier)
    response = client.get(WORKLIST)
    expected = selectors.outcomes(user=verifier, budget_year=visited.budget_year).regencies

    def figures(lines):
        return [(r.regency.code, r.recipients_total, r.done, r.due, r.overdue) for r in lines if r.recipients_total]

    assert figures(response.context["summary"]) == figures(expected)
    assert {code: done for code, _, done, _, _ in figures(expected)} == {"64.71": 0, "64.72": 1}


def test_the_visit_form_counts_the_units_of_each_line_and_says_under_it_when_they_do_not_add_up(client):
    """Oven Gas, 3 units, one broken: dipakai 2 and rusak 1 — the page shows both, the dashboard counts units."""
    handover = deliver(ApprovedItemFactory(), handed_over_on=_days_ago(100))
    line = handover.lines.select_related("goods").first()
    line.quantity = 3
    line.save()
    client.force_login(OperatorFactory())
    url = reverse("monitoring:visit_create", args=[handover.pk]) + "?bulan=3"
    page = client.get(url).content.decode()
    assert f'id="id_goods_{line.pk}_rusak"' in page and f"{line.goods} (3 " in page
    response = client.post(url, _form(handover, **_units(line, dipakai=2)))
    assert response.status_code == 200 and not Visit.objects.exists()
    page = response.content.decode()
    assert "Jumlah per kondisi 2, padahal diserahkan 3" in page
    assert page.count(f'aria-describedby="goods_{line.pk}_dipakai-error"') == 1  # the line's fieldset
    assert re.search(rf'<input[^>]*name="goods_{line.pk}_rusak"[^>]*class="form-control is-invalid"', page)
    response = client.post(url, _form(handover, **_units(line, dipakai=2, rusak=1)), follow=True)
    visit = Visit.objects.get()
    goods = {(g.line_id, g.condition): g.quantity for g in visit.goods.all()}
    assert (goods[line.pk, "dipakai"], goods[line.pk, "rusak"]) == (2, 1)
    page = response.content.decode()
    assert "Dipakai 2" in page and "Rusak 1" in page
    edit = client.get(reverse("monitoring:visit_update", args=[visit.pk])).content.decode()
    assert f'name="goods_{line.pk}_dipakai" value="2"' in edit and f'name="goods_{line.pk}_rusak" value="1"' in edit
