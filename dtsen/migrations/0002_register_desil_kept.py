from django.db import migrations

from dtsen.kept import refresh_all, register_desil_triggers


def triggers_and_fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    create, _ = register_desil_triggers(vendor)
    with schema_editor.connection.cursor() as cursor:
        for statement in [*create, *refresh_all(vendor)]:
            cursor.execute(statement)


def drop_triggers(apps, schema_editor):
    _, drop = register_desil_triggers(schema_editor.connection.vendor)
    with schema_editor.connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dtsen", "0001_initial"),
        ("beneficiaries", "0009_person_register_desil"),
    ]

    operations = [migrations.RunPython(triggers_and_fill, drop_triggers)]
