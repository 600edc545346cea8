"""A person's district and regency, copies of the village's, held to its code by a CHECK instead of a foreign key
each, which PostgreSQL checked once per written row at COMMIT (docs/decisions/0011-foreign-keys-of-copies.md)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0008_person_privacy"),
        ("regions", "0002_load_kaltim_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="district",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="regions.district",
                verbose_name="kecamatan",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="regency",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="regions.regency",
                verbose_name="kabupaten/kota",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("district", django.db.models.functions.text.Left("village", 8)),
                    ("regency", django.db.models.functions.text.Left("village", 5)),
                ),
                name="person_regions_of_village",
            ),
        ),
    ]
