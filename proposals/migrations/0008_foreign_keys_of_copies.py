"""Foreign keys without a database constraint where the column is a copy or an audit reference: PostgreSQL checked
each once per written row at COMMIT (docs/decisions/0011-foreign-keys-of-copies.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0012_package_band"),
        ("proposals", "0007_proposal_item_page_idx"),
    ]

    operations = [
        migrations.AlterField(
            model_name="proposedperson",
            name="budget_year",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="programs.budgetyear",
            ),
        ),
    ]
