"""Keyset pagination for lists that may hold a million rows.

OFFSET pagination reads and throws away every row before the page, and its page count needs a
COUNT(*) over the whole filtered table. Here a page starts after (or before) the last row seen, which
an index on the ordering columns serves directly, and the total is counted only up to a bound.
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

# Lists count exactly up to this many rows; past it they show the database planner's estimate.
COUNT_LIMIT = 1_000


def encode_cursor(values: tuple) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> tuple | None:
    """The cursor's values, or None for a missing or malformed one (then the list starts at the top)."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    return tuple(values)


@dataclass
class KeysetPage:
    object_list: list[Any]
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def keyset_page(
    queryset: QuerySet,
    *,
    order: tuple[str, ...],
    after: str | None = None,
    before: str | None = None,
    size: int = 50,
    rows: Callable[[QuerySet], QuerySet] | None = None,
) -> KeysetPage:
    """One page of `queryset` in `order` (ascending columns ending in the primary key, e.g. name, id),
    starting after the cursor `after` or ending before the cursor `before`.

    Without `rows`: one query. With `rows` (a function that adds joins and columns to a queryset): two
    queries — the page's keys first, which an index on `order` answers without reading the table (also
    while filtering, e.g. a name search), then `rows(...)` for just those keys.
    """
    key = Tuple(*[F(column) for column in order])
    after_values, before_values = decode_cursor(after, len(order)), decode_cursor(before, len(order))
    backwards = before_values is not None
    if backwards:
        page = queryset.filter(TupleLessThan(key, before_values)).order_by(*[f"-{c}" for c in order])
    else:
        if after_values is not None:
            queryset = queryset.filter(TupleGreaterThan(key, after_values))
        page = queryset.order_by(*order)
    if rows is None:
        objects = list(page[: size + 1])
        keys = [tuple(getattr(row, c) for c in order) for row in objects]
    else:
        keys = [tuple(k) for k in page.values_list(*order)[: size + 1]]
    more = len(keys) > size
    keys = keys[:size]
    if backwards:
        keys.reverse()
    if rows is None:
        objects = objects[:size]
        if backwards:
            objects.reverse()
    else:
        fetched = rows(queryset.model._default_manager.filter(pk__in=[k[-1] for k in keys])) if keys else []
        by_pk = {obj.pk: obj for obj in fetched}
        objects = [by_pk[k[-1]] for k in keys if k[-1] in by_pk]
    has_previous, has_next = (more, True) if backwards else (after_values is not None, more)
    return KeysetPage(
        object_list=objects,
        has_next=has_next and bool(keys),
        has_previous=has_previous and bool(keys),
        next_cursor=encode_cursor(keys[-1]) if keys else None,
        previous_cursor=encode_cursor(keys[0]) if keys else None,
    )


@dataclass
class Total:
    """How many rows a list holds: exact up to COUNT_LIMIT, else a lower bound or an estimate."""

    value: int
    exact: bool
    estimated: bool = False


def bounded_count(queryset: QuerySet, limit: int = COUNT_LIMIT) -> Total:
    """Count at most `limit` + 1 rows (a short index range scan, never the whole table). Past the limit,
    PostgreSQL's estimate for the same query ("sekitar 21.000"); elsewhere "lebih dari 1.000"."""
    value = queryset.order_by()[: limit + 1].count()
    if value <= limit:
        return Total(value=value, exact=True)
    estimate = query_estimate(queryset)
    if estimate is not None and estimate > limit:
        return Total(value=estimate, exact=False, estimated=True)
    return Total(value=limit, exact=False)


def query_estimate(queryset: QuerySet) -> int | None:
    """The planner's row estimate for `queryset` (PostgreSQL; costs a plan, not a scan)."""
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def table_estimate(model) -> Total | None:
    """PostgreSQL's own row estimate of a whole table (free: no scan). None elsewhere or when unknown."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    if not row or row[0] is None or row[0] < 0:
        return None
    return Total(value=int(row[0]), exact=False, estimated=True)
