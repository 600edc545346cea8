"""Importing WRSE proposal workbooks of 1k / 10k / 50k rows end to end on PostgreSQL, as the officer does it: the
preview (parse, every check, dedup against the registry — 1,000,000 people in kube_bench after people_list.py —
and this year's proposals; the file, its problems and its checked plan stored) and the save (`upload_commit`: the
registry rows the plan was decided on read again, then people, items and audit events written), beside:

- floor: python-calamine reading the same file, and openpyxl read-only iterating it;
- peer: django-import-export importing the same file into the same Person model (default settings;
  `pip install -r bench/requirements.txt`).

The plans are kept in Redis (REDIS_URL, default redis://127.0.0.1:6379/7) as on a server with several app servers.
Each import runs in a transaction that is rolled back, so every size starts from the same registry;
the written tables are vacuumed before each run (outside the timing), as autovacuum would between imports.
Peak memory of our import is traced (tracemalloc) to show it against the row count.

    .venv/bin/python bench/import_proposals.py --sizes 1000 10000 50000 [--peer-max 10000]
"""

import argparse
import datetime
import gc
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://kube:kube@127.0.0.1:5432/kube_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "kubeprogram.settings.test"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("PROPOSAL_WORKBOOK_MAX_ROWS", "60000")  # the app refuses more than 20,000 by default


class Rollback(Exception):
    pass


def workbook(rows: int, existing) -> bytes:
    """A filled WRSE template: ~10% people already in the registry (updates), the rest new."""
    from openpyxl import Workbook

    from beneficiaries.identity import make_nik
    from proposals.workbook.columns import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append([column.header for column in COLUMNS["WRSE"]])
    for n in range(rows):
        if n % 10 == 0 and existing:
            person = existing[(n // 10) % len(existing)]
            nik, kk, name, born = person.nik, person.kk_number, person.full_name, person.birth_date
            district, village = person.district.name, person.village.name
        else:
            born = datetime.date(1970, 1, 1) + datetime.timedelta(days=(n * 7) % 12000)
            nik = make_nik("647203", born, "P", 1 + n // 1500)
            kk, name, district, village = f"6472039{n:09d}", f"Peserta Bench {n}", "Samarinda Ulu", "Jawa"
        sheet.append([nik, kk, name, "Samarinda", born, "Cerai Mati", f"Jl. Bench {n}", "1", "2", district, village,
                      "081200000000", "Kue dan Roti", f"DTKS{n}", 1 + n % 4, ""])  # fmt: skip
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def vacuum():
    """Clear what the last rolled-back import left (dead index entries), as autovacuum would between two
    real imports; outside the timing, before every run of ours and of the peer."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("beneficiaries_person", "audit_auditevent", "proposals_proposalitem", "proposals_proposedperson"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def median(function, repeat, before=None):
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--peer-max", type=int, default=10_000, help="largest size the (slow) peer imports")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from import_export import fields, resources, widgets
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    from accounts.models import User
    from beneficiaries.identity import name_key
    from beneficiaries.models import Person
    from programs.models import BudgetYear
    from proposals.imports import upload_check, upload_commit
    from proposals.models import Proposal
    from regions.models import Regency, Village

    call_command("migrate", verbosity=0)
    year, _ = BudgetYear.objects.get_or_create(year=2024, defaults={"total_ceiling": 6_500_000_000, "status": "open"})
    regency = Regency.objects.get(code="64.72")
    officer, _ = User.objects.get_or_create(username="bench.operator", defaults={"regency": regency})
    village = Village.objects.get(district__regency=regency, district__name="Samarinda Ulu", name="Jawa")
    # People already in the registry whom a WRSE file may name: women aged 18–59 on 1 January 2024 (the preview
    # refuses the others now, as the saved item always did).
    existing = list(
        Person.objects.filter(
            regency=regency,
            merged_into__isnull=True,
            sex="P",
            birth_date__gt=datetime.date(1964, 1, 1),
            birth_date__lte=datetime.date(2006, 1, 1),
            # whom the register, when there is one (bench/rechecks.py --keep), does not put above WRSE's desil
        )
        .exclude(
            register_listing__desil__gt=5,
        )
        .select_related("district", "village")[:5000]
    )

    class PersonResource(resources.ModelResource):
        """What a typical project writes: match by NIK, the columns mapped by header."""

        nik = fields.Field(attribute="nik", column_name="NIK")
        kk_number = fields.Field(attribute="kk_number", column_name="No KK")
        full_name = fields.Field(attribute="full_name", column_name="Nama Lengkap")
        birth_place = fields.Field(attribute="birth_place", column_name="Tempat Lahir")
        birth_date = fields.Field(attribute="birth_date", column_name="Tanggal Lahir", widget=widgets.DateWidget())
        address = fields.Field(attribute="address", column_name="Alamat")
        rt = fields.Field(attribute="rt", column_name="RT")
        rw = fields.Field(attribute="rw", column_name="RW")
        phone = fields.Field(attribute="phone", column_name="No HP")
        dtks_id = fields.Field(attribute="dtks_id", column_name="ID DTKS/DTSEN")
        desil = fields.Field(attribute="desil", column_name="Desil", widget=widgets.IntegerWidget())

        class Meta:
            model = Person
            import_id_fields = ["nik"]
            fields = ["nik", "kk_number", "full_name", "birth_place", "birth_date", "address", "rt", "rw",
                      "phone", "dtks_id", "desil"]  # fmt: skip

        def before_save_instance(self, instance, row, **kwargs):
            instance.sex, instance.marital_status = "P", "cerai_mati"
            instance.village, instance.district_id, instance.regency_id = village, village.district_id, regency.pk
            instance.name_key = name_key(instance.full_name)

    print(f"PostgreSQL {connection.pg_version}; registry: {Person.objects.count():,} people; medians of {args.repeat}")
    columns = ["preview", "save", "whole s", "calamine", "openpyxl", "whole/cal", "import-export", "peak MB"]
    print(f"{'rows':>7} " + " ".join(f"{c:>9}" for c in columns))
    # As gunicorn's and the Celery worker's processes do once the app is loaded (kubeprogram/wsgi.py, celery.py):
    # what is alive now stays out of the cyclic garbage collector's full collections, for ours and the peer alike.
    gc.freeze()
    for size in args.sizes:
        data = workbook(size, existing)

        def ours(data=data, size=size, times=None):
            """The preview, then its save, as the officer presses "Unggah" and "Simpan"; both rolled back."""
            try:
                with transaction.atomic():
                    proposal = Proposal.objects.create(regency=regency, budget_year=year, program="WRSE")
                    started = time.perf_counter()
                    upload = upload_check(proposal=proposal, data=data, filename="usulan.xlsx", actor=officer)
                    checked = time.perf_counter()
                    assert upload.summary["valid_rows"] == size, [p for p in upload.problems if p["level"] == "error"][
                        :3
                    ]
                    result = upload_commit(upload=upload, actor=officer)
                    if times is not None:
                        times.append((checked - started, time.perf_counter() - checked))
                    assert result["new_items"] == size, result
                    upload.file.delete(save=False)
                    raise Rollback
            except Rollback:
                pass

        def calamine(data=data):
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            for _ in sheet.iter_rows():
                pass

        def openpyxl_read(data=data):
            book = load_workbook(io.BytesIO(data), read_only=True)
            for _ in book.worksheets[0].iter_rows(values_only=True):
                pass

        def peer(data=data):
            import tablib

            dataset = tablib.Dataset().load(io.BytesIO(data).read(), format="xlsx")
            try:
                with transaction.atomic():
                    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
                    assert not result.has_errors()
                    raise Rollback
            except Rollback:
                pass

        runs = []
        for _ in range(args.repeat):
            vacuum()
            ours(times=runs)
        preview_s = statistics.median(p for p, _ in runs)
        ours_s = statistics.median(s for _, s in runs)
        vacuum()
        tracemalloc.start()
        ours()
        peak = tracemalloc.get_traced_memory()[1] / 1048576
        tracemalloc.stop()
        floor = median(calamine, args.repeat)
        openpyxl_s = median(openpyxl_read, args.repeat)
        peer_s = f"{median(peer, 1, before=vacuum):>14.2f}" if size <= args.peer_max else f"{'(skipped)':>14}"
        whole = preview_s + ours_s
        print(
            f"{size:>7,} {preview_s:>9.2f} {ours_s:>9.2f} {whole:>9.2f} {floor:>9.3f} {openpyxl_s:>9.2f} "
            f"{whole / floor:>8.0f}x {peer_s} {peak:>8.1f}"
        )


if __name__ == "__main__":
    main()
