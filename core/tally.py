"""Tallies kept by the database: a table of counts (and sums) of another table's rows grouped by a few keys, kept by
triggers on that table so that every writer keeps it — the ORM, an UPDATE … FROM, a COPY, a cascade — and a page
reads a few rows per day instead of every row of the year.

PostgreSQL: one statement-level trigger per event reading the statement's transition tables, so a statement of
2,000 rows adds one grouped upsert, its rows taken in key order (two statements never lock the same rows in
opposite orders); SQLite (`make run`): row-level triggers. A tally row that falls to 0 is removed.

    create, drop = tally_triggers(vendor, source="monitoring_visit", tally="monitoring_visittally",
                                  keys={"budget_year_id": "budget_year_id", ...}, sums={"goods_used": "goods_used"},
                                  where="status = 'valid'", columns=[...])

`keys` and `sums` map each tally column to an expression over the source row's columns written bare
(`signed_scan <> ''`): each is qualified with the row it reads (NEW., OLD., or the transition table's alias). The
first key must be a column of the source, by which the removal of emptied rows is narrowed. Migrations call this:
change it only in ways that keep what they created (a new argument with a default).
"""

import re

_COLUMN = re.compile(r"\b([a-z_][a-z0-9_]*)\b(?!\s*\()")
_WORDS = {"and", "or", "not", "is", "null", "in", "true", "false", "case", "when", "then", "else", "end"}


def _qualify(expression: str, row: str) -> str:
    """`expression` with each bare column prefixed by `row` ("NEW." …); quoted text and SQL words left alone."""
    parts = re.split(r"('[^']*')", expression)
    for i in range(0, len(parts), 2):
        parts[i] = _COLUMN.sub(lambda m: m.group(1) if m.group(1) in _WORDS else f"{row}{m.group(1)}", parts[i])
    return "".join(parts)


def _postgresql(name, source, tally, keys, sums, where):
    key_columns = list(keys)
    counted = ["n", *sums]
    conflict = ", ".join(key_columns)
    update = ", ".join(f"{c} = t.{c} + excluded.{c}" for c in counted)
    columns = ", ".join([*key_columns, *counted])

    def rows(table: str, sign: str) -> str:
        alias = "r."
        values = [f"{_qualify(e, alias)} AS {c}" for c, e in keys.items()]
        values += [f"{sign}1 AS n"] + [f"{sign}({_qualify(e, alias)}) AS {c}" for c, e in sums.items()]
        return f"SELECT {', '.join(values)} FROM {table} r WHERE {_qualify(where, alias)}"

    def upsert(changes: str) -> str:
        totals = ", ".join(f"sum({c})" for c in counted)
        differs = " OR ".join(f"sum({c}) <> 0" for c in counted)
        order = ", ".join(str(i + 1) for i in range(len(key_columns)))
        return (
            f"INSERT INTO {tally} AS t ({columns}) SELECT {conflict}, {totals} FROM ({changes}) AS changes"
            f" GROUP BY {conflict} HAVING {differs} ORDER BY {order}"
            f" ON CONFLICT ({conflict}) DO UPDATE SET {update};"
        )

    first = key_columns[0]
    emptied = f"DELETE FROM {tally} WHERE n = 0 AND {first} IN (SELECT {keys[first]} FROM old_rows);"
    function = f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {upsert(rows("new_rows", ""))}
        ELSIF TG_OP = 'DELETE' THEN
            {upsert(rows("old_rows", "-"))}
            {emptied}
        ELSE
            {upsert(rows("old_rows", "-") + " UNION ALL " + rows("new_rows", ""))}
            {emptied}
        END IF;
        RETURN NULL;
    END;
    $$"""
    create = [
        function,
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} REFERENCING NEW TABLE AS new_rows"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {source} REFERENCING OLD TABLE AS old_rows"
        f" NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} REFERENCING OLD TABLE AS old_rows"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]
    drop = [f"DROP TRIGGER {name}_{event} ON {source}" for event in ("insert", "update", "delete")]
    return create, [*drop, f"DROP FUNCTION {name}()"]


def _sqlite(name, source, tally, keys, sums, where, watched):
    key_columns = list(keys)
    counted = ["n", *sums]
    conflict = ", ".join(key_columns)
    columns = ", ".join([*key_columns, *counted])
    update = ", ".join(f"{c} = {c} + excluded.{c}" for c in counted)

    def change(row: str, sign: str) -> str:
        values = [_qualify(e, row) for e in keys.values()]
        values += [f"{sign}1"] + [f"{sign}({_qualify(e, row)})" for e in sums.values()]
        return (
            f"INSERT INTO {tally} ({columns}) SELECT {', '.join(values)} WHERE {_qualify(where, row)}"
            f" ON CONFLICT ({conflict}) DO UPDATE SET {update};"
        )

    def emptied(row: str) -> str:
        same = " AND ".join(f"{c} IS {_qualify(e, row)}" for c, e in keys.items())
        return f"DELETE FROM {tally} WHERE n = 0 AND {same};"

    add, remove = change("NEW.", ""), change("OLD.", "-") + emptied("OLD.")
    create = [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {add} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {remove} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(watched)} ON {source} BEGIN {remove} {add} END",
    ]
    return create, [f"DROP TRIGGER {name}_{event}" for event in ("insert", "delete", "update")]


def tally_triggers(
    vendor: str, *, name: str, source: str, tally: str, keys: dict, sums: dict, where: str, watched: list[str]
) -> tuple[list[str], list[str]]:
    """The statements that create the triggers keeping `tally` from `source` on this database, and those that drop
    them. `watched`: the source's columns whose change can move a row between tally rows (SQLite's UPDATE OF)."""
    if vendor == "postgresql":
        return _postgresql(name, source, tally, keys, sums, where)
    return _sqlite(name, source, tally, keys, sums, where, watched)


def tally_fill(*, source: str, tally: str, keys: dict, sums: dict, where: str) -> str:
    """The statement that counts the rows already in `source` into the (empty) tally."""
    columns = ", ".join([*keys, "n", *sums])
    values = [*(f"{e}" for e in keys.values()), "count(*)", *(f"sum({e})" for e in sums.values())]
    groups = ", ".join(str(i + 1) for i in range(len(keys)))
    return f"INSERT INTO {tally} ({columns}) SELECT {', '.join(values)} FROM {source} WHERE {where} GROUP BY {groups}"
