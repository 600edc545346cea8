"""Two officers at the same moment, for the lock tests (PostgreSQL, real threads, each with its own connection):
one write kept open with its locks held while another is tried under a lock timeout."""

import contextlib
import threading

from django.db import OperationalError, connection, transaction


@contextlib.contextmanager
def held_open(work):
    """Run `work` in a transaction on another thread and keep that transaction open, its locks held, for the block."""
    holding, release, failures = threading.Event(), threading.Event(), []

    def run():
        try:
            with transaction.atomic():
                work()
                holding.set()
                release.wait(30)
        except Exception as error:  # noqa: BLE001 — reported below
            failures.append(repr(error))
            holding.set()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert holding.wait(30) and failures == [], failures
        yield
    finally:
        release.set()
        thread.join()
    assert failures == [], failures


def within(seconds: int, work):
    """`work` in a transaction of this thread that gives up after `seconds` waiting for a lock: what it returned,
    or the lock timeout's message."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{seconds}s'")
            return work()
    except OperationalError as error:
        return str(error)
