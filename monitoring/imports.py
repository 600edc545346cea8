"""The worklist workbook back from the field (monitoring.workbook reads it): each row judged as the visit form
judges one visit, rows already saved passed over, the others recorded all or nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from core.formatting import date_long
from monitoring.models import Visit
from monitoring.services import visit_problems, visit_record


@dataclass
class VisitsImport:
    """What an upload of the worklist did: visits recorded, and rows passed over because that visit was already
    saved (an earlier upload of the same workbook, or the form), each with its row and why."""

    saved: int
    skipped: list[dict]


def _already_saved(rows: list, known: dict) -> dict[int, dict]:
    """The rows whose scheduled visit (BAST and month) is already recorded, by row number, with the message."""
    keys = {(row.handover_id, row.month) for row in rows if row.handover_id in known and row.month}
    if not keys:
        return {}
    taken = {
        (v.handover_id, v.due_month): v
        for v in Visit.objects.valid().filter(handover_id__in={h for h, _ in keys}, due_month__in={m for _, m in keys})
    }
    found = {}
    for row in rows:
        visit = taken.get((row.handover_id, row.month))
        if visit is not None and not row.problems:
            found[row.number] = {
                "row": row.number,
                "column": row.column_of("code"),
                "message": f"Kunjungan bulan ke-{row.month} {known[row.handover_id].number} sudah tersimpan "
                f"({date_long(visit.visited_on)}); baris ini dilewati.",
            }
    return found


def visits_import_check(*, rows: list, handovers) -> tuple[list[dict], dict[int, dict]]:
    """Every problem of the uploaded rows ({"row", "column", "message"}), judged as the visit form judges one
    visit, and the rows already saved (passed over, not a problem: the others may still be saved); `handovers` are
    the BASTs the user may record visits for. No problems: the file may be saved."""
    problems = [p for row in rows for p in row.problems]
    wanted = {row.handover_id for row in rows if row.handover_id}
    known = {h.pk: h for h in handovers.filter(pk__in=wanted).select_related("budget_year").prefetch_related("lines")}
    already = _already_saved(rows, known)
    seen = {}
    for row in rows:
        if row.problems or not row.handover_id or row.number in already:
            continue
        handover = known.get(row.handover_id)
        if handover is None:
            problems.append({"row": row.number, "column": row.column_of("code"),
                             "message": "Kode tidak dikenal atau bukan penerima di wilayah Anda."})  # fmt: skip
            continue
        key = (row.handover_id, row.month)
        if key in seen:
            problems.append({"row": row.number, "column": row.column_of("code"),
                             "message": f"Kunjungan yang sama sudah ada di baris {seen[key]}."})  # fmt: skip
            continue
        seen[key] = row.number
        goods = row.goods_of(handover.lines.all())
        for name, messages in visit_problems(handover, row.data, goods).items():
            for message in messages:
                problems.append({"row": row.number, "column": row.column_of(name), "message": message})
    return problems, already


@transaction.atomic
def visits_import(*, rows: list, handovers, actor) -> VisitsImport:
    """Record the visits of the uploaded worklist: the rows whose visit is already saved are passed over (and
    named); of the others all or nothing (a problem anywhere saves nothing and raises a ValidationError carrying
    the problems)."""
    problems, already = visits_import_check(rows=rows, handovers=handovers)
    if problems:
        raise ValidationError(problems)
    rows = [row for row in rows if row.number not in already]
    known = {h.pk: h for h in handovers.filter(pk__in={r.handover_id for r in rows}).prefetch_related("lines")}
    for row in rows:
        handover = known[row.handover_id]
        goods = row.goods_of(handover.lines.all())
        visit_record(handover=handover, data=row.data, goods=goods, actor=actor)
    return VisitsImport(saved=len(rows), skipped=sorted(already.values(), key=lambda p: p["row"]))
