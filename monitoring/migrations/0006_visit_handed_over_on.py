"""Visits keep their BAST's date (which never changes once signed), filled in for the visits recorded so far."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_dates(apps, schema_editor):
    Visit = apps.get_model("monitoring", "Visit")
    Handover = apps.get_model("disbursements", "Handover")
    Visit.objects.using(schema_editor.connection.alias).update(
        handed_over_on=Subquery(Handover.objects.filter(pk=OuterRef("handover_id")).values("handed_over_on"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disbursements", "0006_handover_awaiting_scan_index"),
        ("monitoring", "0005_visit_turnover_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="handed_over_on",
            field=models.DateField(editable=False, null=True, verbose_name="tanggal serah terima"),
        ),
        migrations.RunPython(copy_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="visit",
            name="handed_over_on",
            field=models.DateField(editable=False, verbose_name="tanggal serah terima"),
        ),
    ]
