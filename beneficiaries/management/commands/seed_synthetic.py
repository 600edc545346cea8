import time

from django.core.management.base import BaseCommand

from beneficiaries import synthetic


class Command(BaseCommand):
    help = "Membuat penduduk sintetis yang realistis (NIK valid, nama Indonesia) untuk demo dan uji kinerja."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="jumlah penduduk yang ditambahkan")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, people, seed, **options):
        started = time.perf_counter()

        def progress(done):
            self.stdout.write(f"  {done:,} / {people:,} ({time.perf_counter() - started:.1f} s)".replace(",", "."))

        count = synthetic.insert(people, seed=seed, progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"{count:,} penduduk sintetis dibuat dalam {elapsed:.1f} s.".replace(",", "."))
        )
