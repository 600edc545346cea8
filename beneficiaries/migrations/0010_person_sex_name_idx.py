"""The people list filtered by sex, in name order (beneficiaries.models: person_sex_name_idx)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0009_foreign_keys_of_copies"),
        ("regions", "0002_load_kaltim_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["sex", "full_name", "id"],
                name="person_sex_name_idx",
            ),
        ),
    ]
