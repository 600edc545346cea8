"""Importing a DTSEN extract: all rows or none. The rows go in with COPY in chunks (a million in well under a
minute), inside one transaction; a wrong row (NIK, No. KK, name, desil) or a NIK listed twice leaves nothing
behind but the refused snapshot with its problems, by row and column, for the officer to read. The same file
twice is refused; a new file of the same period and scope supersedes the older one, which is kept."""

import hashlib
import json
import re

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.services import audit_record
from beneficiaries.identity import mask_nik
from core.bulk import background_copies, bulk_insert_rows, copy_escape, copy_lines
from dtsen.models import Entry, Snapshot
from dtsen.reading import MAX_PROBLEMS, ExtractRefused, Problem, decode_check, open_extract, regency_names, row_parser
from regions.models import Regency

CHUNK = 20_000
UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
FIELDS = ["snapshot", "nik", "kk_number", "full_name", "desil", "dtsen_id", "regency_code", "extra"]


class Refused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} kesalahan")
        self.problems = problems


def _same_file(sha256: str, regency) -> Snapshot | None:
    return Snapshot.objects.filter(sha256=sha256, regency=regency, status=Snapshot.Status.READY).first()


def import_snapshot(*, user, data: bytes, file_name: str, period, source: str, regency=None, progress=None):
    """Import an extract as a snapshot of `period` for `regency` (None: the whole province). Returns the snapshot;
    a file that cannot be read raises ExtractRefused; wrong rows give a REFUSED snapshot with its problems."""
    progress = progress or (lambda done, total=None: None)
    sha256 = hashlib.sha256(data).hexdigest()
    same = _same_file(sha256, regency)
    if same is not None:
        raise ExtractRefused(
            f"Berkas ini sudah diimpor sebagai {same} pada {timezone.localtime(same.imported_at):%d-%m-%Y %H:%M}."
        )
    decode_check(data)
    extract = open_extract(data, file_name)
    total = extract.total if extract.total is not None else data.count(b"\n")
    names = regency_names(Regency.objects.all())
    fields = {"period": period, "source": source, "regency": regency, "file_name": file_name[:255], "sha256": sha256,
              "imported_by": user}  # fmt: skip
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(**fields)
            count = _write_rows(snapshot, extract, names, total, progress)
            older = Snapshot.objects.filter(period=period, regency=regency, status=Snapshot.Status.READY)
            superseded = list(older.values_list("pk", flat=True))
            older.update(status=Snapshot.Status.SUPERSEDED)
            snapshot.rows, snapshot.status = count, Snapshot.Status.READY
            snapshot.save(update_fields=["rows", "status"])
            audit_record(actor=user, action="dtsen.import", obj=snapshot, regency_id=regency.pk if regency else None,
                         after={"period": str(period), "source": source, "rows": count, "file": file_name,
                                "superseded": superseded})  # fmt: skip
    except Refused as refused:
        return _refused(fields, refused.problems)
    except Exception as error:  # COPY runs on psycopg2's own cursor: its UniqueViolation is not Django's IntegrityError
        unique = isinstance(error, IntegrityError) or getattr(error, "pgcode", None) == UNIQUE_VIOLATION
        if not unique or "nik" not in str(error).lower():
            raise
        return _refused(fields, _twice(data, file_name, names, str(error)))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{Entry._meta.db_table}"')  # the planner's figures for the new rows
    return snapshot


def _write_rows(snapshot, extract, names, total, progress) -> int:
    """Every row checked; the good ones written in chunks — on PostgreSQL as COPY's text, built as the row is read,
    sent by a worker thread while the next chunk is read (the server writes one while Python reads the other)."""
    if connection.vendor != "postgresql":
        return _write_tuples(snapshot, extract, names, total, progress)
    parse = row_parser(extract, names)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = f"{snapshot.pk}\t"
    problems: list[Problem] = []
    lines: list[str] = []
    count = 0
    with background_copies():
        for number, row in extract.rows:
            values, found = parse(number, row)
            if found:
                problems.extend(found)
                if len(problems) >= MAX_PROBLEMS:
                    break
            elif values and not problems:
                nik, kk, name, desil, dtsen_id, code, more = values
                lines.append(f"{head}{nik}\t{kk}\t{copy_escape(name)}\t{desil}\t{copy_escape(dtsen_id)}\t{code}\t"
                             f"{copy_escape(encode(more))}\n")  # fmt: skip
                if len(lines) >= CHUNK:
                    count += copy_lines(Entry, FIELDS, lines)
                    lines = []
                    progress(count, total)
        if problems:
            raise Refused(problems)
        count += copy_lines(Entry, FIELDS, lines)
    return _written(count, total, progress)


def _write_tuples(snapshot, extract, names, total, progress) -> int:
    """The same on SQLite (make run's database): rows as values, through bulk_insert_rows."""
    parse = row_parser(extract, names)
    problems: list[Problem] = []
    batch: list[tuple] = []
    for number, row in extract.rows:
        values, found = parse(number, row)
        if found:
            problems.extend(found)
            if len(problems) >= MAX_PROBLEMS:
                break
        elif values and not problems:
            batch.append((snapshot.pk, *values))
    if problems:
        raise Refused(problems)
    return _written(bulk_insert_rows(Entry, FIELDS, batch), total, progress)


def _written(count: int, total, progress) -> int:
    progress(count, total)
    if not count:
        raise Refused([Problem(2, "", "Tidak ada baris data di bawah judul kolom.")])
    return count


def _twice(data, file_name, names, error: str) -> list[Problem]:
    """The rows of the NIKs the file lists more than once (read again: only when the database refused a second one)."""
    named = set(re.findall(r"\b\d{16}\b", error))
    first: dict[str, int] = {}
    problems = []
    extract = open_extract(data, file_name)
    parse = row_parser(extract, names)
    for number, row in extract.rows:
        values, _ = parse(number, row)
        if values is None or (named and values[0] not in named):
            continue
        if values[0] in first:
            problems.append(Problem(number, "NIK", f"NIK {mask_nik(values[0])} sudah ada di baris {first[values[0]]}."))
            if len(problems) >= MAX_PROBLEMS:
                break
        else:
            first[values[0]] = number
    return problems


def _refused(fields: dict, problems: list[Problem]) -> Snapshot:
    with transaction.atomic():
        snapshot = Snapshot.objects.create(**{**fields, "sha256": ""}, status=Snapshot.Status.REFUSED,
                                           problems=[problem.as_dict() for problem in problems])  # fmt: skip
    return snapshot
