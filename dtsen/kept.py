"""The register's desil kept on each person (`Person.register_desil`): the desil of their NIK in the register's newest
period in force — the newest snapshot of that period where more than one lists them — or empty when that period does
not list them or gives no desil; so that the scorecard compares it with the desil typed in the workbook inside the
query over the year's people instead of joining the period's 1,000,000 entries (issue 34).

Every write that can change it changes it, whoever makes it, by triggers:
- a snapshot put in force, superseded or removed (its status or period changing, or the row deleted): every person
  recounted, writing only those whose desil changes — once per import, inside its transaction;
- people added (a form, a workbook's COPY, a merge) or their NIK corrected: those people, from the index of entries
  by NIK.
A snapshot's entries are never changed once it is in force (dtsen.models), so entries are not watched.
tests/dtsen/test_register_desil.py compares the column with the register after every kind of write.

    create, drop = register_desil_triggers(vendor)   # the migration calls this: change it only in ways that keep it
"""

NEWEST = (
    "SELECT s.id FROM dtsen_snapshot s WHERE s.status = 'ready'"
    " AND s.period = (SELECT max(z.period) FROM dtsen_snapshot z WHERE z.status = 'ready')"
)


def desil_of(nik: str) -> str:
    """The register's desil of the NIK given as an SQL expression, by the index of entries (nik, snapshot)."""
    return (
        f"(SELECT e.desil FROM dtsen_entry e WHERE e.nik = {nik} AND e.snapshot_id IN ({NEWEST})"
        " ORDER BY e.snapshot_id DESC LIMIT 1)"
    )


def refresh_all(vendor: str) -> list[str]:
    """The statements that recount every person, writing only those whose desil changes: on PostgreSQL one pass over
    the newest period's entries (a hash join), on SQLite (`make run`, small data) a lookup per person."""
    if vendor != "postgresql":
        desil = desil_of("beneficiaries_person.nik")
        return [f"UPDATE beneficiaries_person SET register_desil = {desil} WHERE register_desil IS NOT {desil}"]
    listed = (
        "SELECT DISTINCT ON (e.nik) e.nik, e.desil FROM dtsen_entry e"
        f" WHERE e.snapshot_id IN ({NEWEST}) ORDER BY e.nik, e.snapshot_id DESC"
    )
    return [
        "UPDATE beneficiaries_person p SET register_desil = NULL WHERE p.register_desil IS NOT NULL AND NOT EXISTS"
        f" (SELECT 1 FROM dtsen_entry e WHERE e.nik = p.nik AND e.desil IS NOT NULL AND e.snapshot_id IN ({NEWEST}))",
        f"UPDATE beneficiaries_person p SET register_desil = n.desil FROM ({listed}) n"
        " WHERE n.nik = p.nik AND n.desil IS NOT NULL AND p.register_desil IS DISTINCT FROM n.desil",
    ]


def _postgresql() -> tuple[list[str], list[str]]:
    recount = " ".join(f"{statement};" for statement in refresh_all("postgresql"))
    create = [
        f"""CREATE FUNCTION person_register_desil_recount() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {recount}
            RETURN NULL;
        END;
        $$""",
        "CREATE TRIGGER person_register_desil_snapshot_update AFTER UPDATE OF status, period ON dtsen_snapshot"
        " FOR EACH ROW WHEN ((OLD.status = 'ready' OR NEW.status = 'ready')"
        " AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.period IS DISTINCT FROM NEW.period))"
        " EXECUTE FUNCTION person_register_desil_recount()",
        "CREATE TRIGGER person_register_desil_snapshot_delete AFTER DELETE ON dtsen_snapshot"
        " FOR EACH ROW WHEN (OLD.status = 'ready') EXECUTE FUNCTION person_register_desil_recount()",
        # New people: one statement over the rows the statement added, writing only those the register lists.
        f"""CREATE FUNCTION person_register_desil_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE beneficiaries_person p SET register_desil = n.desil
            FROM (SELECT r.id, {desil_of("r.nik")} AS desil FROM new_rows r) n
            WHERE p.id = n.id AND n.desil IS NOT NULL;
            RETURN NULL;
        END;
        $$""",
        "CREATE TRIGGER person_register_desil_insert AFTER INSERT ON beneficiaries_person"
        " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_register_desil_added()",
        # A corrected NIK: the row's own value, set before it is written.
        f"""CREATE FUNCTION person_register_desil_nik() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.register_desil := {desil_of("NEW.nik")};
            RETURN NEW;
        END;
        $$""",
        "CREATE TRIGGER person_register_desil_nik BEFORE UPDATE OF nik ON beneficiaries_person"
        " FOR EACH ROW WHEN (OLD.nik IS DISTINCT FROM NEW.nik) EXECUTE FUNCTION person_register_desil_nik()",
    ]
    drop = [
        "DROP TRIGGER person_register_desil_snapshot_update ON dtsen_snapshot",
        "DROP TRIGGER person_register_desil_snapshot_delete ON dtsen_snapshot",
        "DROP TRIGGER person_register_desil_insert ON beneficiaries_person",
        "DROP TRIGGER person_register_desil_nik ON beneficiaries_person",
        "DROP FUNCTION person_register_desil_recount()",
        "DROP FUNCTION person_register_desil_added()",
        "DROP FUNCTION person_register_desil_nik()",
    ]
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    (recount,) = refresh_all("sqlite")
    mine = f"UPDATE beneficiaries_person SET register_desil = {desil_of('NEW.nik')} WHERE id = NEW.id;"
    create = [
        "CREATE TRIGGER person_register_desil_snapshot_update AFTER UPDATE OF status, period ON dtsen_snapshot"
        " WHEN (OLD.status = 'ready' OR NEW.status = 'ready')"
        f" AND (OLD.status IS NOT NEW.status OR OLD.period IS NOT NEW.period) BEGIN {recount}; END",
        "CREATE TRIGGER person_register_desil_snapshot_delete AFTER DELETE ON dtsen_snapshot"
        f" WHEN OLD.status = 'ready' BEGIN {recount}; END",
        f"CREATE TRIGGER person_register_desil_insert AFTER INSERT ON beneficiaries_person BEGIN {mine} END",
        "CREATE TRIGGER person_register_desil_nik AFTER UPDATE OF nik ON beneficiaries_person"
        f" WHEN OLD.nik IS NOT NEW.nik BEGIN {mine} END",
    ]
    drop = [f"DROP TRIGGER {name}" for name in (
        "person_register_desil_snapshot_update", "person_register_desil_snapshot_delete",
        "person_register_desil_insert", "person_register_desil_nik",
    )]  # fmt: skip
    return create, drop


def register_desil_triggers(vendor: str) -> tuple[list[str], list[str]]:
    """The statements that create the triggers keeping `Person.register_desil` on this database, and those that drop
    them."""
    return _postgresql() if vendor == "postgresql" else _sqlite()
