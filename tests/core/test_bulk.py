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
