"""The import of a DTSEN extract, as a background job with a progress bar (a province's million rows take about
half a minute); it ends on the snapshot's page, where a refused file lists its wrong rows."""

import datetime

from django.core.files.storage import default_storage

from dtsen import services
from dtsen.permissions import can_import_register
from dtsen.reading import ExtractRefused
from jobs.services import JobRefused, JobResult, background_job
from regions.models import Regency

STAGED = "jobs/dtsen/"


@background_job(retry=False)  # the staged file is gone once the job ends: the officer uploads it again
def snapshot_import(
    *, user, progress, staged: str, file_name: str, period: str, source: str, regency: str
) -> JobResult:
    if not staged.startswith(STAGED) or ".." in staged:
        raise JobRefused("Berkas unggahan tidak dikenal.")
    try:
        if not can_import_register(user) or not (user.is_provincial or regency == user.regency_id):
            raise JobRefused("Anda tidak lagi dapat mengimpor data DTSEN untuk cakupan ini.")
        with default_storage.open(staged, "rb") as handle:
            data = handle.read()
        try:
            snapshot = services.import_snapshot(
                user=user, data=data, file_name=file_name, period=datetime.date.fromisoformat(period), source=source,
                regency=Regency.objects.get(pk=regency) if regency else None, progress=progress,
            )  # fmt: skip
        except ExtractRefused as error:
            raise JobRefused(str(error)) from None
    finally:
        default_storage.delete(staged)
    if snapshot.problems:
        return JobResult(message=f"Berkas ditolak: {len(snapshot.problems)} baris salah; tidak ada yang disimpan.",
                         url=snapshot.get_absolute_url())  # fmt: skip
    rows = f"{snapshot.rows:,}".replace(",", ".")
    return JobResult(message=f"{rows} baris DTSEN {snapshot.period_label} tersimpan.", url=snapshot.get_absolute_url())
