from django.db import migrations

# PostgreSQL only (SQLite, the zero-setup default, has neither): a trigram index serves the name
# search (UPPER(full_name) LIKE '%…%'), a pattern index serves NIK prefix search (nik LIKE '6472%').
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_trgm_idx ON beneficiaries_person USING gin (UPPER(full_name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_nik_pattern_idx ON beneficiaries_person (nik varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS kubegroup_name_trgm_idx ON beneficiaries_kubegroup USING gin (UPPER(name) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS kubegroup_name_trgm_idx",
    "DROP INDEX IF EXISTS person_nik_pattern_idx",
    "DROP INDEX IF EXISTS person_name_trgm_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
