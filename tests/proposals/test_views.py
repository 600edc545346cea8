import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import ItemStatus, Proposal
from tests.factories import (
    OperatorFactory,
    PersonFactory,
    PimpinanFactory,
    ProposalFactory,
    ProposalItemFactory,
    VerifikatorFactory,
)
from tests.factories.proposals import PDF
from tests.proposals.workbooks import build, wrse_row

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    client.get(reverse("home"))
    return user


def test_operator_builds_and_submits_through_the_pages(client, samarinda):
    from tests.factories import BudgetYearFactory

    budget_year = BudgetYearFactory()
    _login(client, OperatorFactory())
    response = client.post(reverse("proposals:proposal_open"), {"budget_year": budget_year.pk, "program": "WRSE"})
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url() and proposal.regency == samarinda

    people = [PersonFactory(dtks_id="D") for _ in range(3)]
    page = client.get(reverse("proposals:add_from_registry", args=[proposal.pk]))
    assert {p.pk for p in page.context["page"]} == {p.pk for p in people}
    client.post(reverse("proposals:add_from_registry", args=[proposal.pk]), {"pilih": [people[0].pk, people[1].pk]})
    assert proposal.items.count() == 2
    # the added ones are no longer offered
    page = client.get(reverse("proposals:add_from_registry", args=[proposal.pk]))
    assert [p.pk for p in page.context["page"]] == [people[2].pk]

    upload = client.post(
        reverse("proposals:upload_create", args=[proposal.pk]),
        {"workbook": SimpleUploadedFile("daftar.xlsx", build([wrse_row(1), wrse_row(2)]))},
    )
    preview = client.get(upload["Location"])
    assert "Semua baris benar" in preview.content.decode()
    client.post(reverse("proposals:upload_commit", args=[proposal.pk, preview.context["upload"].pk]))
    assert proposal.items.count() == 4

    refused = client.post(reverse("proposals:proposal_submit", args=[proposal.pk]), follow=True)
    assert "Surat pengantar belum diunggah." in refused.content.decode()
    for kind in ("surat-pengantar", "berita-acara"):
        client.post(
            reverse("proposals:document_upload", args=[proposal.pk, kind]), {"file": SimpleUploadedFile("a.pdf", PDF)}
        )
    client.post(reverse("proposals:proposal_submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    document = client.get(reverse("proposals:document_download", args=[proposal.pk, "surat-pengantar"]))
    assert document["Content-Type"] == "application/pdf"


def test_upload_with_problems_shows_them_and_saves_nothing(client):
    proposal = ProposalFactory()
    _login(client, OperatorFactory())
    response = client.post(
        reverse("proposals:upload_create", args=[proposal.pk]),
        {"workbook": SimpleUploadedFile("daftar.xlsx", build([wrse_row(1, **{"No KK": "12"})]))},
        follow=True,
    )
    content = response.content.decode()
    assert "1 kesalahan." in content and "No. KK harus 16 digit (tertulis 2 digit)." in content
    assert "Unduh berkas dengan tanda kesalahan" in content and "Simpan ke usulan" not in content
    assert not proposal.items.exists()


def test_an_unreadable_upload_gets_a_clear_message(client):
    proposal = ProposalFactory()
    _login(client, OperatorFactory())
    response = client.post(
        reverse("proposals:upload_create", args=[proposal.pk]),
        {"workbook": SimpleUploadedFile("daftar.xls", b"\xd0\xcf\x11\xe0 old excel")},
        follow=True,
    )
    assert "bukan file Excel .xlsx" in response.content.decode()


def test_verifier_decides_in_bulk_and_the_officer_sees_the_reason(client):
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED)
    items = [ProposalItemFactory(proposal=proposal, person__dtks_id="D") for _ in range(3)]
    _login(client, VerifikatorFactory())
    inbox = client.get(reverse("proposals:proposal_list")).context["inbox"]
    assert [p.pk for p in inbox] == [proposal.pk]
    url = reverse("proposals:items_decide", args=[proposal.pk])
    client.post(url, {"item": [items[0].pk, items[1].pk], "decision": "approved"})
    client.post(url, {"item": [items[2].pk], "decision": "returned", "reason": "Foto KTP buram"})
    client.post(reverse("proposals:proposal_finish", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert [i.status for i in proposal.items.order_by("pk")] == [
        ItemStatus.APPROVED,
        ItemStatus.APPROVED,
        ItemStatus.RETURNED,
    ]

    _login(client, OperatorFactory())
    content = client.get(proposal.get_absolute_url()).content.decode()
    assert "Foto KTP buram" in content and "Dikembalikan" in content


def test_detail_page_filters_and_query_count(client, django_assert_max_num_queries):
    proposal = ProposalFactory()
    for _ in range(30):
        ProposalItemFactory(proposal=proposal, person__dtks_id="D")
    ProposalItemFactory(proposal=proposal, person__dtks_id="", person__full_name="Tanpa DTKS")
    from proposals.services import items_recheck

    items_recheck(proposal=proposal)
    _login(client, PimpinanFactory())
    with django_assert_max_num_queries(12):
        response = client.get(proposal.get_absolute_url())
    assert len(response.context["page"]) == 31
    warned = client.get(proposal.get_absolute_url(), {"periksa": "warning"})
    assert [i.person.full_name for i in warned.context["page"]] == ["Tanpa DTKS"]
    assert (
        client.get(proposal.get_absolute_url(), {"kode": "dtks"}).context["page"].object_list[0].person.full_name
        == "Tanpa DTKS"
    )


def test_template_download(client):
    proposal = ProposalFactory(program="KUBE")
    _login(client, OperatorFactory())
    response = client.get(reverse("proposals:template_download", args=[proposal.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="template-usulan-kube-samarinda.xlsx"'


def test_person_page_shows_the_proposal_history(client):
    item = ProposalItemFactory()
    item.status, item.reason = ItemStatus.RETURNED, "KTP buram"
    item.save()
    _login(client, OperatorFactory())
    content = client.get(item.person.get_absolute_url()).content.decode()
    assert "Usulan WRSE" in content and "Dikembalikan: KTP buram" in content
