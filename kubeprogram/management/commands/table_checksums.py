"""Print every table's row count and a checksum of its rows (PostgreSQL): two databases that print the same
lines hold the same data. Used by the restore drill (ops/drill) to prove a backup restores whole."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Row count and checksum of every table (PostgreSQL), one line per table."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("table_checksums needs PostgreSQL.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                quoted = connection.ops.quote_name(table)
                # Order-independent: the checksum of the sorted checksums of the rows as text.
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "  # noqa: S608
                    f"FROM {quoted} t"
                )
                count, checksum = cursor.fetchone()
                self.stdout.write(f"{table} {count} {checksum}")
