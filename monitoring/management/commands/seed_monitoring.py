import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monitoring import synthetic


class Command(BaseCommand):
    help = (
        "Membuat penerima sintetis (BAST dan kunjungan monev) dari penduduk sintetis, untuk uji kinerja. "
        "Jalankan seed_synthetic lebih dulu. Ditolak di produksi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, required=True, help="jumlah penerima yang dibuat")
        parser.add_argument("--year", type=int, default=2097, help="tahun anggaran sintetis (default 2097)")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, recipients, year, seed, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("seed_monitoring ditolak: pengaturan produksi aktif.")
        started = time.perf_counter()

        def progress(made):
            self.stdout.write(
                f"  {made['recipients']:,} penerima, {made['visits']:,} kunjungan "
                f"({time.perf_counter() - started:.1f} s)".replace(",", ".")
            )

        made = synthetic.insert(year=year, count=recipients, seed=seed, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{made['recipients']:,} penerima dan {made['visits']:,} kunjungan sintetis dibuat dalam "
                f"{time.perf_counter() - started:.1f} s.".replace(",", ".")
            )
        )
