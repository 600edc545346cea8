"""Fewer indexes to maintain on every insert (a 10,000-row proposal import writes thousands of people):
the NIK pattern index of 0002 duplicates the one Django creates for the unique NIK, and No. KK is only
ever matched exactly, so it keeps one plain index instead of two."""

from django.db import migrations, models


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0002_postgres_search_indexes")]

    operations = [
        migrations.RunPython(
            _run("DROP INDEX IF EXISTS person_nik_pattern_idx"),
            _run("CREATE INDEX IF NOT EXISTS person_nik_pattern_idx ON beneficiaries_person (nik varchar_pattern_ops)"),
        ),
        migrations.AlterField(
            model_name="person",
            name="kk_number",
            field=models.CharField(max_length=16, verbose_name="No. KK"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["kk_number"], name="person_kk_idx"),
        ),
    ]
