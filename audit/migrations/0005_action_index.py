"""One index on the audit action, for the "begins with" filter, which serves equality too: its plain twin goes.

On PostgreSQL the `varchar_pattern_ops` index Django made for the field is the new one already: it is renamed, not
built again (a build would hold every audited write back for as long as it reads the whole log)."""

from django.conf import settings
from django.db import migrations, models

PLAIN = "audit_auditevent_action_2131bb77"
PATTERN = "audit_auditevent_action_2131bb77_like"
NEW = "audit_action_idx"


def _exists(schema_editor, name: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
        return cursor.fetchone() is not None


def forward(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{PLAIN}"')
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(f'CREATE INDEX "{NEW}" ON "audit_auditevent" ("action")')
    elif _exists(schema_editor, PATTERN):
        schema_editor.execute(f'ALTER INDEX "{PATTERN}" RENAME TO "{NEW}"')
    else:
        schema_editor.execute(f'CREATE INDEX "{NEW}" ON "audit_auditevent" ("action" varchar_pattern_ops)')


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(f'DROP INDEX "{NEW}"')
    else:
        schema_editor.execute(f'ALTER INDEX "{NEW}" RENAME TO "{PATTERN}"')
    schema_editor.execute(f'CREATE INDEX "{PLAIN}" ON "audit_auditevent" ("action")')


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_foreign_keys_of_copies"),
        ("regions", "0002_load_kaltim_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="action",
                    field=models.CharField(max_length=64, verbose_name="aksi"),
                ),
                migrations.AddIndex(
                    model_name="auditevent",
                    index=models.Index(fields=["action"], name=NEW, opclasses=["varchar_pattern_ops"]),
                ),
            ],
        ),
    ]
