"""The counts beside each proposal come from ItemCount, which database triggers keep (migration 0006): after every
kind of write to the items — added one by one and in bulk, imported by COPY, decided, rechecked, moved, removed, a
proposal deleted with its items, a write rolled back — they equal a fresh count of the items. On SQLite (`make run`,
row-level triggers) and PostgreSQL (statement-level triggers over transition tables) alike."""

import datetime
import importlib

import pytest
from django.db import connection, transaction
from django.db.models import Count

from beneficiaries.models import Person
from proposals import imports, selectors, services
from proposals.models import ItemCount, ItemStatus, Proposal, ProposalItem
from tests.factories import BudgetYearFactory, OperatorFactory, PersonFactory, ProposalFactory, VerifikatorFactory
from tests.proposals.workbooks import build, wrse_row

pytestmark = pytest.mark.django_db


def _kept() -> dict:
    return {(c.proposal_id, c.status, c.has_errors, c.has_warnings): c.n for c in ItemCount.objects.all()}


def _fresh() -> dict:
    rows = ProposalItem.objects.values_list("proposal", "status", "has_errors", "has_warnings").annotate(n=Count("id"))
    return {(proposal, status, errors, warnings): n for proposal, status, errors, warnings, n in rows.order_by()}


def _women(count: int) -> list[Person]:
    return [PersonFactory(sex="P", birth_date=datetime.date(1985, 8, 17), dtks_id="DTKS1") for _ in range(count)]


def test_the_kept_counts_follow_every_kind_of_write():
    proposal, other = ProposalFactory(with_documents=True), ProposalFactory(budget_year=BudgetYearFactory(year=2025))
    operator, verifier = OperatorFactory(), VerifikatorFactory()

    items = services.proposal_add_people(proposal=proposal, people=_women(4), actor=operator)  # bulk_create
    services.proposal_add_people(proposal=other, people=_women(2), actor=operator)
    assert _kept() == _fresh() == {(proposal.pk, "pending", False, False): 4, (other.pk, "pending", False, False): 2}

    services.proposal_submit(proposal=proposal, actor=operator)
    services.items_decide(proposal=proposal, items=items[:2], decision="approved", reason="", actor=verifier)
    services.items_decide(proposal=proposal, items=items[2:3], decision="returned", reason="Alamat", actor=verifier)
    assert _kept() == _fresh()
    assert _kept()[(proposal.pk, "approved", False, False)] == 2

    Person.objects.filter(pk=items[3].person_id).update(sex="L")  # the registry corrected: a man
    services.items_recheck(proposal=proposal)
    assert _kept() == _fresh()
    assert _kept()[(proposal.pk, "pending", True, False)] == 1

    ProposalItem.objects.filter(pk=items[3].pk).update(proposal=other)  # moved to another proposal
    assert _kept() == _fresh()

    services.proposal_remove_item(item=ProposalItem.objects.get(pk=items[3].pk), actor=operator)
    assert _kept() == _fresh()
    assert (proposal.pk, "pending", True, False) not in _kept()  # a combination that reaches 0 is dropped

    other.delete()  # the cascade deletes its items
    assert _kept() == _fresh()
    assert not any(key[0] == other.pk for key in _kept())


def test_an_import_written_by_copy_is_counted_and_a_rolled_back_one_is_not():
    proposal = ProposalFactory()
    upload = imports.upload_check(
        proposal=proposal, data=build([wrse_row(n) for n in range(1, 7)]), filename="u.xlsx", actor=OperatorFactory()
    )
    imports.upload_commit(upload=upload, actor=None)
    assert _kept() == _fresh() == {(proposal.pk, "pending", False, False): 6}

    before = _kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        ProposalItem.objects.filter(proposal=proposal).update(status=ItemStatus.APPROVED)
        ProposalItem.objects.filter(pk=ProposalItem.objects.first().pk).delete()
        assert _kept() == _fresh() == {(proposal.pk, "approved", False, False): 5}
        raise RuntimeError
    assert _kept() == _fresh() == before


def test_the_list_reads_the_kept_counts_in_two_queries(django_assert_num_queries):
    proposal = ProposalFactory(with_documents=True)
    items = services.proposal_add_people(proposal=proposal, people=_women(3), actor=None)
    services.proposal_submit(proposal=proposal, actor=None)
    services.items_decide(proposal=proposal, items=items[:1], decision="approved", reason="", actor=None)
    empty = ProposalFactory(budget_year=BudgetYearFactory(year=2025))

    with django_assert_num_queries(2):
        listed = {p.pk: p for p in selectors.counted(Proposal.objects.order_by("pk"))}

    shown = listed[proposal.pk]
    assert (shown.item_count, shown.pending_count, shown.approved_count, shown.error_count) == (3, 2, 1, 0)
    # every figure, as the items themselves count it
    items_of = ProposalItem.objects.filter(proposal=proposal)
    fresh = {
        "item_count": items_of.count(),
        **{f"{status}_count": items_of.filter(status=status).count() for status in ItemStatus.values},
        "error_count": items_of.filter(has_errors=True).count(),
        "warning_count": items_of.filter(has_warnings=True).count(),
    }
    assert {name: getattr(shown, name) for name in selectors.COUNTS} == fresh
    assert listed[empty.pk].item_count == 0


def test_one_proposal_comes_with_its_counts_and_only_in_scope(balikpapan):
    proposal = ProposalFactory()
    services.proposal_add_people(proposal=proposal, people=_women(2), actor=None)
    shown = selectors.proposal_get(user=OperatorFactory(), pk=proposal.pk)
    assert (shown.item_count, shown.pending_count) == (2, 2)
    with pytest.raises(Proposal.DoesNotExist):
        selectors.proposal_get(user=OperatorFactory(regency=balikpapan), pk=proposal.pk)


def test_the_migration_fills_the_counts_of_the_items_already_there():
    proposal = ProposalFactory()
    services.proposal_add_people(proposal=proposal, people=_women(2), actor=None)
    ItemCount.objects.all().delete()
    migration = importlib.import_module("proposals.migrations.0006_item_counts")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert _kept() == _fresh() == {(proposal.pk, "pending", False, False): 2}
