from django.core.management.base import BaseCommand

from beneficiaries import duplicates


class Command(BaseCommand):
    help = "Memeriksa ulang kemungkinan data ganda di seluruh registri (tiap malam; tanpa Celery: dari cron)."

    def handle(self, *args, **options):
        scan = duplicates.scan()
        self.stdout.write(self.style.SUCCESS(f"{scan.groups} kelompok kemungkinan duplikat ({scan.seconds} detik)."))
