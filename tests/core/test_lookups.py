"""`field__any=[...]` finds what `field__in=[...]` finds, whatever the strings hold; on PostgreSQL as one array
parameter (the import's 2,000-NIK lookups), elsewhere as the usual IN."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Person
from proposals.models import ProposedPerson
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

AWKWARD = ['Siti "Ani"', "C:\\data\\", "a,b", "{kurung}", "  spasi  ", "", "NULL", "ÆØ Å'"]


def test_any_finds_what_in_finds_whatever_the_strings_hold():
    for name in [*AWKWARD, "Lain"]:
        PersonFactory(full_name=name)
    wanted = [*AWKWARD, "tidak ada", None]

    found = set(Person.objects.filter(full_name__any=wanted).values_list("full_name", flat=True))

    assert found == set(AWKWARD)
    assert found == set(Person.objects.filter(full_name__in=wanted).values_list("full_name", flat=True))
    assert not Person.objects.filter(full_name__any=[]).exists()
    assert not Person.objects.filter(full_name__any=[None]).exists()


def test_any_across_a_join_and_in_one_parameter_on_postgresql():
    people = PersonFactory.create_batch(3)
    niks = [p.nik for p in people[:2]]
    with CaptureQueriesContext(connection) as queries:
        found = set(Person.objects.filter(nik__any=niks).values_list("pk", flat=True))
    assert found == {p.pk for p in people[:2]}
    assert not ProposedPerson.objects.filter(person__nik__any=niks).exists()
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries[0]["sql"] and " IN (" not in queries[0]["sql"]
