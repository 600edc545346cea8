"""The planner's choice for a statement (PostgreSQL), for the tests that hold a page or a lookup to its index: the
test database is nearly empty, so the scans the planner would take at a million rows are switched off."""

from django.db import connection


def explain(sql: str, params=(), off=("enable_seqscan", "enable_bitmapscan")) -> str:
    with connection.cursor() as cursor:
        for setting in off:
            cursor.execute(f"SET LOCAL {setting} = off")  # until the test's transaction ends
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
