"""Reads that may come from a read replica: the dashboard, the reports and the exports, when
REPLICA_DATABASE_URL is set (the "replica" database alias); everything else, and every write, on the primary.

A view opts in with @reads_from_replica; the router sends that view's reads to the replica. Without a replica
configured the decorator changes nothing. A replica lags the primary by a moment: only pages where a figure a
second old is fine opt in (never a form, never a page that reads what it has just written)."""

import contextlib
import contextvars
import functools

from django.conf import settings

REPLICA = "replica"
PRIMARY_ONLY = {"auth", "accounts", "sessions", "axes", "contenttypes"}
_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("reading_replica", default=False)


# Tests switch the routing off (a test database's mirror is a second connection that cannot see a test's
# uncommitted rows) except where they test it (tests/reports/test_replica.py).
routing = {"enabled": True}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        token = _reading_replica.set(True)
        try:
            response = view(request, *args, **kwargs)
            if getattr(response, "streaming", False):  # a streamed export reads while it is sent
                response.streaming_content = _within(response.streaming_content)
            return response
        finally:
            _reading_replica.reset(token)

    return wrapped


def _within(chunks):
    with replica_reads():
        yield from chunks


@contextlib.contextmanager
def replica_reads():
    """The reads of the block go where an opted-in view's go (a background task counting a view's figures)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    """Reads of an opted-in view go to the replica; writes, migrations and everything else to the primary."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY:
            return None  # who may do what is never decided on a copy that may lag (a user just deactivated)
        if _reading_replica.get() and routing["enabled"] and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
