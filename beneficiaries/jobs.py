"""Synthetic people (realistic names, valid NIKs) for a training or load-test server, as a background job with
a progress bar: a million take about two minutes, longer than any request may. The same `synthetic.insert`
as `manage.py seed_synthetic`; one audit event for the whole load."""

import io

from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from audit.exports import export_filename, export_record
from audit.services import audit_record
from beneficiaries import duplicates, synthetic
from beneficiaries.exports import person_writer
from beneficiaries.filters import people_filterset
from beneficiaries.models import Person
from beneficiaries.permissions import can_review_duplicates, can_seed_synthetic, can_view_registry
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


PROGRESS_EVERY = 2000  # rows


@background_job
def person_workbook(*, user, progress, query: str) -> JobResult:
    """A large people export, prepared by the worker for the user who asked, with the list's filters (given as
    its query string) over what the user may see now; audited like the page's own export."""
    if not can_view_registry(user):
        raise JobRefused("Daftar ini tidak lagi dapat Anda unduh.")
    filterset = people_filterset(user, QueryDict(query))
    total = filterset.qs.count()
    writer, rows, after = person_writer(user, filterset)
    for done, row in enumerate(rows, 1):
        writer.append(row)
        if done % PROGRESS_EVERY == 0:
            progress(done, total)
    progress(total, total)
    export_record(writer, user=user, action="person.export", obj=Person, after={**after, "background": True})
    buffer = io.BytesIO()
    writer.save(buffer)
    return JobResult(buffer.getvalue(), export_filename("penduduk"))
