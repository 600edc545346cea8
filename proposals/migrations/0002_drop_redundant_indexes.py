# Indexes the composite indexes already cover (see the models).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_proposals"),
    ]

    operations = [
        migrations.AlterField(
            model_name="proposalitem",
            name="proposal",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="proposals.proposal",
                verbose_name="usulan",
            ),
        ),
    ]
