from django.db import migrations


def load(apps, schema_editor):
    from programs.business_types import catalogue_load

    catalogue_load(apps.get_model("programs", "BusinessType"))


class Migration(migrations.Migration):
    dependencies = [("programs", "0005_business_type_synonyms")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
