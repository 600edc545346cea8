from django.db import migrations

# The business types regency offices propose most often (frozen here; the office adds more in the admin).
DEFAULT_TYPES = [
    "Warung Sembako",
    "Kuliner / Makanan Olahan",
    "Kue dan Roti",
    "Menjahit / Konveksi",
    "Tata Rias / Salon",
    "Laundry",
    "Kerajinan Tangan",
    "Perikanan Tangkap",
    "Pengolahan Hasil Perikanan",
    "Pertanian / Hortikultura",
    "Peternakan",
    "Bengkel",
    "Pedagang Keliling",
]


def create(apps, schema_editor):
    BusinessType = apps.get_model("programs", "BusinessType")
    for name in DEFAULT_TYPES:
        BusinessType.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_business_type")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
