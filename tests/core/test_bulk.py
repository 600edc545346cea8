import pytest
from django.db import transaction

from audit.models import AuditEvent
from core.bulk import background_copies, bulk_insert_rows

COLUMNS = ["action", "object_type", "object_id", "object_repr", "before", "after"]


def _events(n, action="x.test"):
    return [(action, "t.t", str(i), f"objek {i}", None, {"i": i}) for i in range(n)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_background_copies_are_seen_by_the_next_query_and_committed():
    with transaction.atomic(), background_copies():
        bulk_insert_rows(AuditEvent, COLUMNS, _events(3000))
        bulk_insert_rows(AuditEvent, COLUMNS, _events(10, action="y.test"))
        # A query drains the pending COPYs first: it sees every row written before it.
        assert AuditEvent.objects.filter(action="x.test").count() == 3000
        bulk_insert_rows(AuditEvent, COLUMNS, _events(5, action="z.test"))
    assert AuditEvent.objects.filter(action="y.test").count() == 10
    assert AuditEvent.objects.filter(action="z.test").count() == 5  # the last COPY finished with the block


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failed_background_copy_raises_in_the_caller_and_nothing_is_kept():
    with pytest.raises(Exception, match="too long"):
        with transaction.atomic(), background_copies():
            bulk_insert_rows(AuditEvent, COLUMNS, _events(100))
            bulk_insert_rows(AuditEvent, COLUMNS, _events(1, action="x" * 65))  # action is varchar(64)
            AuditEvent.objects.count()  # the next query reports the worker's error
    assert AuditEvent.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_large_copy_is_followed_by_analyze_once_committed_and_not_after_a_rollback(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import bulk

    monkeypatch.setattr(bulk, "ANALYZE_AFTER_ROWS", 3)
    with CaptureQueriesContext(connection) as small:
        with transaction.atomic():
            bulk_insert_rows(AuditEvent, COLUMNS, _events(2))
    with CaptureQueriesContext(connection) as undone, pytest.raises(RuntimeError):
        with transaction.atomic():
            bulk_insert_rows(AuditEvent, COLUMNS, _events(3))
            raise RuntimeError
    with CaptureQueriesContext(connection) as large:
        with transaction.atomic():
            bulk_insert_rows(AuditEvent, COLUMNS, _events(3))
    analyzed = ['ANALYZE "audit_auditevent"']
    assert [q["sql"] for q in large if q["sql"].startswith("ANALYZE")] == analyzed
    assert not [q for q in small if q["sql"].startswith("ANALYZE")]
    assert not [q for q in undone if q["sql"].startswith("ANALYZE")]


@pytest.mark.django_db
def test_bulk_set_writes_the_named_fields_of_each_row_and_nothing_else():
    """Text with tabs and line breaks, JSON, a foreign key and a timestamp, as bulk_update would write them (COPY to
    a temporary table and one UPDATE on PostgreSQL); the fields not named keep their value."""
    import datetime

    from django.utils import timezone

    from accounts.models import User
    from core.bulk import bulk_set

    actor = User.objects.create(username="pencatat")
    events = [AuditEvent.objects.create(action="a.test", object_type="t.t", object_id=str(i)) for i in range(3)]
    when = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 15))
    for n, event in enumerate(events[:2]):
        event.object_repr = f"baris {n}\tkolom\nbaris\\ {n}"
        event.after = {"n": n, "teks": "a\tb"}
        event.actor_id = actor.pk
        event.created_at = when
        event.action = "tidak.ditulis"  # not among the fields named

    bulk_set(AuditEvent, events[:2], ["object_repr", "after", "actor", "created_at"])

    written = {e.object_id: e for e in AuditEvent.objects.all()}
    assert written["1"].object_repr == "baris 1\tkolom\nbaris\\ 1" and written["1"].after == {"n": 1, "teks": "a\tb"}
    assert (written["0"].actor_id, written["0"].created_at, written["0"].action) == (actor.pk, when, "a.test")
    assert (written["2"].object_repr, written["2"].after, written["2"].actor_id) == ("", None, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_held_copies_wait_for_their_release_and_the_end_of_the_block_sends_them():
    from core.bulk import hold_copies, release_copies

    with transaction.atomic(), background_copies():
        hold_copies()
        bulk_insert_rows(AuditEvent, COLUMNS, _events(3, action="held.one"))
        assert not AuditEvent.objects.filter(action="held.one").exists()  # a query in between does not see them
        hold_copies()  # the next piece: the first piece's rows are sent, this one's held
        bulk_insert_rows(AuditEvent, COLUMNS, _events(2, action="held.two"))
        assert AuditEvent.objects.filter(action="held.one").count() == 3
        assert not AuditEvent.objects.filter(action="held.two").exists()
        release_copies()
        assert AuditEvent.objects.filter(action="held.two").count() == 2
        hold_copies()
        bulk_insert_rows(AuditEvent, COLUMNS, _events(4, action="held.three"))
    assert AuditEvent.objects.filter(action="held.three").count() == 4  # sent when the block ended


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_held_copies_of_a_failed_block_are_never_sent():
    from core.bulk import hold_copies

    with pytest.raises(RuntimeError), transaction.atomic(), background_copies():
        bulk_insert_rows(AuditEvent, COLUMNS, _events(2, action="sent.first"))
        hold_copies()
        bulk_insert_rows(AuditEvent, COLUMNS, _events(2, action="held.back"))
        raise RuntimeError("listrik padam")
    assert AuditEvent.objects.count() == 0
