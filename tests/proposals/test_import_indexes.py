"""The indexes every imported row pays for (PostgreSQL): each of them serves a query, and none holds entries that no
query reads — the empty group of a WRSE item, the empty decider of a pending one (proposals 0009, audit 0005)."""

import pytest
from django.db import connection

from audit.models import AuditEvent
from beneficiaries.models import Person
from proposals.models import ProposalItem, ProposedPerson
from tests.plans import explain

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_an_imported_row_writes_only_the_indexes_this_list_names():
    """A new index on these tables costs every import its upkeep (about 4 µs a row each, docs/performance.md): it
    is added here on purpose, with the query it serves, or not at all."""
    items = _indexes("proposals_proposalitem")
    assert set(items) == {
        "proposals_proposalitem_pkey",
        "proposals_proposalitem_business_type_id_f0c08edf",  # a catalogue entry in use (PROTECT)
        "proposals_proposalitem_person_id_b7a4db38",  # the person page
        "proposalitem_unique_person",
        "proposalitem_unique_group",  # partial: the KUBE items
        "proposalitem_group_idx",  # partial: the KUBE page
        "proposalitem_decided_by_idx",  # partial: a user in use (PROTECT)
        "proposalitem_status_idx",
        "proposalitem_checks_idx",
        "proposalitem_page_idx",
    }
    assert set(_indexes("proposals_proposedperson")) == {
        "proposals_proposedperson_pkey",
        "proposedperson_once_per_year",  # also every lookup by year alone
        "proposals_proposedperson_person_id_f0dc4f72",
        "proposals_proposedperson_item_id_6a87a206",
    }
    audit = _indexes("audit_auditevent")
    assert set(audit) == {
        "audit_auditevent_pkey",
        "audit_auditevent_created_at_58e81936",
        "audit_action_idx",  # begins-with and equality
        "audit_object_idx",
        "audit_regency_time_idx",
        "audit_actor_time_idx",
    }
    people = _indexes("beneficiaries_person")
    assert set(people) == {
        "beneficiaries_person_pkey",
        "beneficiaries_person_nik_key",
        "beneficiaries_person_nik_57bd2f06_like",  # the NIK search by its first digits
        "person_kk_idx",  # the shared family card check
        "person_name_trgm_idx",  # the name search
        "person_name_id_idx",  # the lists in name order: the province's, a regency's, a district's, a village's,
        "person_regency_name_idx",
        "person_district_name_idx",
        "person_village_name_idx",
        "person_sex_name_idx",  # and of one sex
        "person_village_namekey_idx",  # possible duplicates
        "person_sex_birth_idx",  # the age filters
        "person_birth_idx",
        "person_desil_idx",
        "person_assisted_idx",  # partial: the people assisted before
        "person_merged_into_idx",  # partial: the merged people
    }
    assert people["person_assisted_idx"].endswith("WHERE (last_assisted_year IS NOT NULL)")
    for name, column in [
        ("proposalitem_unique_group", "group_id"),
        ("proposalitem_group_idx", "group_id"),
        ("proposalitem_decided_by_idx", "decided_by_id"),
    ]:
        assert items[name].endswith(f"WHERE ({column} IS NOT NULL)"), items[name]


@pytest.mark.parametrize(
    "queryset, index",  # index: the one the lookup reads, or "a|b" for either
    [
        # Either of the two partial indexes on the group (on empty tables the planner cannot tell them apart).
        (lambda: ProposalItem.objects.filter(group=1).order_by(), "proposalitem_group_idx|proposalitem_unique_group"),
        (
            lambda: ProposalItem.objects.filter(decided_by__in=[1]).order_by(),
            "proposalitem_decided_by_idx",
        ),  # a user's delete
        (lambda: ProposedPerson.objects.filter(budget_year=1), "proposedperson_once_per_year"),
        (lambda: AuditEvent.objects.filter(action__startswith="person."), "audit_action_idx"),  # the audit page
        (lambda: AuditEvent.objects.filter(action="person.merge"), "audit_action_idx"),
        (lambda: Person.objects.filter(last_assisted_year__isnull=False), "person_assisted_idx"),  # "Pernah dibantu"
    ],
)
def test_the_lookups_read_the_index_that_is_left(queryset, index):
    plan = explain(*queryset().query.sql_with_params())
    assert any(f"using {name} " in plan for name in index.split("|")), plan
    assert "Index Cond" in plan or "Filter" not in plan, plan  # the index finds the rows (a partial one: all of them)
