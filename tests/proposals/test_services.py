import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from beneficiaries.models import MemberRole, Person
from proposals import services
from proposals.models import ItemStatus, Proposal, ProposalItem, ProposedPerson
from tests.factories import (
    BudgetYearFactory,
    KubeGroupFactory,
    KubeMemberFactory,
    OperatorFactory,
    PersonFactory,
    ProposalFactory,
    VerifikatorFactory,
)
from tests.factories.proposals import PDF

pytestmark = pytest.mark.django_db
Status = Proposal.Status


def _woman(**kwargs):
    return PersonFactory(sex="P", birth_date=datetime.date(1985, 8, 17), dtks_id="DTKS1", **kwargs)


def _submitted(people=3):
    proposal = ProposalFactory(with_documents=True)
    operator = OperatorFactory()
    items = services.proposal_add_people(proposal=proposal, people=[_woman() for _ in range(people)], actor=operator)
    services.proposal_submit(proposal=proposal, actor=operator)
    proposal.refresh_from_db()
    return proposal, items


def test_open_creates_one_draft_per_program_and_year(samarinda):
    budget_year = BudgetYearFactory()
    operator = OperatorFactory()
    first = services.proposal_open(regency=samarinda, budget_year=budget_year, program="WRSE", actor=operator)
    again = services.proposal_open(regency=samarinda, budget_year=budget_year, program="WRSE", actor=operator)
    assert first == again and first.status == Status.DRAFT
    assert AuditEvent.objects.filter(action="proposal.create").count() == 1


def test_closed_year_takes_no_proposals(samarinda):
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.proposal_open(
            regency=samarinda, budget_year=BudgetYearFactory(status="closed"), program="WRSE", actor=None
        )


def test_clean_candidate_has_no_findings():
    proposal = ProposalFactory()
    [item] = services.proposal_add_people(proposal=proposal, people=[_woman()], actor=OperatorFactory())
    assert item.checks == [] and not item.has_errors
    assert ProposedPerson.objects.get().person == item.person
    assert AuditEvent.objects.filter(action="proposal_item.create", regency_id="64.72").count() == 1


@pytest.mark.parametrize(
    ("person", "code", "level"),
    [
        ({"sex": "L"}, "wrse_woman", "error"),
        ({"birth_date": datetime.date(1960, 1, 2)}, "wrse_age", "error"),  # 63 on 1 January 2024
        ({"birth_date": datetime.date(2006, 6, 1)}, "wrse_age", "error"),  # 17
        ({"dtks_id": ""}, "dtks", "warning"),
        ({"last_assisted_year": 2022}, "assisted", "warning"),
    ],
)
def test_wrse_checks(person, code, level):
    values = {"sex": "P", "birth_date": datetime.date(1985, 8, 17), "dtks_id": "DTKS1", **person}
    proposal = ProposalFactory()
    [item] = services.proposal_add_people(proposal=proposal, people=[PersonFactory(**values)], actor=None)
    assert [(c["code"], c["level"]) for c in item.checks] == [(code, level)]
    assert item.has_errors is (level == "error")


def test_shared_family_card_is_a_warning():
    proposal = ProposalFactory()
    a = _woman(kk_number="6472030101200077")
    b = _woman(kk_number="6472030101200077")
    services.proposal_add_people(proposal=proposal, people=[a], actor=None)
    [item] = services.proposal_add_people(proposal=proposal, people=[b], actor=None)
    assert [c["code"] for c in item.checks] == ["shared_kk"]


def test_a_person_is_proposed_once_per_year_across_programs_and_regencies(balikpapan):
    person = _woman()
    wrse = ProposalFactory()
    services.proposal_add_people(proposal=wrse, people=[person], actor=None)
    with pytest.raises(ValidationError, match="sudah ada dalam usulan ini"):
        services.proposal_add_people(proposal=wrse, people=[person], actor=None)
    group = KubeGroupFactory()
    KubeMemberFactory(group=group, person=person)
    kube = ProposalFactory(program="KUBE")
    with pytest.raises(services.Refusal, match="sudah diusulkan tahun ini untuk program WRSE"):
        services.proposal_add_groups(proposal=kube, groups=[group], actor=None)
    other = ProposalFactory(regency=balikpapan)
    with pytest.raises(ValidationError, match="kabupaten/kota lain"):
        services.proposal_add_people(proposal=other, people=[person], actor=None)
    # and the database itself refuses a second entry
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposedPerson.objects.create(budget_year=wrse.budget_year, person=person, item=wrse.items.get())


def test_the_database_holds_a_kube_to_one_item_per_proposal_and_any_number_of_wrse_items_to_none():
    """proposalitem_unique_group is partial (the items with a group, proposals 0009): a second item of the same KUBE
    in one proposal is refused by the database itself, while the WRSE items, which have no group, never conflict."""
    kube = ProposalFactory(program="KUBE")
    group = KubeGroupFactory()
    ProposalItem.objects.create(proposal=kube, group=group)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalItem.objects.create(proposal=kube, group=group)
    wrse = ProposalFactory(program="WRSE")
    ProposalItem.objects.bulk_create([ProposalItem(proposal=wrse, person=PersonFactory()) for _ in range(3)])
    assert wrse.items.filter(group__isnull=True).count() == 3


def test_kube_group_composition_is_checked():
    group = KubeGroupFactory()
    for role in (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER, MemberRole.MEMBER):
        KubeMemberFactory(group=group, role=role, person__dtks_id="D1")
    [item] = services.proposal_add_groups(proposal=ProposalFactory(program="KUBE"), groups=[group], actor=None)
    messages = [c["message"] for c in item.checks if c["level"] == "error"]
    assert messages == ["Anggota baru 4 orang; minimal 5.", "Belum ada bendahara."]
    assert ProposedPerson.objects.count() == 4


def test_submit_needs_candidates_and_both_documents():
    proposal = ProposalFactory()
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, actor=OperatorFactory())
    assert error.value.messages == [
        "Usulan belum berisi calon penerima.",
        "Surat pengantar belum diunggah.",
        "Berita acara musyawarah belum diunggah.",
    ]


def test_submit_and_decide():
    proposal, items = _submitted()
    assert proposal.status == Status.SUBMITTED and proposal.submitted_at
    verifier = VerifikatorFactory()
    services.items_decide(proposal=proposal, items=items[:2], decision="approved", reason="", actor=verifier)
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_REVIEW
    with pytest.raises(ValidationError, match="Alasan wajib"):
        services.items_decide(proposal=proposal, items=items[2:], decision="returned", reason=" ", actor=verifier)
    services.items_decide(
        proposal=proposal, items=items[2:], decision="returned", reason="KTP tidak terbaca", actor=verifier
    )
    assert AuditEvent.objects.filter(action="proposal_item.approved").count() == 2
    event = AuditEvent.objects.get(action="proposal_item.returned")
    assert event.after == {"status": "returned", "reason": "KTP tidak terbaca"} and event.regency_id == "64.72"


def test_a_proposal_holding_an_item_with_an_error_cannot_be_submitted():
    proposal = ProposalFactory(with_documents=True)
    man = PersonFactory(sex="L", full_name="Budi Santoso")
    services.proposal_add_people(proposal=proposal, people=[PersonFactory(), man], actor=None)
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, actor=None)
    assert "1 calon penerima masih memiliki kesalahan — Budi Santoso: WRSE hanya untuk perempuan." in str(error.value)
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def _submitted_then_wrong(count: int):
    """A submitted proposal whose last item turns wrong afterwards (the registry was corrected: a man)."""
    proposal = ProposalFactory(with_documents=True)
    items = services.proposal_add_people(proposal=proposal, people=PersonFactory.create_batch(count), actor=None)
    services.proposal_submit(proposal=proposal, actor=None)
    Person.objects.filter(pk=items[-1].person_id).update(sex="L")
    services.items_recheck(proposal=proposal)
    return proposal, items


def test_approval_is_refused_while_an_error_stands():
    proposal, [item] = _submitted_then_wrong(1)
    with pytest.raises(ValidationError, match="tidak dapat disetujui"):
        services.items_decide(
            proposal=proposal, items=[item], decision="approved", reason="", actor=VerifikatorFactory()
        )
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_approving_a_selection_approves_the_eligible_and_names_the_rest():
    proposal, items = _submitted_then_wrong(3)
    decided = services.items_decide(
        proposal=proposal, items=items, decision="approved", reason="", actor=VerifikatorFactory()
    )
    assert sorted(i.pk for i in decided) == sorted(i.pk for i in items[:2])
    fresh = list(ProposalItem.objects.filter(pk__in=[i.pk for i in items]).select_related("person").order_by("pk"))
    assert [i.status for i in fresh] == ["approved", "approved", "pending"]
    [(blocked, why)] = services.approval_blockers(fresh)
    assert blocked.pk == items[2].pk and "Jenis kelamin tidak sesuai NIK" in why


def test_return_fix_and_resubmit_only_the_returned():
    proposal, items = _submitted()
    verifier, operator = VerifikatorFactory(), OperatorFactory()
    services.items_decide(proposal=proposal, items=items[:2], decision="approved", reason="", actor=verifier)
    services.items_decide(
        proposal=proposal, items=items[2:], decision="returned", reason="Alamat kurang", actor=verifier
    )
    services.proposal_finish_review(proposal=proposal, actor=verifier)
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT
    with pytest.raises(ValidationError):
        services.proposal_remove_item(item=items[0], actor=operator)  # approved: locked
    services.proposal_submit(proposal=proposal, actor=operator)
    statuses = {item.pk: item.status for item in proposal.items.all()}
    assert statuses == {items[0].pk: "approved", items[1].pk: "approved", items[2].pk: "pending"}
    services.items_decide(proposal=proposal, items=items[2:], decision="approved", reason="", actor=verifier)
    services.proposal_finish_review(proposal=proposal, actor=verifier)
    proposal.refresh_from_db()
    assert proposal.status == Status.FINALISED
    with pytest.raises(ValidationError):
        services.proposal_submit(proposal=proposal, actor=operator)


def test_review_cannot_finish_with_pending_items():
    proposal, items = _submitted()
    with pytest.raises(ValidationError, match="belum diputuskan"):
        services.proposal_finish_review(proposal=proposal, actor=VerifikatorFactory())


def test_rejection_frees_the_person_for_the_other_program():
    proposal, items = _submitted(1)
    services.items_decide(proposal=proposal, items=items, decision="rejected", reason="Bukan warga miskin", actor=None)
    assert not ProposedPerson.objects.exists()


def test_documents_are_checked_by_content():
    proposal = ProposalFactory()
    fake = SimpleUploadedFile("surat.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF atau gambar"):
        services.proposal_attach_document(proposal=proposal, field="cover_letter", upload=fake, actor=None)
    real = SimpleUploadedFile("surat.html", PDF, content_type="text/html")
    services.proposal_attach_document(proposal=proposal, field="cover_letter", upload=real, actor=None)
    proposal.refresh_from_db()
    assert proposal.cover_letter.name.endswith(".pdf")  # named after what it is, not what it claims


def test_documents_have_a_size_limit(settings):
    settings.PROPOSAL_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="terlalu besar"):
        services.proposal_attach_document(
            proposal=ProposalFactory(), field="minutes", upload=SimpleUploadedFile("a.pdf", PDF), actor=None
        )


def test_merging_people_moves_their_proposals():
    from beneficiaries.services import person_merge

    keep, duplicate = _woman(), _woman()
    proposal = ProposalFactory()
    services.proposal_add_people(proposal=proposal, people=[duplicate], actor=None)
    person_merge(keep=keep, duplicate=duplicate, actor=VerifikatorFactory())
    assert proposal.items.get().person == keep
    assert ProposedPerson.objects.get().person == keep
