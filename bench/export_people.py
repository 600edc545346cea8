"""Exporting 10,000 and 100,000 people to xlsx: our export view's writer (title block, formats, formula
neutralising, masked or whole NIK) against plain openpyxl write-only of the same rows (the peer and
floor), each in its own process so peak memory (max RSS) is its own.

    .venv/bin/python bench/export_people.py          # uses the kube_bench database of people_list.py
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"


def run_one(kind: str, rows: int) -> dict:
    import resource

    import django

    django.setup()
    from openpyxl import Workbook

    from beneficiaries.exports import PERSON_COLUMNS, person_rows
    from beneficiaries.models import Person
    from core.excel import ReportWriter

    people = Person.objects.current().filter(pk__in=Person.objects.order_by("full_name", "id").values("pk")[:rows])
    target = Path("/tmp") / f"bench-export-{kind}-{rows}.xlsx"
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if kind == "ours":
        writer = ReportWriter("Daftar Penduduk", PERSON_COLUMNS, filters=[("Bench", str(rows))])
        for row in person_rows(people, full_nik=True):
            writer.append(row)
        writer.save(target)
    else:  # plain openpyxl write-only: the same rows as they come from the database, no formats
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Penduduk")
        sheet.append([column.header for column in PERSON_COLUMNS])
        for row in person_rows(people, full_nik=True):
            sheet.append(row)
        workbook.save(target)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "peak_mb": peak / 1024,
        "growth_mb": (peak - baseline) / 1024,
        "bytes": target.stat().st_size,
    }


def main():
    if len(sys.argv) == 3:
        print(json.dumps(run_one(sys.argv[1], int(sys.argv[2]))))
        return
    results = {}
    for rows in (10_000, 100_000):
        for kind in ("peer", "ours"):
            out = subprocess.run(
                [sys.executable, __file__, kind, str(rows)], capture_output=True, text=True, check=True
            )
            results[(kind, rows)] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{'rows':>8} {'ours s':>8} {'peer s':>8} {'ratio':>6} {'ours peak MB':>13} {'peer peak MB':>13}")
    for rows in (10_000, 100_000):
        ours, peer = results[("ours", rows)], results[("peer", rows)]
        print(
            f"{rows:>8,} {ours['seconds']:>8.2f} {peer['seconds']:>8.2f} {ours['seconds'] / peer['seconds']:>6.2f}"
            f" {ours['peak_mb']:>13.0f} {peer['peak_mb']:>13.0f}"
        )
    growth = results[("ours", 100_000)]["peak_mb"] - results[("ours", 10_000)]["peak_mb"]
    print(f"peak memory, 100k export minus 10k export: {growth:.1f} MB (target: within 20 MB)")


if __name__ == "__main__":
    main()
