"""The "trained" mark of an allocation, kept by the database: true when its recipient meets the Bimtek rule of
`training.selectors.attended` — the woman (WRSE) present at a session of the allocation's budget year and program, or
the KUBE group's three officers all present — so that the dashboard counts the trained among the recipients still
waiting for their goods from a partial index instead of joining the year's attendances (issue 31).

Every write that can change the rule changes the mark, whoever makes it (a service, a bulk update, a COPY, a merge):
triggers on the attendances, the KUBE members, the sessions' year and program, the items' person or group, and new
allocations recompute the mark of the allocations they touch — PostgreSQL with one statement-level trigger per event
reading the statement's rows, SQLite (`make run`) row by row. tests/disbursements/test_trained_mark.py compares the
mark with `attended` after every kind of write.

    create, drop = trained_triggers(vendor)   # the migrations call this: change it only in ways that keep them
"""

OFFICERS = "('ketua', 'sekretaris', 'bendahara')"

# Whether the recipient of the allocation being updated (its item `i`) attended, as one SQL expression of both
# databases (the table named in full: SQLite allows no alias in a trigger's UPDATE).
_PRESENT = (
    "SELECT 1 FROM training_attendance t JOIN training_trainingsession s ON s.id = t.session_id"
    " WHERE t.person_id = {person} AND t.status = 'present'"
    " AND s.budget_year_id = disbursements_allocation.budget_year_id"
    " AND s.program = disbursements_allocation.program"
)
RULE = (
    "(SELECT CASE WHEN i.person_id IS NOT NULL THEN EXISTS (" + _PRESENT.format(person="i.person_id") + ")"
    " ELSE (SELECT count(DISTINCT m.person_id) FROM beneficiaries_kubemember m"
    f" WHERE m.group_id = i.group_id AND m.role IN {OFFICERS}) = 3"
    " AND (SELECT count(DISTINCT m.person_id) FROM beneficiaries_kubemember m"
    f" WHERE m.group_id = i.group_id AND m.role IN {OFFICERS}"
    " AND EXISTS (" + _PRESENT.format(person="m.person_id") + ")) = 3 END"
    " FROM proposals_proposalitem i WHERE i.id = disbursements_allocation.item_id)"
)


def refresh(allocations: str) -> str:
    """The statement that sets the mark of the allocations whose ids `allocations` (a SELECT) gives, writing only
    those whose mark changes."""
    return f"UPDATE disbursements_allocation SET trained = {RULE} WHERE id IN ({allocations}) AND trained <> {RULE};"


def _of_people(people: str) -> str:
    """The allocations whose recipient is one of `people`, or whose KUBE has one of them as an officer."""
    return (
        "SELECT x.id FROM disbursements_allocation x WHERE x.item_id IN ("
        f"SELECT i.id FROM proposals_proposalitem i WHERE i.person_id IN ({people})"
        " UNION SELECT i.id FROM proposals_proposalitem i WHERE i.group_id IN ("
        f"SELECT m.group_id FROM beneficiaries_kubemember m WHERE m.person_id IN ({people}) AND m.role IN {OFFICERS}))"
    )


def _of_groups(groups: str) -> str:
    return (
        "SELECT x.id FROM disbursements_allocation x WHERE x.item_id IN ("
        f"SELECT i.id FROM proposals_proposalitem i WHERE i.group_id IN ({groups}))"
    )


def _of_items(items: str) -> str:
    return f"SELECT x.id FROM disbursements_allocation x WHERE x.item_id IN ({items})"


def _of_sessions(sessions: str) -> str:
    return _of_people(f"SELECT t.person_id FROM training_attendance t WHERE t.session_id IN ({sessions})")


# (name, table, events, the allocations touched, given how to read the changed rows' column)
WATCHES = [
    ("attendance", "training_attendance", ("insert", "update", "delete"), _of_people, "person_id"),
    ("member", "beneficiaries_kubemember", ("insert", "update", "delete"), _of_groups, "group_id"),
    ("allocation", "disbursements_allocation", ("insert",), lambda ids: ids, "id"),
]
# Rare changes, watched row by row on the columns that matter (PostgreSQL allows no transition tables there).
COLUMN_WATCHES = [
    ("item", "proposals_proposalitem", ("person_id", "group_id"), _of_items, "id"),
    ("session", "training_trainingsession", ("budget_year_id", "program"), _of_sessions, "id"),
]


def _postgresql() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for name, table, events, touched, column in WATCHES:
        function = f"allocation_trained_{name}"
        old = refresh(touched(f"SELECT {column} FROM old_rows"))
        new = refresh(touched(f"SELECT {column} FROM new_rows"))
        create.append(f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {old} END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN {new} END IF;
            RETURN NULL;
        END;
        $$""")
        for event in events:
            tables = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                      "delete": "OLD TABLE AS old_rows"}[event]  # fmt: skip
            create.append(
                f"CREATE TRIGGER {function}_{event} AFTER {event.upper()} ON {table} REFERENCING {tables}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
            drop.append(f"DROP TRIGGER {function}_{event} ON {table}")
        drop.append(f"DROP FUNCTION {function}()")
    for name, table, columns, touched, column in COLUMN_WATCHES:
        function = f"allocation_trained_{name}"
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        create.append(f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {refresh(touched(f"SELECT NEW.{column}"))}
            RETURN NULL;
        END;
        $$""")
        create.append(
            f"CREATE TRIGGER {function}_update AFTER UPDATE OF {', '.join(columns)} ON {table}"
            f" FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {function}()"
        )
        drop += [f"DROP TRIGGER {function}_update ON {table}", f"DROP FUNCTION {function}()"]
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for name, table, events, touched, column in WATCHES:
        for event in events:
            rows = {"insert": ["NEW"], "update": ["OLD", "NEW"], "delete": ["OLD"]}[event]
            body = " ".join(refresh(touched(f"SELECT {row}.{column}")) for row in rows)
            trigger = f"allocation_trained_{name}_{event}"
            create.append(f"CREATE TRIGGER {trigger} AFTER {event.upper()} ON {table} BEGIN {body} END")
            drop.append(f"DROP TRIGGER {trigger}")
    for name, table, columns, touched, column in COLUMN_WATCHES:
        trigger = f"allocation_trained_{name}_update"
        body = refresh(touched(f"SELECT NEW.{column}"))
        create.append(f"CREATE TRIGGER {trigger} AFTER UPDATE OF {', '.join(columns)} ON {table} BEGIN {body} END")
        drop.append(f"DROP TRIGGER {trigger}")
    return create, drop


def trained_triggers(vendor: str) -> tuple[list[str], list[str]]:
    """The statements that create the triggers keeping `Allocation.trained` on this database, and those that drop
    them."""
    return _postgresql() if vendor == "postgresql" else _sqlite()


def trained_fill() -> str:
    """The statement that marks the allocations already there."""
    return f"UPDATE disbursements_allocation SET trained = {RULE}"
