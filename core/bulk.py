"""Writing many rows at once: fast on PostgreSQL, plain Django elsewhere.

- `bulk_set`: Django's bulk_update writes one CASE WHEN per row and field, which costs seconds for
  thousands of rows; on PostgreSQL the values go in with COPY (to a temporary table) and one UPDATE … FROM it.
- `bulk_insert_rows`: plain value tuples in with COPY on PostgreSQL (bulk_create elsewhere); `next_ids`
  hands out primary keys first when other rows must refer to the new ones.
- `background_copies`: inside it, the COPYs of `bulk_insert_rows` run on a worker thread over the same
  connection and transaction, so Python prepares the next rows while the server writes these; `hold_copies` /
  `release_copies` keep a piece of work's COPYs back until the next piece's queries have run.
"""

import contextlib
import contextvars
import datetime
import io
import json
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, models, router, transaction
from django.utils import timezone


def bulk_set(model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str], batch_size=5000):
    """Write `fields` of `objects` (which have primary keys) to the database, as bulk_update would."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields, batch_size=batch_size)
        return
    _drain(connection)  # it writes through the raw cursor, which the drain-before-query wrapper never sees

    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    names = ", ".join(f'"{field.column}"' for field in columns)
    rows = ([getattr(obj, field.attname) for field in columns] for obj in objects)
    buffer = _copy_text(columns, rows, connection)
    # COPY into a bare temporary table of the same column types, then one UPDATE … FROM it (a table a failed
    # call left behind outside a transaction is dropped first).
    sets = ", ".join(f'"{field.column}" = v."{field.column}"' for field in columns[1:])
    with connection.cursor() as cursor:
        cursor.execute('DROP TABLE IF EXISTS "_bulk_set"')
        cursor.execute(f'CREATE TEMPORARY TABLE "_bulk_set" AS SELECT {names} FROM "{meta.db_table}" WITH NO DATA')
        cursor.cursor.copy_expert(f'COPY "_bulk_set" ({names}) FROM STDIN', buffer, size=COPY_BLOCK)
        cursor.execute(
            f'UPDATE "{meta.db_table}" AS t SET {sets} FROM "_bulk_set" AS v '
            f'WHERE t."{meta.pk.column}" = v."{meta.pk.column}"'
        )
        cursor.execute('DROP TABLE "_bulk_set"')


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, cls=DjangoJSONEncoder)
    elif isinstance(value, datetime.datetime | datetime.date | datetime.time):
        value = value.isoformat()
    else:
        value = getattr(value, "adapted", value)  # psycopg2's Json adapter keeps the Python object here
        if isinstance(value, dict | list):
            value = json.dumps(value, cls=DjangoJSONEncoder)
        value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_JSON = DjangoJSONEncoder()  # one encoder for every value (json.dumps(cls=…) would build one per call)


def _escaped(text: str) -> str:
    """COPY's escapes; most values have none of these characters, and the test is cheaper than the copy."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPE)
    return text


copy_escape = _escaped  # for a load that writes COPY's text itself (copy_lines)


def _text(value) -> str:
    return "\\N" if value is None else _escaped(str(value))


def _number(value) -> str:
    return "\\N" if value is None else str(value)


def _boolean(value) -> str:
    return "\\N" if value is None else ("t" if value else "f")


def _temporal(value) -> str:
    return "\\N" if value is None else value.isoformat()


def _json(value) -> str:
    return "\\N" if value is None else _escaped(_JSON.encode(value))


def _aware(field, conn):
    """Aware datetimes as they are, a naive one through Django (it makes it aware or refuses); the text of the last
    one is kept, as a bulk write mostly stamps every row with the same moment."""
    last = [None, ""]

    def convert(value):
        if value is None:
            return "\\N"
        if value is not last[0]:
            last[0], last[1] = value, (value if value.tzinfo else field.get_db_prep_save(value, conn)).isoformat()
        return last[1]

    return convert


def _copy_text(columns, rows, conn) -> io.StringIO:
    """COPY's text format of `rows` (value tuples in the order of `columns`), ready to be read."""
    converters = [_converter(field, conn) for field in columns]
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join([convert(value) for convert, value in zip(converters, row, strict=True)]))
        write("\n")
    buffer.seek(0)
    return buffer


def _converter(field, conn):
    """A value -> COPY text function for one field, chosen once per column (most need no Django call)."""
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateTimeField):
        return _aware(field, conn)
    if isinstance(field, models.DateField | models.TimeField):
        return _temporal
    if isinstance(field, models.IntegerField | models.AutoField | models.FloatField | models.DecimalField):
        return _number
    if isinstance(field, models.ForeignKey):
        return _converter(field.target_field, conn)
    if isinstance(field, models.CharField | models.TextField):
        return _text
    return lambda value: _copy_value(field.get_db_prep_save(value, conn))


def bulk_insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """Insert plain value tuples into `fields` of `model` (its primary key comes from the database).
    For rows nobody needs back as objects, e.g. audit events. Returns the number of rows."""
    if not rows:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    # Timestamps the caller left out are filled as Django would (auto_now / auto_now_add).
    stamps = [
        f
        for f in meta.concrete_fields
        if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and f not in columns
    ]
    if stamps:
        now = timezone.now()
        columns = columns + stamps
        rows = [(*row, *([now] * len(stamps))) for row in rows]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**{field.attname: value for field, value in zip(columns, row, strict=True)}) for row in rows],
            batch_size=2000,
        )
        return len(rows)
    conn = connections[router.db_for_write(model)]
    buffer = _copy_text(columns, rows, conn)
    analyze_after_commit(conn, meta.db_table, len(rows))
    names = ", ".join(f'"{field.column}"' for field in columns)
    sql = f'COPY "{meta.db_table}" ({names}) FROM STDIN'
    copier = _COPIER.get()
    if copier is not None and copier.conn.alias == conn.alias:
        copier.submit(sql, buffer)
    else:
        _drain(conn)
        with conn.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer, size=COPY_BLOCK)
    return len(rows)


COPY_BLOCK = 1 << 22


def copy_lines(model: type[models.Model], fields: Sequence[str], lines: list[str]) -> int:
    """COPY rows already written in COPY's text format — tab-separated values in the order of `fields`, each escaped
    with `copy_escape`, \\N for NULL, a newline at the end — into `model` (PostgreSQL only). For a load that builds
    its rows as text from the start (a register of a million rows), skipping the per-value converters of
    `bulk_insert_rows`. Through the `background_copies` worker when one runs. ANALYZE is the caller's."""
    if not lines:
        return 0
    meta = model._meta
    conn = connections[router.db_for_write(model)]
    names = ", ".join(f'"{meta.get_field(name).column}"' for name in fields)
    sql = f'COPY "{meta.db_table}" ({names}) FROM STDIN'
    buffer = io.StringIO("".join(lines))
    copier = _COPIER.get()
    if copier is not None and copier.conn.alias == conn.alias:
        copier.submit(sql, buffer)
    else:
        _drain(conn)
        with conn.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer, size=COPY_BLOCK)
    return len(lines)


class _Copier:
    """One worker thread that runs COPYs, in order, on the caller's psycopg2 connection (psycopg2
    connections may be shared between threads; the worker never touches Django's wrapper). Before any
    other query of the caller runs, every pending COPY is finished, so reads always see the writes."""

    def __init__(self, conn):
        self.conn = conn
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy")
        self.pending = deque()
        self.held: list | None = None  # COPYs kept back by hold(), sent by release()

    def submit(self, sql: str, buffer: io.StringIO) -> None:
        if self.held is not None:
            self.held.append((sql, buffer))
            return
        raw = self.conn.connection

        def run():
            with raw.cursor() as cursor:
                cursor.copy_expert(sql, buffer, size=COPY_BLOCK)

        self.pending.append(self.executor.submit(run))

    def drain(self) -> None:
        """Wait for every pending COPY; the first that failed raises its error here."""
        error = None
        while self.pending:
            try:
                self.pending.popleft().result()
            except Exception as failure:  # noqa: BLE001 — re-raised below, after the rest finished
                error = error or failure
        if error is not None:
            raise error

    def hold(self) -> None:
        self.release()
        self.held = []

    def release(self) -> None:
        held, self.held = self.held or [], None
        for sql, buffer in held:
            self.submit(sql, buffer)

    def __call__(self, execute, sql, params, many, context):  # Django execute wrapper
        self.drain()
        return execute(sql, params, many, context)


_COPIER: contextvars.ContextVar[_Copier | None] = contextvars.ContextVar("copier", default=None)


def _drain(conn) -> None:
    copier = _COPIER.get()
    if copier is not None and copier.conn.alias == conn.alias:
        copier.drain()


def hold_copies() -> None:
    """From now on, keep the COPYs of `bulk_insert_rows` back (built, not sent) until `release_copies()` — so that
    the queries of the next piece of work run before them and the server writes them while Python builds that
    piece's rows. Held rows are invisible to queries until released: only for writes no query in between needs.
    The end of the `background_copies` block releases them. Nothing happens outside that block."""
    copier = _COPIER.get()
    if copier is not None:
        copier.hold()


def release_copies() -> None:
    """Send the held COPYs to the server (they run while the caller goes on)."""
    copier = _COPIER.get()
    if copier is not None:
        copier.release()


@contextlib.contextmanager
def background_copies(using: str = "default"):
    """Let `bulk_insert_rows` hand its COPYs to a worker thread for the length of the block (PostgreSQL;
    elsewhere nothing changes). Use it inside the transaction: the block ends only when every COPY has
    finished, and a failed COPY raises in the caller at its next query or at the end of the block."""
    conn = connections[using]
    if conn.vendor != "postgresql" or _COPIER.get() is not None:
        yield
        return
    conn.ensure_connection()
    copier = _Copier(conn)
    token = _COPIER.set(copier)
    try:
        with conn.execute_wrapper(copier):
            yield
    except BaseException as error:
        copier.held = None  # what was held back is rolled back with the rest: never sent
        try:
            copier.drain()  # nothing may still be writing when the transaction is rolled back
        except Exception as failure:  # noqa: BLE001 — a failed COPY is the cause worth reporting
            raise failure from error
        raise
    else:
        copier.release()
        copier.drain()
    finally:
        _COPIER.reset(token)
        copier.executor.shutdown(wait=True)


_SEQUENCES: dict[tuple[str, str], str] = {}  # (database alias, table) -> its id sequence


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` rows about to be inserted, so rows that refer to them can be built
    before either is written. PostgreSQL: from the table's sequence. SQLite: after the current maximum
    (the caller's transaction holds the write lock: the project runs SQLite with IMMEDIATE transactions)."""
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            key = (connection.alias, meta.db_table)
            if key not in _SEQUENCES:  # looked up once: per row it costs ten times the nextval itself
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
                _SEQUENCES[key] = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [_SEQUENCES[key], count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{meta.pk.column}"), 0) FROM "{meta.db_table}"')
        start = cursor.fetchone()[0]
        return list(range(start + 1, start + 1 + count))


# After a bulk load the planner's statistics are stale until autovacuum gets round to the table: a BNBA export
# took 265 s instead of 27 s right after 100,000 rows were loaded. A COPY of this many rows or more is followed,
# once its transaction commits, by ANALYZE of the table.
ANALYZE_AFTER_ROWS = 10_000


def analyze_after_commit(conn, table: str, rows: int) -> None:
    """ANALYZE `table` once the transaction commits — once, however many chunks it wrote (a million-row load in fifty
    COPYs asked for fifty)."""
    if conn.vendor != "postgresql" or rows < ANALYZE_AFTER_ROWS:
        return
    if any(getattr(callback, "analyzes", None) == table for _, callback, _ in conn.run_on_commit):
        return

    def analyze():
        with conn.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')

    analyze.analyzes = table
    transaction.on_commit(analyze, using=conn.alias)


def analyze(*models_: type[models.Model]) -> None:
    """Fresh planner statistics for these tables now (PostgreSQL; nothing elsewhere): after a bulk load. Outside a
    transaction also VACUUM, as autovacuum would later: it marks the new pages all-visible, so index-only scans
    (the people list by regency and name) read no table rows; without it a fresh million-row load costs every
    such scan a table visit per row until autovacuum comes by."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f'{command} "{model._meta.db_table}"')
