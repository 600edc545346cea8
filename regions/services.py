"""Writes of the reference regions: loading the official codes and names shipped in regions/data/."""

from django.db import transaction

from regions.reference import read as _read


@transaction.atomic
def reference_data_load(*, models=None) -> dict[str, int]:
    """Load (or refresh) every regency, kecamatan and desa/kelurahan of Kaltim from regions/data/.

    Idempotent: existing rows are updated in place by code, nothing is duplicated or deleted.
    `models` lets a data migration pass its historical models (Regency, District, Village).
    Returns the number of rows of each level.
    """
    if models is None:
        from regions.models import District, Regency, Village
    else:
        Regency, District, Village = models

    population = {row["kode"]: row for row in _read("penduduk_kaltim.csv")}
    regencies = []
    for row in _read("regencies.csv"):
        people = population.get(row["kode"], {})
        regencies.append(
            Regency(
                code=row["kode"],
                bps_code=row["kode_bps"],
                name=row["nama"],
                kind=row["jenis"].lower(),
                population_male=int(people.get("laki_laki") or 0),
                population_female=int(people.get("perempuan") or 0),
                population_total=int(people.get("jumlah") or 0),
            )
        )
    districts, villages = [], []
    for row in _read("wilayah_kaltim.csv"):
        if row["tingkat"] == "kecamatan":
            districts.append(District(code=row["kode"], regency_id=row["induk"], name=row["nama"]))
        elif row["tingkat"] in ("desa", "kelurahan"):
            villages.append(Village(code=row["kode"], district_id=row["induk"], name=row["nama"], kind=row["tingkat"]))

    Regency.objects.bulk_create(
        regencies,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["bps_code", "name", "kind", "population_male", "population_female", "population_total"],
    )
    District.objects.bulk_create(
        districts, update_conflicts=True, unique_fields=["code"], update_fields=["regency", "name"]
    )
    Village.objects.bulk_create(
        villages, update_conflicts=True, unique_fields=["code"], update_fields=["district", "name", "kind"]
    )
    return {"regencies": len(regencies), "districts": len(districts), "villages": len(villages)}
