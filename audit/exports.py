"""Every export is an audit event: who took which data (UU 27/2022), how many rows, for which regency."""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from audit.services import audit_record
from core.excel import ReportWriter


def audited_export(
    writer: ReportWriter,
    rows: Iterable[Sequence] = (),
    *,
    user,
    action: str,
    obj,
    filename: str,
    after: dict | None = None,
    regency_id: str | None = None,
) -> FileResponse:
    """Append `rows` (streamed, as they come) to `writer`, record the export as an audit event, then stream the file as
    `<filename>-<today>.xlsx`. The event belongs to `regency_id`, by default the user's own regency for an
    Operator Kab/Kota and none for provincial roles; it carries the row count."""
    for row in rows:
        writer.append(row)
    export_record(writer, user=user, action=action, obj=obj, after=after, regency_id=regency_id)
    return writer.response(export_filename(filename))


def export_filename(filename: str) -> str:
    return f"{filename}-{timezone.localdate():%Y%m%d}.xlsx"


def export_record(writer: ReportWriter, *, user, action: str, obj, after=None, regency_id=None) -> None:
    """The export's audit event (also for one prepared in the background): who, what, how many rows."""
    export_event(user=user, action=action, obj=obj, rows=writer.rows, after=after, regency_id=regency_id)


def export_event(*, user, action: str, obj, rows: int, after=None, regency_id=None) -> None:
    """The audit event of an export however it was written (a ReportWriter or a workbook of its own), in a transaction
    of its own: a download is a GET, which runs in autocommit on a real server."""
    if regency_id is None and not user.is_provincial:
        regency_id = user.regency_id
    with transaction.atomic():
        audit_record(actor=user, action=action, obj=obj, regency_id=regency_id, after={**(after or {}), "rows": rows})
