from django.db import migrations

# Frozen here on purpose: a migration must not change when accounts/roles.py does.
ROLE_GROUPS = ["Admin Provinsi", "Verifikator Provinsi", "Operator Kab/Kota", "Pimpinan", "Auditor"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    # Their model permissions are applied after migrate by accounts.services.roles_sync, once every
    # app's permissions exist (Django creates permissions only after the migrations have run).


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_custom_user"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
