"""Realistic synthetic residents for demos and benchmarks: Indonesian names, valid NIKs (Kaltim place
codes, sex and birth date encoded), households sharing a No. KK, spread over the regencies by their
reference population. Fast enough for 1,000,000 rows: PostgreSQL COPY in chunks, else bulk_create.

Synthetic rows are not user changes, so they carry no audit events.
"""

import datetime
import io
import queue
import random
import threading
from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone

from beneficiaries.identity import name_key
from beneficiaries.models import PERSON_IDENTITY, MaritalStatus, Person
from core.bulk import analyze
from regions.models import Regency, Village

FEMALE = (
    "Siti Nur Sri Dewi Rina Wati Fitri Yuli Ani Rahmawati Hartini Sumiati Masitah Rusmini Jumiati Aisyah "
    "Fatimah Nurhayati Kartini Ratna Lestari Wahyuni Susanti Hasanah Maryam Halimah Salmah Rosmini Nurul "
    "Indah Eka Dian Putri Ayu Mega Novi Lina Yanti Erna Murni Hamsiah Asmah Nursiah Mariani Hadijah Ernawati "
    "Suryani Kasmawati Hayati Rosdiana Samsiah Juliana Irawati Sumarni Rukmini Jamilah Zubaidah Nurjanah"
).split()
MALE = (
    "Ahmad Muhammad Budi Agus Andi Rudi Hendra Joko Slamet Bambang Yusuf Abdul Rahmat Syahrir Hasan Ilham "
    "Arif Dedi Eko Heri Iwan Rizal Samsul Sudirman Taufik Usman Wahyu Zainal Rahman Baharuddin Hamka Jufri "
    "Syamsul Darmawan Kamaruddin Suparman Mulyadi Sugianto Hairul Ridwan Junaidi Fadli Irfan Rusdi Anwar"
).split()
FAMILY = (
    "Rahman Hidayat Saputra Wijaya Kurniawan Pratama Setiawan Santoso Nugroho Siregar Lubis Nasution Daeng "
    "Rasyid Syamsuddin Hamzah Ismail Aminah Sari Lestari Wulandari Handayani Rahayu Puspita Utami Fitriani "
    "Ningsih Yulianti Mahmud Arsyad Baco Lasse Tahir Latif Amir Husain Saleh Yunus Idris Anshari Effendi"
).split()


def _no_repeats(parts: list[str]) -> list[str]:
    """No name twice in one person's name ("Lestari Lestari"): a repeated part becomes the next name of its list (no
    extra random draw, so the rest of a seeded run stays as it was)."""
    for index in range(1, len(parts)):
        if parts[index] in parts[:index]:
            names = FAMILY if index == len(parts) - 1 else FEMALE + MALE
            while parts[index] in parts[:index]:  # the next name may be taken too (both given names)
                parts[index] = names[(names.index(parts[index]) + 1) % len(names)]
    return parts


OCCUPATIONS = [
    "Mengurus Rumah Tangga",
    "Buruh Harian Lepas",
    "Pedagang",
    "Petani/Pekebun",
    "Nelayan/Perikanan",
    "Karyawan Swasta",
    "Wiraswasta",
    "Belum/Tidak Bekerja",
    "Penjahit",
]
STREETS = "Jl. Merdeka;Jl. Pahlawan;Jl. Sudirman;Jl. Gatot Subroto;Jl. Kenanga;Jl. Mawar;Gg. Damai;Jl. Poros".split(";")
# Places outside Kaltim where people who moved here were first registered (valid stdnum place codes).
OUTSIDE = ["737101", "357801", "747101", "627101", "317101", "327301"]
MARITAL = [MaritalStatus.MARRIED, MaritalStatus.WIDOWED, MaritalStatus.DIVORCED, MaritalStatus.SINGLE]

COLUMNS = [
    *PERSON_IDENTITY,
    "village_id",
    "district_id",
    "regency_id",
    "phone",
    "dtks_id",
    "desil",
    "occupation",
    "last_assisted_year",
    "name_key",
    "created_at",
    "updated_at",
]


def _villages_by_weight(rng: random.Random) -> tuple[list[tuple[str, str, str, str]], list[float]]:
    """(village, district, regency, regency name) with weights: each regency's population spread
    evenly over its villages."""
    population = {r.code: r.population_total or 1 for r in Regency.objects.all()}
    rows = list(Village.objects.values_list("code", "district_id", "district__regency_id", "district__regency__name"))
    per_regency: dict[str, int] = {}
    for _, _, regency, _ in rows:
        per_regency[regency] = per_regency.get(regency, 0) + 1
    weights = [population[regency] / per_regency[regency] for _, _, regency, _ in rows]
    return rows, weights


def generate(count: int, *, seed: int = 2024, existing_niks: set[str] | None = None) -> Iterator[tuple]:
    """Yield `count` rows in COLUMNS order. NIKs are unique, also against `existing_niks`."""
    rng = random.Random(seed)
    taken = existing_niks if existing_niks is not None else set()
    villages, weights = _villages_by_weight(rng)
    today = timezone.localdate()
    now = timezone.now()
    chunk = 10_000
    produced = 0
    household_kk, household_place = None, None
    while produced < count:
        k = min(chunk, count - produced)
        places = rng.choices(villages, weights=weights, k=k)
        sexes = rng.choices("PL", weights=[0.62, 0.38], k=k)
        ages = rng.choices(range(18, 76), k=k)
        days = rng.choices(range(365), k=k)
        desils = rng.choices([1, 2, 3, 4, 5, 6, None], weights=[22, 22, 18, 14, 10, 6, 8], k=k)
        for i in range(k):
            village, district, regency, regency_name = places[i]
            sex = sexes[i]
            born = today - datetime.timedelta(days=ages[i] * 365 + days[i])
            roll = rng.random()
            if roll < 0.01:
                place = rng.choice(OUTSIDE)
            elif roll < 0.05:
                place = rng.choice(villages)[1].replace(".", "")
            else:
                place = district.replace(".", "")
            day = born.day + (40 if sex == "P" else 0)
            stem = f"{place}{day:02d}{born.month:02d}{born.year % 100:02d}"
            serial = rng.randrange(1, 9999)
            nik = f"{stem}{serial:04d}"
            while nik in taken:
                serial = serial % 9999 + 1
                nik = f"{stem}{serial:04d}"
            taken.add(nik)
            if household_kk is None or household_place != village or rng.random() > 0.55:
                household_kk = f"{district.replace('.', '')}{rng.randrange(10**9, 10**10)}"
                household_place = village
            first = rng.choice(FEMALE if sex == "P" else MALE)
            parts = (
                [first, rng.choice(FAMILY)]
                if rng.random() < 0.8
                else [first, rng.choice(FEMALE + MALE), rng.choice(FAMILY)]
            )
            name = " ".join(_no_repeats(parts))
            assisted = rng.choice((2021, 2022, 2023)) if rng.random() < 0.04 else None
            yield (
                nik,
                household_kk,
                name,
                sex,
                regency_name,
                born,
                rng.choice(MARITAL),
                f"{rng.choice(STREETS)} No. {rng.randrange(1, 200)}",
                f"{rng.randrange(1, 40):03d}",
                f"{rng.randrange(1, 12):03d}",
                village,
                district,
                regency,
                f"08{rng.randrange(11, 59)}{rng.randrange(10**7, 10**8)}",
                f"DTKS{rng.randrange(10**9, 10**10)}" if rng.random() < 0.7 else "",
                desils[i],
                rng.choice(OCCUPATIONS),
                assisted,
                name_key(name),
                now,
                now,
            )
        produced += k


# A large load is faster with the secondary indexes built once at the end than kept up row by row.
BULK_LOAD_DROPS_INDEXES = 100_000


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [Person._meta.db_table],
    )
    return cursor.fetchall()


def insert(count: int, *, seed: int = 2024, chunk: int = 100_000, progress=None) -> int:
    """Insert `count` synthetic people (COPY on PostgreSQL, bulk_create elsewhere); returns the count.
    On PostgreSQL a load of 100,000 or more drops the secondary indexes first and rebuilds them after
    (the unique NIK index, a constraint, stays)."""
    existing = set(Person.objects.values_list("nik", flat=True).iterator(chunk_size=50_000))
    rows_iter = generate(count, seed=seed + len(existing), existing_niks=existing)
    dropped: list[tuple[str, str]] = []
    if connection.vendor == "postgresql" and count >= BULK_LOAD_DROPS_INDEXES:
        with connection.cursor() as cursor:
            dropped = _secondary_indexes(cursor)
            for name, _ in dropped:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        done = _load(count, rows_iter, chunk, progress)
    finally:
        if dropped:
            _rebuild(dropped)
    analyze(Person)
    return done


def _rebuild(indexes: list[tuple[str, str]]) -> None:
    """Recreate dropped indexes, the trigram (GIN) ones on a second connection at the same time as the
    B-trees (the machine has two cores; each build is single-threaded)."""
    gin = [definition for _, definition in indexes if "USING gin" in definition]
    other = [definition for _, definition in indexes if "USING gin" not in definition]

    def build(definitions, own_connection):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                for definition in definitions:
                    cursor.execute(definition)
        finally:
            if own_connection:
                connection.close()

    worker = threading.Thread(target=build, args=(gin, True))
    worker.start()
    try:
        build(other, False)
    finally:
        worker.join()


def _chunks(count, rows_iter, chunk):
    done = 0
    while done < count:
        rows = [row for _, row in zip(range(min(chunk, count - done)), rows_iter, strict=False)]
        done += len(rows)
        yield rows


def _copy_text(rows: list[tuple]) -> io.StringIO:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    return buffer


def _load(count, rows_iter, chunk, progress) -> int:
    """Write the rows chunk by chunk. On PostgreSQL a large load (BULK_LOAD_DROPS_INDEXES or more)
    generates chunks (Python) while two connections store earlier ones (COPY), so both cores stay busy;
    a small one (demo data, tests) stays on the caller's connection and transaction."""
    done = 0
    statement = f"COPY {Person._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
    if connection.vendor == "postgresql" and count < BULK_LOAD_DROPS_INDEXES:
        for rows in _chunks(count, rows_iter, chunk):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.cursor.copy_expert(statement, _copy_text(rows), size=1 << 22)
            done += len(rows)
            if progress:
                progress(done)
        return done
    if connection.vendor != "postgresql":
        for rows in _chunks(count, rows_iter, chunk):
            with transaction.atomic():
                people = [Person(**dict(zip(COLUMNS, row, strict=True))) for row in rows]
                Person.objects.bulk_create(people, batch_size=5000)
            done += len(rows)
            if progress:
                progress(done)
        return done

    consumers = 2
    pending: queue.Queue = queue.Queue(maxsize=consumers)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def consume(own_connection: bool):
        nonlocal done
        try:
            while (item := pending.get()) is not None:
                size, buffer = item
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.cursor.copy_expert(statement, buffer, size=1 << 22)
                with lock:
                    done += size
                    if progress:
                        progress(done)
        except BaseException as error:  # noqa: BLE001 — re-raised in the main thread below
            errors.append(error)
            while pending.get() is not None:  # drain so the producer never blocks
                pass
        finally:
            if own_connection:
                connection.close()

    def produce():
        try:
            for rows in _chunks(count, rows_iter, chunk):
                if errors:
                    break
                pending.put((len(rows), _copy_text(rows)))
        finally:
            for _ in range(consumers):
                pending.put(None)

    producer = threading.Thread(target=produce, daemon=True)
    worker = threading.Thread(target=consume, args=(True,))
    producer.start()
    worker.start()
    consume(False)
    worker.join()
    producer.join()
    if errors:
        raise errors[0]
    return done
