from django.db import migrations

RULES = [
    (
        "calon",
        2,
        None,
        "UU 27/2022 Pasal 43 ayat (1): data calon yang tidak pernah menerima bantuan tidak lagi "
        "diperlukan setelah dua tahun anggaran berikutnya (satu siklus usulan ulang).",
    ),
    (
        "unggahan",
        None,
        90,
        "Lembar kerja usulan hanya diperlukan sampai usulan disimpan dan diverifikasi; isinya "
        "tersimpan di data usulan (UU 27/2022 Pasal 16 ayat (2) huruf g).",
    ),
]


def fill(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for kind, years, days, basis in RULES:
        RetentionRule.objects.get_or_create(kind=kind, defaults={"keep_years": years, "keep_days": days,
                                                                 "legal_basis": basis})  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("privacy", "0005_retention")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
