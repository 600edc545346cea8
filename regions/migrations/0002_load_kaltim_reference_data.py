from django.db import migrations


def load(apps, schema_editor):
    from regions.services import reference_data_load

    reference_data_load(
        models=(
            apps.get_model("regions", "Regency"),
            apps.get_model("regions", "District"),
            apps.get_model("regions", "Village"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
