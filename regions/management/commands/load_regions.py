from django.core.management.base import BaseCommand

from regions.services import reference_data_load


class Command(BaseCommand):
    help = "Memuat/menyegarkan data wilayah Kalimantan Timur dari regions/data/ (idempoten)."

    def handle(self, *args, **options):
        counts = reference_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Wilayah dimuat: {counts['regencies']} kabupaten/kota, {counts['districts']} kecamatan, "
                f"{counts['villages']} desa/kelurahan."
            )
        )
