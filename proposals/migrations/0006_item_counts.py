"""ItemCount: the items of each proposal counted per status and checks, kept by triggers on proposals_proposalitem
so that every writer keeps it (the ORM, bulk_set's UPDATE … FROM, the import's COPY, cascades), then filled from
the items already there. PostgreSQL: one statement-level trigger per event, reading the statement's transition
tables, so a 2,000-row COPY adds one grouped upsert; the upsert's rows are taken in key order, so two statements
never lock the same rows in opposite orders. SQLite (`make run`): row-level triggers.

proposalitem_status_idx loses the INCLUDE it had for counting: without it B-tree deduplication applies again (the
index was five times the size of its plain form)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION proposals_itemcount_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO proposals_itemcount AS c (proposal_id, status, has_errors, has_warnings, n)
            SELECT proposal_id, status, has_errors, has_warnings, count(*) FROM new_items
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (proposal_id, status, has_errors, has_warnings) DO UPDATE SET n = c.n + excluded.n;
            RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
            INSERT INTO proposals_itemcount AS c (proposal_id, status, has_errors, has_warnings, n)
            SELECT proposal_id, status, has_errors, has_warnings, -count(*) FROM old_items
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (proposal_id, status, has_errors, has_warnings) DO UPDATE SET n = c.n + excluded.n;
        ELSE
            INSERT INTO proposals_itemcount AS c (proposal_id, status, has_errors, has_warnings, n)
            SELECT proposal_id, status, has_errors, has_warnings, sum(change) FROM (
                SELECT proposal_id, status, has_errors, has_warnings, -1 AS change FROM old_items
                UNION ALL
                SELECT proposal_id, status, has_errors, has_warnings, 1 FROM new_items
            ) AS changes
            GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (proposal_id, status, has_errors, has_warnings) DO UPDATE SET n = c.n + excluded.n;
        END IF;
        DELETE FROM proposals_itemcount WHERE n = 0 AND proposal_id IN (SELECT DISTINCT proposal_id FROM old_items);
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER proposals_itemcount_insert AFTER INSERT ON proposals_proposalitem
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION proposals_itemcount_apply()
    """,
    """
    CREATE TRIGGER proposals_itemcount_update AFTER UPDATE ON proposals_proposalitem
    REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION proposals_itemcount_apply()
    """,
    """
    CREATE TRIGGER proposals_itemcount_delete AFTER DELETE ON proposals_proposalitem
    REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION proposals_itemcount_apply()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER proposals_itemcount_insert ON proposals_proposalitem",
    "DROP TRIGGER proposals_itemcount_update ON proposals_proposalitem",
    "DROP TRIGGER proposals_itemcount_delete ON proposals_proposalitem",
    "DROP FUNCTION proposals_itemcount_apply()",
]

_ADD = """
    INSERT INTO proposals_itemcount (proposal_id, status, has_errors, has_warnings, n)
    VALUES (NEW.proposal_id, NEW.status, NEW.has_errors, NEW.has_warnings, 1)
    ON CONFLICT (proposal_id, status, has_errors, has_warnings) DO UPDATE SET n = n + 1;
"""
_REMOVE = """
    UPDATE proposals_itemcount SET n = n - 1 WHERE proposal_id = OLD.proposal_id AND status = OLD.status
        AND has_errors = OLD.has_errors AND has_warnings = OLD.has_warnings;
    DELETE FROM proposals_itemcount WHERE proposal_id = OLD.proposal_id AND n = 0;
"""
SQLITE = [
    f"CREATE TRIGGER proposals_itemcount_insert AFTER INSERT ON proposals_proposalitem BEGIN {_ADD} END",
    f"CREATE TRIGGER proposals_itemcount_delete AFTER DELETE ON proposals_proposalitem BEGIN {_REMOVE} END",
    f"""CREATE TRIGGER proposals_itemcount_update
    AFTER UPDATE OF proposal_id, status, has_errors, has_warnings ON proposals_proposalitem
    BEGIN {_REMOVE} {_ADD} END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER proposals_itemcount_insert",
    "DROP TRIGGER proposals_itemcount_delete",
    "DROP TRIGGER proposals_itemcount_update",
]

FILL = """
    INSERT INTO proposals_itemcount (proposal_id, status, has_errors, has_warnings, n)
    SELECT proposal_id, status, has_errors, has_warnings, count(*) FROM proposals_proposalitem GROUP BY 1, 2, 3, 4
"""


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def triggers_and_fill(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, [*(POSTGRESQL if postgres else SQLITE), FILL])


def drop_triggers(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, POSTGRESQL_REVERSE if postgres else SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0005_duplicate_groups"),
        ("programs", "0008_graduation_min_score"),
        ("proposals", "0005_item_counts_covering_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ItemCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Menunggu"),
                            ("approved", "Disetujui"),
                            ("returned", "Dikembalikan"),
                            ("rejected", "Ditolak"),
                        ],
                        max_length=10,
                    ),
                ),
                ("has_errors", models.BooleanField()),
                ("has_warnings", models.BooleanField()),
                ("n", models.IntegerField()),
            ],
        ),
        migrations.RemoveIndex(
            model_name="proposalitem",
            name="proposalitem_status_idx",
        ),
        migrations.AddIndex(
            model_name="proposalitem",
            index=models.Index(fields=["proposal", "status"], name="proposalitem_status_idx"),
        ),
        migrations.AddField(
            model_name="itemcount",
            name="proposal",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="proposals.proposal",
            ),
        ),
        migrations.AddConstraint(
            model_name="itemcount",
            constraint=models.UniqueConstraint(
                fields=("proposal", "status", "has_errors", "has_warnings"), name="itemcount_unique"
            ),
        ),
        migrations.RunPython(triggers_and_fill, drop_triggers),
    ]
