"""HandoverDay also counts the BASTs with both their signed scan and their handover photo. The triggers of 0010 are
dropped, the column added, the triggers made again with the new sum (and the photo among SQLite's watched columns),
and the tally counted afresh from the BASTs."""

import importlib

from django.db import migrations, models

from core.tally import tally_fill, tally_triggers

BEFORE = importlib.import_module("disbursements.migrations.0010_handover_days")
TALLY = {
    **BEFORE.TALLY,
    "sums": {**BEFORE.TALLY["sums"], "complete": "CASE WHEN signed_scan <> '' AND photo <> '' THEN 1 ELSE 0 END"},
}
WATCHED = [*BEFORE.WATCHED, "photo"]
NAME = "disbursements_handoverday"


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _triggers(schema_editor, tally, watched):
    return tally_triggers(schema_editor.connection.vendor, name=NAME, watched=watched, **tally)


def drop_before(apps, schema_editor):
    _run(schema_editor, _triggers(schema_editor, BEFORE.TALLY, BEFORE.WATCHED)[1])


def create_before(apps, schema_editor):
    create, _ = _triggers(schema_editor, BEFORE.TALLY, BEFORE.WATCHED)
    _run(schema_editor, [*create, f"DELETE FROM {NAME}", tally_fill(**BEFORE.TALLY)])


def create_after(apps, schema_editor):
    create, _ = _triggers(schema_editor, TALLY, WATCHED)
    _run(schema_editor, [*create, f"DELETE FROM {NAME}", tally_fill(**TALLY)])


def drop_after(apps, schema_editor):
    _run(schema_editor, _triggers(schema_editor, TALLY, WATCHED)[1])


class Migration(migrations.Migration):
    dependencies = [("disbursements", "0011_trained_mark")]

    operations = [
        migrations.RunPython(drop_before, create_before),
        migrations.AddField(
            model_name="handoverday", name="complete", field=models.IntegerField(db_default=0, default=0)
        ),
        migrations.RunPython(create_after, drop_after),
    ]
