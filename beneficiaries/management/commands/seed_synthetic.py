import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beneficiaries import duplicates, synthetic


class Command(BaseCommand):
    help = "Membuat penduduk sintetis yang realistis (NIK valid, nama Indonesia) untuk demo dan uji kinerja."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="jumlah penduduk yang ditambahkan")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--background",
            metavar="USERNAME",
            help="jalankan sebagai pekerjaan latar atas nama Admin Provinsi ini (kemajuan di /pekerjaan/<id>/)",
        )

    def handle(self, *args, people, seed, background=None, **options):
        if background:
            return self._start(people, seed, background)
        started = time.perf_counter()

        def progress(done):
            self.stdout.write(f"  {done:,} / {people:,} ({time.perf_counter() - started:.1f} s)".replace(",", "."))

        count = synthetic.insert(people, seed=seed, progress=progress)
        duplicates.scan()  # the possible-duplicates groups of the grown registry
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"{count:,} penduduk sintetis dibuat dalam {elapsed:.1f} s.".replace(",", "."))
        )

    def _start(self, people, seed, username):
        from jobs.services import BrokerUnavailable, job_start

        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna {username!r} tidak ada atau tidak aktif.")
        try:
            with transaction.atomic():
                job = job_start(
                    user=user,
                    title=f"Penduduk sintetis ({people:,})".replace(",", "."),
                    function="beneficiaries.jobs.synthetic_people",
                    params={"people": people, "seed": seed},
                )
        except BrokerUnavailable as refused:
            raise CommandError(refused.messages[0]) from None
        job.refresh_from_db()
        self.stdout.write(f"Pekerjaan latar /pekerjaan/{job.pk}/: {job.get_status_display()} {job.message}".rstrip())
