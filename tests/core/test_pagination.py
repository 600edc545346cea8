import pytest

from beneficiaries.models import Person
from core.pagination import bounded_count, decode_cursor, encode_cursor, keyset_page
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_cursor_round_trip_and_garbage():
    assert decode_cursor(encode_cursor(("Siti", 5)), 2) == ("Siti", 5)
    assert decode_cursor("!!!", 2) is None
    assert decode_cursor(encode_cursor(("Siti",)), 2) is None


def test_bounded_count_is_exact_below_the_limit_and_says_more_above():
    for i in range(8):
        PersonFactory(full_name=f"Warga {i}")
    assert (
        bounded_count(Person.objects.all(), limit=10).value,
        bounded_count(Person.objects.all(), limit=10).exact,
    ) == (
        8,
        True,
    )
    over = bounded_count(Person.objects.all(), limit=5)
    assert not over.exact and over.value >= 5


def test_two_step_page_matches_one_step():
    for i in range(30):
        PersonFactory(full_name=f"Warga {i % 7}")  # ties on the name: the id breaks them
    one = keyset_page(Person.objects.all(), order=("full_name", "id"), size=10)
    two = keyset_page(
        Person.objects.all(), order=("full_name", "id"), size=10, rows=lambda qs: qs.select_related("village")
    )
    assert [p.pk for p in one] == [p.pk for p in two]
    following = keyset_page(
        Person.objects.all(), order=("full_name", "id"), size=10, after=two.next_cursor, rows=lambda qs: qs
    )
    everyone = list(Person.objects.order_by("full_name", "id").values_list("pk", flat=True))
    assert [p.pk for p in following] == everyone[10:20]
    back = keyset_page(
        Person.objects.all(), order=("full_name", "id"), size=10, before=following.previous_cursor, rows=lambda qs: qs
    )
    assert [p.pk for p in back] == everyone[:10] and not back.has_previous


def test_bulk_insert_rows_keeps_awkward_text_intact():
    from audit.models import AuditEvent
    from core.bulk import bulk_insert_rows

    awkward = 'Tab\there, new\nline, back\\slash, quote " and \\N'
    bulk_insert_rows(
        AuditEvent,
        ["action", "object_type", "object_id", "object_repr", "before", "after"],
        [("x.test", "t.t", "1", awkward, None, {"text": awkward, "n": 1})],
    )
    event = AuditEvent.objects.get()
    assert event.object_repr == awkward and event.after == {"text": awkward, "n": 1} and event.before is None
    assert event.created_at is not None
