"""Synthetic people (realistic names, valid NIKs) for a training or load-test server, as a background job with
a progress bar: a million take about two minutes, longer than any request may. The same `synthetic.insert`
as `manage.py seed_synthetic`; one audit event for the whole load."""

from django.db import transaction
from django.urls import reverse

from audit.services import audit_record
from beneficiaries import duplicates, synthetic
from beneficiaries.models import Person
from beneficiaries.permissions import can_review_duplicates, can_seed_synthetic
from jobs.services import JobRefused, JobResult, background_job

MAX_PEOPLE = 1_000_000


@background_job
def synthetic_people(*, user, progress, people: int, seed: int) -> JobResult:
    if not can_seed_synthetic(user):
        raise JobRefused("Data sintetis hanya untuk Admin Provinsi di server latihan/uji, bukan server produksi.")
    if not 1 <= people <= MAX_PEOPLE:
        raise JobRefused(f"Jumlah penduduk sintetis 1 sampai {MAX_PEOPLE:,}.".replace(",", "."))
    progress(0, people)
    count = synthetic.insert(people, seed=seed, progress=lambda done: progress(done, people))
    with transaction.atomic():
        audit_record(actor=user, action="person.synthetic", obj=Person, after={"people": count, "seed": seed})
    duplicates.scan(actor=user)  # the new people's possible duplicates, on the review page at once
    return JobResult(
        message=f"{count:,} penduduk sintetis dibuat.".replace(",", "."), url=reverse("beneficiaries:person_list")
    )


@background_job
def duplicate_scan(*, user, progress) -> JobResult:
    """The possible-duplicates groups found again now, for the reviewer who asked; ends on the review page."""
    if not can_review_duplicates(user):
        raise JobRefused("Pemeriksaan data ganda hanya untuk Admin Provinsi dan Verifikator.")
    scan = duplicates.scan(actor=user, progress=progress)
    return JobResult(
        message=f"{scan.groups} kelompok kemungkinan duplikat ditemukan ({scan.seconds} detik).",
        url=reverse("beneficiaries:duplicate_list"),
    )
