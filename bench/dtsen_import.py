"""A province's DTSEN extract imported as the job does it (dtsen.services.import_snapshot: read, check every row,
COPY in chunks, all in one transaction), beside the floor: a plain COPY of the same CSV into a bare table of the same
columns, in the same run. A smaller snapshot of the quarter before is imported first (those people have a history);
both are removed afterwards. Peak memory is the process's, measured before and after.

    .venv/bin/python bench/dtsen_import.py [--rows 1000000]

Needs PostgreSQL (kube_bench, or DATABASE_URL).
"""

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"


def write_csv(path: Path, rows: int) -> None:
    from beneficiaries.identity import make_nik

    districts = ["647101", "647203", "640201", "640301", "640701"]
    names = ["Kab. Kutai Kartanegara", "Kota Samarinda", "Kab. Kutai Barat", "Kab. Paser", "Kab. Berau"]
    start = datetime.date(1950, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("NIK;No KK;Nama;Desil;ID Keluarga;Kab/Kota;Pekerjaan\n")
        for n in range(rows):
            place = n % len(districts)
            born = start + datetime.timedelta(days=(n * 7) % 20000)
            nik = make_nik(districts[place], born, "P" if n % 2 else "L", n // 20000 % 9999 + 1)
            out.write(f"{nik};{districts[place][:4]}{n:012d};Warga {n};{n % 10 + 1};K{n // 4};{names[place]};Petani\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from dtsen.models import Snapshot
    from dtsen.services import import_snapshot

    user, _ = User.objects.get_or_create(username="bench.dtsen")
    folder = Path(tempfile.mkdtemp())
    whole, before = folder / "q3.csv", folder / "q2.csv"
    began = time.perf_counter()
    write_csv(whole, args.rows)
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    before.write_text("".join(lines[: 1 + args.rows // 10]), encoding="utf-8")
    del lines
    print(f"{args.rows:,} rows written in {time.perf_counter() - began:.1f} s ({whole.stat().st_size / 1e6:.0f} MB)")
    Snapshot.objects.filter(imported_by=user).delete()
    import_snapshot(user=user, data=before.read_bytes(), file_name="q2.csv", period=datetime.date(2026, 4, 1),
                    source="bench")  # fmt: skip

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_dtsen_floor")
        cursor.execute("CREATE UNLOGGED TABLE bench_dtsen_floor (nik varchar(16), kk varchar(16), name varchar(150), "
                       "desil smallint, id varchar(40), regency varchar(60), job text)")  # fmt: skip
        began = time.perf_counter()
        with whole.open("r", encoding="utf-8") as handle:
            cursor.cursor.copy_expert("COPY bench_dtsen_floor FROM STDIN WITH (FORMAT csv, HEADER, DELIMITER ';')",
                                      handle, size=1 << 22)  # fmt: skip
        floor = time.perf_counter() - began
        cursor.execute("DROP TABLE bench_dtsen_floor")

    data = whole.read_bytes()
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    snapshot = import_snapshot(user=user, data=data, file_name="q3.csv", period=datetime.date(2026, 7, 1),
                               source="bench")  # fmt: skip
    ours = time.perf_counter() - began
    memory_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert snapshot.status == Snapshot.Status.READY and snapshot.rows == args.rows, snapshot.problems[:3]
    print(f"import_snapshot (ours)       {ours:6.1f} s  ({args.rows / ours:,.0f} rows/s)")
    print(f"plain COPY of the file       {floor:6.1f} s  (floor)  ours/floor {ours / floor:.1f}x")
    print(f"peak memory {memory_before:.0f} MB before the import (the file held: {len(data) / 1e6:.0f} MB), "
          f"{memory_after:.0f} MB after")  # fmt: skip
    Snapshot.objects.filter(imported_by=user).delete()


if __name__ == "__main__":
    main()
