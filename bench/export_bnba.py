"""The BNBA workbook (approved WRSE recipients by name by address) of 10,000 and 100,000 rows: our report
(title block, frozen header, autofilter, A4 print setup, Rupiah and date formats, formula-safe text, the
allocation and BAST number of each recipient) against plain openpyxl write-only of the same rows (the
floor) and django-import-export exporting the same queryset (the peer), each in its own process so its
peak memory (max RSS) is its own.

Uses a throwaway budget year (2098) in kube_bench (the 1M registry of people_list.py), created once.

    .venv/bin/python bench/export_bnba.py [--peer-max 100000]   # django-import-export: bench/requirements.txt

The peer exports 10k rows by default: at 100k it took 739 s here (12 minutes).
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

YEAR = 2098
SIZES = (10_000, 100_000)


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from beneficiaries.models import Person
    from programs.models import BudgetYear
    from proposals.models import ItemStatus, Proposal, ProposalItem
    from regions.models import Regency

    call_command("migrate", verbosity=0)
    if ProposalItem.objects.filter(proposal__budget_year__year=YEAR).count() >= max(SIZES):
        return
    with transaction.atomic():
        year, _ = BudgetYear.objects.get_or_create(year=YEAR, defaults={"total_ceiling": 10**12, "status": "open"})
        ProposalItem.objects.filter(proposal__budget_year=year).delete()
        proposals = {
            regency.pk: Proposal.objects.get_or_create(
                regency=regency, budget_year=year, program="WRSE", defaults={"status": "finalised"}
            )[0]
            for regency in Regency.objects.all()
        }
        people = Person.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", "regency_id")
        ProposalItem.objects.bulk_create(
            [ProposalItem(proposal=proposals[regency], person_id=pk, status=ItemStatus.APPROVED)
             for pk, regency in people[: max(SIZES)]],
            batch_size=5000,
        )  # fmt: skip


def run_one(kind: str, rows: int) -> dict:
    import resource

    import django

    django.setup()
    from openpyxl import Workbook

    from core.excel import Total
    from proposals.models import ProposalItem
    from reports.exports import BNBA_WRSE, bnba_wrse

    items = ProposalItem.objects.filter(
        pk__in=ProposalItem.objects.filter(proposal__budget_year__year=YEAR).order_by("pk").values("pk")[:rows]
    )
    target = Path("/tmp") / f"bench-bnba-{kind}-{rows}.xlsx"
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    written = 0
    if kind == "ours":
        from core.excel import ReportWriter

        writer = ReportWriter("BNBA Penerima Manfaat WRSE", BNBA_WRSE, filters=[("Bench", str(rows))])
        for row in bnba_wrse(items, mask=lambda nik: nik):
            writer.append(row)
        writer.save(target)
        written = writer.rows
    elif kind == "floor":  # plain openpyxl write-only: the same rows, no title, formats or safety
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("BNBA")
        sheet.append([column.header for column in BNBA_WRSE])
        for row in bnba_wrse(items, mask=lambda nik: nik):
            sheet.append(row)
            written += not isinstance(row, Total)
        workbook.save(target)
    else:  # django-import-export: a ModelResource over the same queryset, exported to xlsx
        from import_export import fields, resources

        class BnbaResource(resources.ModelResource):
            nik = fields.Field(attribute="person__nik", column_name="NIK")
            kk = fields.Field(attribute="person__kk_number", column_name="No KK")
            name = fields.Field(attribute="person__full_name", column_name="Nama Lengkap")
            sex = fields.Field(attribute="person__sex", column_name="Jenis Kelamin")
            birth_place = fields.Field(attribute="person__birth_place", column_name="Tempat Lahir")
            birth_date = fields.Field(attribute="person__birth_date", column_name="Tanggal Lahir")
            address = fields.Field(attribute="person__address", column_name="Alamat")
            village = fields.Field(attribute="person__village__name", column_name="Desa/Kelurahan")
            district = fields.Field(attribute="person__district__name", column_name="Kecamatan")
            regency = fields.Field(attribute="person__regency__name", column_name="Kabupaten/Kota")
            business = fields.Field(attribute="business_type__name", column_name="Jenis Usaha")
            dtks = fields.Field(attribute="person__dtks_id", column_name="ID DTKS/DTSEN")
            desil = fields.Field(attribute="person__desil", column_name="Desil")

            class Meta:
                model = ProposalItem
                fields = []

        queryset = items.select_related("person__village", "person__district", "person__regency", "business_type")
        dataset = BnbaResource().export(queryset=queryset)
        target.write_bytes(dataset.export("xlsx"))
        written = len(dataset)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mb": peak / 1024, "growth_mb": (peak - baseline) / 1024, "rows": written}


def main():
    if sys.argv[1:] == ["setup"]:
        setup()
        return
    if len(sys.argv) == 3:
        print(json.dumps(run_one(sys.argv[1], int(sys.argv[2]))))
        return
    peer_max = int(sys.argv[sys.argv.index("--peer-max") + 1]) if "--peer-max" in sys.argv else SIZES[0]
    # In its own process too: Linux hands a child the parent's peak RSS at fork, so this process stays small.
    subprocess.run([sys.executable, __file__, "setup"], check=True)
    results = {}
    for rows in SIZES:
        for kind in ("floor", "ours", "peer") if rows <= peer_max else ("floor", "ours"):
            out = subprocess.run([sys.executable, __file__, kind, str(rows)], capture_output=True, text=True)
            if out.returncode:
                print(out.stderr[-2000:])
                raise SystemExit(1)
            results[(kind, rows)] = json.loads(out.stdout.strip().splitlines()[-1])
            assert results[(kind, rows)]["rows"] == rows, results[(kind, rows)]
    print(f"{'rows':>8} {'ours s':>7} {'floor s':>8} {'ratio':>6} {'import-export s':>16} "
          f"{'ours MB':>8} {'floor MB':>9} {'i-e MB':>7}")  # fmt: skip
    for rows in SIZES:
        ours, floor = results[("ours", rows)], results[("floor", rows)]
        peer = results.get(("peer", rows))
        peer_s = f"{peer['seconds']:>16.2f}" if peer else f"{'(skipped)':>16}"
        peer_mb = f"{peer['peak_mb']:>7.0f}" if peer else f"{'-':>7}"
        print(
            f"{rows:>8,} {ours['seconds']:>7.2f} {floor['seconds']:>8.2f} {ours['seconds'] / floor['seconds']:>6.2f}"
            f" {peer_s} {ours['peak_mb']:>8.0f} {floor['peak_mb']:>9.0f} {peer_mb}"
        )
    growth = results[("ours", SIZES[1])]["peak_mb"] - results[("ours", SIZES[0])]["peak_mb"]
    print(f"our peak memory, 100k rows minus 10k rows: {growth:.1f} MB")


if __name__ == "__main__":
    main()
