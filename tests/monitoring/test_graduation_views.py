"""Graduation pages: candidates, the assessment form, the province's review, the criteria settings."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from monitoring.models import Assessment, GraduationCriterion, TurnoverThreshold
from tests.factories import AdminProvinsiFactory, OperatorFactory, VerifikatorFactory
from tests.monitoring.test_graduation import _visited

pytestmark = pytest.mark.django_db
LIST = reverse("monitoring:assessment_list")


@pytest.fixture
def ready(delivered):
    TurnoverThreshold.objects.create(budget_year=delivered.budget_year, regency_id="64.72", amount=Decimal(1_000_000))
    _visited(delivered, 3, 6, 12)
    return delivered


def test_a_recipient_is_assessed_proposed_and_approved_through_the_pages(client, ready, django_assert_max_num_queries):
    client.force_login(OperatorFactory())
    response = client.get(LIST, {"tahun": 2024})
    assert [h.pk for h in response.context["candidates"]] == [ready.pk]
    url = reverse("monitoring:assessment_create", args=[ready.pk])
    page = client.get(url)
    assert page.context["result"].recommendation == "lulus"
    assert page.context["form"].initial["decision"] == "lulus"
    html = page.content.decode()
    assert "Usaha berjalan pada kunjungan terakhir" in html and "Skor kesiapan: 100%" in html  # as the detail shows it
    response = client.post(url, {"decision": "lulus", "note": "Usaha menjahit ramai", "action": "submit"})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and assessment.status == "submitted"
    assert client.get(LIST, {"tahun": 2024}).context["candidates"].count() == 0  # no longer waiting
    # the operator cannot review
    detail = reverse("monitoring:assessment_detail", args=[assessment.pk])
    assert client.post(detail, {"approve": "1"}).status_code == 403
    client.force_login(VerifikatorFactory())
    assert "Pemeriksaan provinsi" in client.get(detail).content.decode()
    assert "<td>100%</td>" in client.get(detail).content.decode()
    response = client.post(detail, {"approve": "1"}, follow=True)
    assert "Penilaian disetujui." in response.content.decode()
    person = ready.allocation.item.person
    person.refresh_from_db()
    assert person.graduated_year is not None


def test_a_decision_the_rule_does_not_allow_comes_back_on_its_field(client, delivered):
    _visited(delivered, 3, 6)
    client.force_login(OperatorFactory())
    response = client.post(
        reverse("monitoring:assessment_create", args=[delivered.pk]), {"decision": "lulus", "action": "submit"}
    )
    assert response.status_code == 200 and not Assessment.objects.exists()
    [message] = response.context["form"].errors["decision"]
    assert message.startswith("Belum dapat lulus — kriteria wajib belum terpenuhi: Usaha berjalan")
    response = client.post(
        reverse("monitoring:assessment_create", args=[delivered.pk]), {"decision": "keluar", "action": "submit"}
    )
    assert response.context["form"].errors["exit_reason"] == ["Alasan keluar wajib diisi."]


def test_a_return_needs_a_note_and_reopens_the_form(client, ready):
    client.force_login(OperatorFactory())
    url = reverse("monitoring:assessment_create", args=[ready.pk])
    client.post(url, {"decision": "perpanjang", "action": "submit"})
    assessment = Assessment.objects.get()
    client.force_login(VerifikatorFactory())
    detail = reverse("monitoring:assessment_detail", args=[assessment.pk])
    response = client.post(detail, {"approve": "0", "review_note": ""})
    assert response.context["form"].errors["review_note"] == ["Tulis alasan pengembalian untuk kabupaten/kota."]
    client.post(detail, {"approve": "0", "review_note": "Semua kriteria terpenuhi, usulkan lulus."})
    client.force_login(OperatorFactory())
    page = client.get(url).content.decode()
    assert "Dikembalikan provinsi:" in page and "usulkan lulus" in page


def test_the_admin_sets_criteria_and_thresholds(client, delivered):
    client.force_login(AdminProvinsiFactory())
    url = reverse("monitoring:criteria_edit", args=[2024, "WRSE"])
    page = client.get(url)
    assert page.context["is_default"] and len(page.context["formset"].initial) == 3
    data = {
        "kriteria-TOTAL_FORMS": "2",
        "kriteria-INITIAL_FORMS": "0",
        "kriteria-0-name": "Usaha berjalan",
        "kriteria-0-measure": "usaha_berjalan",
        "kriteria-0-month": "12",
        "kriteria-0-weight": "2",
        "kriteria-0-required": "on",
        "kriteria-1-name": "Pembukuan sederhana",
        "kriteria-1-measure": "penilai",
        "kriteria-1-month": "",
        "kriteria-1-weight": "1",
        "ambang-amount_64.72": "1.750.000",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(GraduationCriterion.objects.values_list("name", "weight", "required", "month")) == [
        ("Usaha berjalan", 2, True, 12),
        ("Pembukuan sederhana", 1, False, None),
    ]
    assert TurnoverThreshold.objects.get(regency_id="64.72").amount == 1_750_000
    assert AuditEvent.objects.filter(action__in=["graduation_criteria.set", "turnover_threshold.set"]).count() == 2
    data["kriteria-1-name"] = "Usaha berjalan"
    data["kriteria-INITIAL_FORMS"] = "2"  # as the page now says
    response = client.post(url, data)
    assert response.context["problem"] == "Setiap kriteria perlu nama, dan nama tidak boleh kembar."


def test_the_bast_and_the_person_show_the_monitoring(client, ready):
    client.force_login(OperatorFactory())
    page = client.get(ready.get_absolute_url()).content.decode()
    assert "Kunjungan monev" in page and page.count("Selesai") >= 3
    client.post(reverse("monitoring:assessment_create", args=[ready.pk]), {"decision": "lulus", "action": "submit"})
    client.force_login(VerifikatorFactory())
    client.post(reverse("monitoring:assessment_detail", args=[Assessment.objects.get().pk]), {"approve": "1"})
    person = ready.allocation.item.person
    page = client.get(reverse("beneficiaries:person_detail", args=[person.pk])).content.decode()
    assert "Lulus (graduasi)" in page
    assert 'text-bg-success">Dikunjungi' in page and 'text-bg-success">Lulus' in page


def test_the_notes_of_every_return_stay_on_the_page_after_resubmission(client, ready, django_assert_max_num_queries):
    """Each submit, return and approval, with its note and in order, stays readable: the assessment itself keeps
    only the latest review note (and an approval clears it)."""
    operator, verifier = OperatorFactory(), VerifikatorFactory(first_name="Budi", last_name="Santoso")
    url = reverse("monitoring:assessment_create", args=[ready.pk])
    client.force_login(operator)
    client.post(url, {"decision": "perpanjang", "note": "Masih perlu pendampingan", "action": "submit"})
    assessment = Assessment.objects.get()
    detail = reverse("monitoring:assessment_detail", args=[assessment.pk])
    client.force_login(verifier)
    client.post(detail, {"approve": "0", "review_note": "Semua kriteria terpenuhi, usulkan lulus."})
    client.force_login(operator)
    client.post(url, {"decision": "lulus", "note": "Diusulkan lulus", "action": "submit"})
    client.force_login(verifier)
    client.post(detail, {"approve": "1", "review_note": ""})
    with django_assert_max_num_queries(12):
        page = client.get(detail)
    steps = [(s.label, s.note) for s in page.context["history"]]
    assert steps == [
        ("Diajukan kabupaten/kota", "Masih perlu pendampingan"),
        ("Dikembalikan provinsi", "Semua kriteria terpenuhi, usulkan lulus."),
        ("Diajukan kabupaten/kota", "Diusulkan lulus"),
        ("Disetujui provinsi", ""),
    ]
    html = page.content.decode()
    assert 'data-testid="review-history"' in html and "Semua kriteria terpenuhi, usulkan lulus." in html
    assert "Budi Santoso" in html
