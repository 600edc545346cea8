"""The register's desil of each person, kept by the database in `dtsen_listing` (dtsen.models.Listing): a row per person
of the registry whom the register's newest period in force lists with a desil — from the newest snapshot of that period
listing their NIK — so that the data-quality scorecard compares it with the desil typed in the workbook inside its query
over the year's people (a merge join on the person's id) instead of joining the period's 1,000,000 entries by NIK
(issue 34). A narrow table of its own, not a column of the person: a new period rewrites many of these rows, and
rewriting as many people would write every index of the registry and scatter its rows.

Every write that can change it changes it, whoever makes it, by triggers:
- a snapshot put in force, superseded or removed (its status or period changing, or the row deleted): the whole table
  recounted, writing only the rows that change — once per import, inside its transaction;
- people added (a form, a workbook's COPY, a merge), a NIK corrected, people deleted: those people.
A snapshot's entries are never changed once it is in force (dtsen.models), so entries are not watched.
tests/dtsen/test_register_desil.py compares the table with the register after every kind of write.

    create, drop = listing_triggers(vendor)   # the migration calls this: change it only in ways that keep it
"""

NEWEST = (
    "SELECT s.id FROM dtsen_snapshot s WHERE s.status = 'ready'"
    " AND s.period = (SELECT max(z.period) FROM dtsen_snapshot z WHERE z.status = 'ready')"
)


def desil_of(nik: str) -> str:
    """The register's desil of the NIK given, as an SQL expression read from the index of entries (nik, snapshot)."""
    return (
        f"(SELECT e.desil FROM dtsen_entry e WHERE e.nik = {nik} AND e.snapshot_id IN ({NEWEST})"
        " ORDER BY e.snapshot_id DESC LIMIT 1)"
    )


def _add(people: str) -> str:
    """The statement that lists the people `people` (a SELECT of id and nik, aliased r) whom the register lists."""
    return (
        f"INSERT INTO dtsen_listing (person_id, desil) SELECT n.id, n.desil FROM"
        f" (SELECT r.id, {desil_of('r.nik')} AS desil FROM ({people}) r) n WHERE n.desil IS NOT NULL;"
    )


def refresh_all(vendor: str) -> list[str]:
    """The statements that recount the whole table: on PostgreSQL one pass over the newest period's entries joined to
    the registry by NIK, writing only the rows that change; on SQLite (`make run`, small data) the table made anew."""
    if vendor != "postgresql":
        return ["DELETE FROM dtsen_listing", _add("SELECT id, nik FROM beneficiaries_person").rstrip(";")]
    listed = (
        "SELECT pe.id AS person_id, x.desil FROM (SELECT DISTINCT ON (e.nik) e.nik, e.desil FROM dtsen_entry e"
        f" WHERE e.snapshot_id IN ({NEWEST}) ORDER BY e.nik, e.snapshot_id DESC) x"
        " JOIN beneficiaries_person pe ON pe.nik = x.nik WHERE x.desil IS NOT NULL"
    )
    return [
        f"WITH n AS MATERIALIZED ({listed}),"
        " gone AS (DELETE FROM dtsen_listing l WHERE NOT EXISTS (SELECT 1 FROM n WHERE n.person_id = l.person_id))"
        # In the order of the people, so the table's rows lie in the order the scorecard's merge join reads them.
        " INSERT INTO dtsen_listing (person_id, desil) SELECT person_id, desil FROM n ORDER BY person_id"
        " ON CONFLICT (person_id) DO UPDATE SET desil = EXCLUDED.desil WHERE dtsen_listing.desil <> EXCLUDED.desil"
    ]


_SNAPSHOT_CHANGED = (
    "(OLD.status = 'ready' OR NEW.status = 'ready')"
    " AND (OLD.status {differs} NEW.status OR OLD.period {differs} NEW.period)"
)


def _postgresql() -> tuple[list[str], list[str]]:
    functions = {
        "recount": " ".join(f"{statement};" for statement in refresh_all("postgresql")),
        "added": _add("SELECT id, nik FROM new_rows"),
        "removed": "DELETE FROM dtsen_listing WHERE person_id IN (SELECT id FROM old_rows);",
        "nik": "DELETE FROM dtsen_listing WHERE person_id = NEW.id; " + _add("SELECT NEW.id AS id, NEW.nik AS nik"),
    }
    create = [
        f"""CREATE FUNCTION dtsen_listing_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {body}
            RETURN NULL;
        END;
        $$"""
        for name, body in functions.items()
    ]
    triggers = [
        ("snapshot_update", "dtsen_snapshot", "AFTER UPDATE OF status, period",
         f"FOR EACH ROW WHEN ({_SNAPSHOT_CHANGED.format(differs='IS DISTINCT FROM')})", "recount"),
        ("snapshot_delete", "dtsen_snapshot", "AFTER DELETE", "FOR EACH ROW WHEN (OLD.status = 'ready')", "recount"),
        ("person_insert", "beneficiaries_person", "AFTER INSERT",
         "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT", "added"),
        ("person_delete", "beneficiaries_person", "AFTER DELETE",
         "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT", "removed"),
        ("person_nik", "beneficiaries_person", "AFTER UPDATE OF nik",
         "FOR EACH ROW WHEN (OLD.nik IS DISTINCT FROM NEW.nik)", "nik"),
    ]  # fmt: skip
    drop = []
    for name, table, event, each, function in triggers:
        create.append(
            f"CREATE TRIGGER dtsen_listing_{name} {event} ON {table} {each} EXECUTE FUNCTION dtsen_listing_{function}()"
        )
        drop.append(f"DROP TRIGGER dtsen_listing_{name} ON {table}")
    drop += [f"DROP FUNCTION dtsen_listing_{name}()" for name in functions]
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    recount = " ".join(f"{statement};" for statement in refresh_all("sqlite"))
    mine = "DELETE FROM dtsen_listing WHERE person_id = NEW.id; " + _add("SELECT NEW.id AS id, NEW.nik AS nik")
    triggers = [
        ("snapshot_update", "AFTER UPDATE OF status, period ON dtsen_snapshot",
         f"WHEN {_SNAPSHOT_CHANGED.format(differs='IS NOT')}", recount),
        ("snapshot_delete", "AFTER DELETE ON dtsen_snapshot", "WHEN OLD.status = 'ready'", recount),
        ("person_insert", "AFTER INSERT ON beneficiaries_person", "", mine),
        ("person_delete", "AFTER DELETE ON beneficiaries_person", "",
         "DELETE FROM dtsen_listing WHERE person_id = OLD.id;"),
        ("person_nik", "AFTER UPDATE OF nik ON beneficiaries_person", "WHEN OLD.nik IS NOT NEW.nik", mine),
    ]  # fmt: skip
    create = [
        f"CREATE TRIGGER dtsen_listing_{name} {event} {when} BEGIN {body} END" for name, event, when, body in triggers
    ]
    drop = [f"DROP TRIGGER dtsen_listing_{name}" for name, *_ in triggers]
    return create, drop


def listing_triggers(vendor: str) -> tuple[list[str], list[str]]:
    """The statements that create the triggers keeping `dtsen_listing` on this database, and those that drop them."""
    return _postgresql() if vendor == "postgresql" else _sqlite()
