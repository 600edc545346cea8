"""The index of the people assisted before holds only them (most of the registry never was; see the model)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0010_person_sex_name_idx"),
        ("regions", "0002_load_kaltim_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_assisted_idx",
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("last_assisted_year__isnull", False)),
                fields=["last_assisted_year"],
                name="person_assisted_idx",
            ),
        ),
    ]
