"""Importing a proposal workbook: check every row against the registry and this year's proposals, then
write people / groups, the proposal items and their audit events in one transaction (all or nothing).
Uploading the same rows again changes nothing: people are matched by NIK, groups by village and name,
items by person or group.

The services live here (`upload_check`, `upload_commit`, `import_workbook`); `planning` turns a chunk of rows into
a plan (people, items, groups, problems) without writing, `writing` writes a clean plan with COPY.

The checks are not paid twice: the preview keeps its WRSE plans in the cache, each with a digest of the registry
rows it was decided on; the save takes the import lock (one import saves at a time), reads those rows again and
writes the kept plans when every digest is the same — otherwise (or when the cache lost them) it plans the file
afresh, as the preview did."""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from audit.services import audit_record
from core.bulk import background_copies
from programs.models import Program
from proposals.imports.planning import (
    PlanContext,
    context_fingerprint,
    lookups,
    plan_context,
    plan_rows,
    registry_rows,
)
from proposals.imports.writing import Writer
from proposals.models import Proposal, ProposalItem, Upload
from proposals.workbook.reader import WorkbookRefused, _problem, is_error, open_workbook


def settings_limit() -> int:
    from django.conf import settings

    return settings.PROPOSAL_WORKBOOK_MAX_BYTES


def too_large_message(size: int) -> str:
    return f"Berkas terlalu besar ({size / 1048576:.1f} MB); maksimal {settings_limit() / 1048576:.0f} MB."


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


CHUNK_ROWS = 2000


def _chunks(rows, size=CHUNK_ROWS):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _file_problems(context: PlanContext, opened_problems: list[dict]) -> list[dict]:
    """Problems of the file as a whole, known once every row was read."""
    problems = list(opened_problems)
    if not context.rows and not problems:
        message = (
            "Hanya ada baris contoh; isi data calon penerima mulai baris 3."
            if context.example_rows
            else "Tidak ada baris data di bawah judul kolom."
        )
        problems.append(_problem(None, None, None, message))
    return problems


def _walk(proposal: Proposal, data: bytes, on_chunk, progress=None) -> tuple[PlanContext, list[dict]]:
    """Plan the file chunk by chunk (memory stays flat in the row count), calling `on_chunk(plan,
    clean_so_far)` for each — clean while no error was found so far; returns the context and every problem
    (errors and warnings). KUBE files are planned whole, as a group's rows may lie anywhere in the file.
    `progress(done, total)`, when given, hears of each chunk (a background job's progress bar)."""
    context = plan_context(proposal)
    lookup = lookups(proposal.regency)
    context.fingerprint = context_fingerprint(proposal, context, lookup)
    opened = open_workbook(data, program=proposal.program, lookups=lookup)
    problems: list[dict] = []
    errors = 0
    chunks = [list(opened.rows)] if proposal.program == Program.KUBE else _chunks(opened.rows, CHUNK_ROWS)
    for chunk in chunks:
        plan = plan_rows(proposal, chunk, opened.headers, context)
        problems.extend(plan.problems)
        errors += plan.errors
        on_chunk(plan, not errors and not any(is_error(p) for p in opened.problems))
        if progress is not None:
            progress(context.rows, max(opened.total, context.rows))
    # Problems of the file as a whole (a missing column, too many rows) mean no row can be trusted.
    whole_file = [{**p, "file": True} for p in _file_problems(context, opened.problems)]
    return context, whole_file + problems


@transaction.atomic
def upload_check(*, proposal: Proposal, data: bytes, filename: str, actor, progress=None) -> Upload:
    """Store an uploaded workbook and its problems (nothing else is written). Raises WorkbookRefused."""
    summary = {"new_people": 0, "updated_people": 0, "groups": 0, "already_in_proposal": 0, "valid_rows": 0}
    present = set(ProposalItem.objects.filter(proposal=proposal).values_list("person__nik", flat=True))

    def count(plan, clean):
        plan = plan.valid()  # what "Simpan" writes: every row when the file is right, the right rows otherwise
        summary["valid_rows"] += len(plan.rows)
        summary["new_people"] += sum(1 for p in plan.people.values() if p.pk is None)
        summary["updated_people"] += len(plan.changed)
        summary["groups"] += len(plan.groups)
        summary["already_in_proposal"] += sum(1 for nik in plan.people if nik in present)

    kept = KeptPlans.start(proposal)

    def count_and_keep(plan, clean):
        count(plan, clean)
        kept.add(plan, clean)

    context, problems = _walk(proposal, data, count_and_keep, progress)
    summary["rows"] = context.rows
    if any(is_error(p) and p.get("file") for p in problems):
        summary["valid_rows"] = 0  # a problem of the whole file (a missing column): no row can be saved
    upload = Upload(
        proposal=proposal,
        filename=filename[:255],
        sha256=_sha256(data),
        row_count=context.rows,
        problems=problems,
        summary=summary,
        uploaded_by=actor,
    )
    upload.file.save(f"{proposal.pk}-{upload.sha256[:12]}.xlsx", ContentFile(data), save=False)
    upload.save()
    audit_record(
        actor=actor,
        action="proposal.upload",
        obj=upload,
        regency_id=proposal.regency_id,
        after={
            "proposal": proposal.pk,
            "file": upload.filename,
            "rows": context.rows,
            "problems": len(upload.errors),
            "warnings": len(upload.warnings),
        },
    )
    if not any(p.get("file") for p in problems):
        kept.finish(upload, context)
    return upload


def _plan_key(upload: Upload) -> str:
    return f"proposals:import-plan:{upload.pk}:{upload.sha256}"


def _chunk_key(token: str, index: int) -> str:
    return f"proposals:import-plan:{token}:{index}"


@dataclass
class KeptPlans:
    """The preview's plans of a WRSE file in the cache, chunk by chunk (memory stays flat), under a header
    keyed by the upload: the plan context's digest and each chunk's NIKs and registry digest. KUBE files are
    planned afresh at the save (small files; their groups' memberships are not in the digest)."""

    token: str | None
    chunks: list[tuple[list[str], str]]

    @classmethod
    def start(cls, proposal: Proposal) -> "KeptPlans":
        return cls(token=uuid.uuid4().hex if proposal.program == Program.WRSE else None, chunks=[])

    def add(self, plan, clean: bool) -> None:
        if self.token is None:
            return
        cache.set(_chunk_key(self.token, len(self.chunks)), (plan, clean), _seconds())
        self.chunks.append((plan.niks, plan.fingerprint))

    def finish(self, upload: Upload, context: PlanContext) -> None:
        if self.token is None:
            return
        header = {"token": self.token, "context": context.fingerprint, "chunks": self.chunks, "rows": context.rows}
        cache.set(_plan_key(upload), header, _seconds())


def _seconds() -> int:
    return settings.IMPORT_PLAN_CACHE_SECONDS


class PlanGone(Exception):
    """A kept chunk left the cache between the check of the digests and its write."""


def kept_plans(upload: Upload, proposal: Proposal):
    """The preview's plans of this upload when the registry still holds what they were decided on — each chunk's
    people and where they are proposed, the budget year's rules, the regions, the catalogue — else None. Run it
    under the import lock: no other import can change those rows between this check and the write."""
    header = cache.get(_plan_key(upload))
    if header is None:
        return None
    context = plan_context(proposal)
    if context_fingerprint(proposal, context, lookups(proposal.regency)) != header["context"]:
        return None
    for niks, fingerprint in header["chunks"]:
        if registry_rows(proposal, niks)[2] != fingerprint:
            return None
    token = header["token"]

    def chunks():
        for index in range(len(header["chunks"])):
            kept = cache.get(_chunk_key(token, index))
            if kept is None:
                raise PlanGone
            yield kept

    return header["rows"], chunks()


def forget_plans(upload: Upload) -> None:
    cache.delete(_plan_key(upload))


def record_new_problems(upload: Upload, problems: list[dict]) -> None:
    """A save refused because the registry changed since the preview: the upload shows the new problems, and
    its kept plans are no longer the preview's."""
    upload.problems = problems
    upload.save(update_fields=["problems"])
    forget_plans(upload)


IMPORT_LOCK = 7_216_400  # pg_advisory_xact_lock key of proposal imports (any number unique in the project)


def import_lock() -> None:
    """One import saves at a time (PostgreSQL; until the transaction ends): what a save checked of the registry
    stays true until it has written."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


@transaction.atomic
def upload_commit(*, upload: Upload, actor, valid_only: bool = False, progress=None) -> dict:
    """Write a checked upload: all rows or none — or, with `valid_only` ("Simpan baris yang benar", an explicit
    choice of the officer), the rows without an error. Writes the preview's kept plan when the registry still
    holds what it was checked against; otherwise re-reads the stored file and checks it again, so what is written
    is exactly what was checked now (the registry may have changed since the preview)."""
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("budget_year", "regency")
        .get(pk=upload.proposal_id)
    )
    if proposal.status != Proposal.Status.DRAFT:
        raise WorkbookRefused(f"Usulan berstatus {proposal.get_status_display()}: daftarnya tidak dapat diubah lagi.")
    import_lock()
    kept = kept_plans(upload, proposal)
    if kept is not None:
        try:
            return import_workbook(proposal=proposal, data=None, actor=actor, upload=upload, valid_only=valid_only,
                                   progress=progress, kept=kept)  # fmt: skip
        except PlanGone:
            pass  # the cache lost a chunk: its savepoint rolled back what was written; plan the file afresh
    upload.file.open("rb")
    data = upload.file.read()
    upload.file.close()
    return import_workbook(
        proposal=proposal, data=data, actor=actor, upload=upload, valid_only=valid_only, progress=progress
    )


class ImportProblems(WorkbookRefused):
    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__(f"{sum(1 for p in problems if is_error(p))} kesalahan dalam berkas.")


def import_workbook(
    *,
    proposal: Proposal,
    data: bytes | None,
    actor,
    upload: Upload | None = None,
    valid_only: bool = False,
    progress=None,
    kept=None,
) -> dict:
    """Parse, check and write in one transaction (what upload_commit does; also the benchmark's entry
    point), chunk by chunk. Raises WorkbookRefused, or ImportProblems when a row is wrong: then nothing
    is written, not even the chunks before the bad row. With `valid_only` the right rows are written and the
    wrong ones counted in `skipped`; a problem of the whole file (a missing column) still writes nothing.
    `kept` (from kept_plans, with the upload) writes the preview's plans instead of planning `data` again."""
    totals = {"rows": 0, "new_people": 0, "updated_people": 0, "new_items": 0, "groups": 0, "skipped": 0}

    def write(plan, clean):
        if valid_only:
            valid = plan.valid()
            totals["skipped"] += len(plan.rows) - len(valid.rows)
            writer.write(valid)
        elif clean:
            writer.write(plan)

    with transaction.atomic(), background_copies():
        import_lock()
        writer = Writer(proposal, actor, totals)
        if kept is not None:
            rows, chunks = kept
            problems, done = upload.problems, 0
            for plan, clean in chunks:
                write(plan, clean)
                done += len(plan.rows)
                if progress is not None:
                    progress(done, rows)
        else:
            context, problems = _walk(proposal, data, write, progress)
            rows = context.rows
        errors = [p for p in problems if is_error(p)]
        if errors and (not valid_only or any(p.get("file") for p in errors)):
            raise ImportProblems(problems)  # rolls back whatever the clean chunks before it wrote
        writer.finish()
        totals["rows"] = rows
        if upload is not None:
            forget_plans(upload)
            upload.status, upload.committed_at, upload.summary = Upload.Status.COMMITTED, timezone.now(), totals
            upload.save(update_fields=["status", "committed_at", "summary"])
    return totals


__all__ = [
    "WorkbookRefused",
    "ImportProblems",
    "upload_check",
    "upload_commit",
    "import_workbook",
    "record_new_problems",
]
