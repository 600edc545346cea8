"""Foreign keys without a database constraint where the column is a copy or an audit reference: PostgreSQL checked
each once per written row at COMMIT (docs/decisions/0011-foreign-keys-of-copies.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_done_on_device"),
        ("regions", "0002_load_kaltim_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to=settings.AUTH_USER_MODEL,
                verbose_name="pelaku",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="regency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to="regions.regency",
                verbose_name="kabupaten/kota",
            ),
        ),
    ]
